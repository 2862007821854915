import { SFTPWrapper, utils } from "ssh2";
import type { SimContext } from "../context";
import { isNodeDirectory, MAX_UPLOAD_BYTES, NodeFile, nodeFileAt, storeNodeFile, volumeAt } from "./node-files";

const { OPEN_MODE, STATUS_CODE } = utils.sftp;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** An open handle: a file being written (kept in memory, stored on close) or one being inspected. */
interface OpenFile {
  readonly path: string;
  readonly file: NodeFile;
  readonly writing: boolean;
  chunks: Array<{ offset: number; data: Buffer }>;
  size: number;
}

function assemble(f: OpenFile): Buffer {
  const out = Buffer.alloc(f.size);
  for (const c of f.chunks) c.data.copy(out, c.offset);
  return out;
}

/**
 * The SFTP operations of the provider's uploads (`NodeUpload` and `checkUploadedFile` in
 * `proxmox/ssh/client.go`, through github.com/pkg/sftp): `MkdirAll` (STAT, MKDIR), `Create`
 * (OPEN write|creat|trunc), WRITE, CLOSE, `Open` + FSTAT, STAT, `Chmod` (SETSTAT). Files live only
 * in the content directories of directory storages; a closed file becomes a volume of its storage.
 */
export function serveSftp(sftp: SFTPWrapper, sim: SimContext, node: string): void {
  const handles = new Map<string, OpenFile>();
  let next = 0;
  const handleOf = (h: Buffer): OpenFile | undefined => handles.get(h.toString("hex"));
  const fileAttrs = (size: number) => ({ mode: S_IFREG | 0o644, uid: 0, gid: 0, size, atime: 0, mtime: 0 });
  const dirAttrs = { mode: S_IFDIR | 0o755, uid: 0, gid: 0, size: 4096, atime: 0, mtime: 0 };

  const stat = (reqid: number, path: string): void => {
    const vol = volumeAt(sim.state, node, path);
    if (vol) sftp.attrs(reqid, fileAttrs(vol.size));
    else if (isNodeDirectory(sim.state, node, path)) sftp.attrs(reqid, dirAttrs);
    else sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, "No such file");
  };
  sftp.on("STAT", stat);
  sftp.on("LSTAT", stat);
  sftp.on("REALPATH", (reqid, path) => {
    const abs = path.startsWith("/") ? path : `/root/${path === "." ? "" : path}`.replace(/\/$/, "") || "/";
    sftp.name(reqid, [{ filename: abs, longname: abs, attrs: dirAttrs }]);
  });
  sftp.on("MKDIR", (reqid, path) => {
    if (isNodeDirectory(sim.state, node, path)) sftp.status(reqid, STATUS_CODE.FAILURE, "File exists");
    else sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, "the simulator keeps files only in the content directories of its storages");
  });
  sftp.on("OPEN", (reqid, path, flags) => {
    const file = nodeFileAt(sim.state, node, path);
    const writing = (flags & OPEN_MODE.WRITE) !== 0;
    if (!file || (!writing && !volumeAt(sim.state, node, path))) {
      sftp.status(
        reqid,
        writing ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.NO_SUCH_FILE,
        writing ? "the simulator keeps files only in the content directories of its storages" : "No such file",
      );
      return;
    }
    const size = writing ? 0 : (volumeAt(sim.state, node, path)?.size ?? 0);
    const handle = Buffer.from((next++).toString(16).padStart(8, "0"), "hex");
    handles.set(handle.toString("hex"), { path, file, writing, chunks: [], size });
    sftp.handle(reqid, handle);
  });
  sftp.on("WRITE", (reqid, h, offset, data) => {
    const f = handleOf(h);
    if (!f || !f.writing) return void sftp.status(reqid, STATUS_CODE.FAILURE, "bad handle");
    if (offset + data.length > MAX_UPLOAD_BYTES) return void sftp.status(reqid, STATUS_CODE.FAILURE, "No space left on device");
    f.chunks.push({ offset, data: Buffer.from(data) });
    f.size = Math.max(f.size, offset + data.length);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on("READ", (reqid) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED, "the simulator keeps sizes and checksums of files, not their content"));
  sftp.on("FSTAT", (reqid, h) => {
    const f = handleOf(h);
    if (!f) sftp.status(reqid, STATUS_CODE.FAILURE, "bad handle");
    else sftp.attrs(reqid, fileAttrs(f.size));
  });
  const setstat = (reqid: number): void => sftp.status(reqid, STATUS_CODE.OK); // modes are not modelled
  sftp.on("SETSTAT", setstat);
  sftp.on("FSETSTAT", setstat);
  sftp.on("CLOSE", (reqid, h) => {
    const f = handleOf(h);
    if (!f) return void sftp.status(reqid, STATUS_CODE.FAILURE, "bad handle");
    handles.delete(h.toString("hex"));
    if (f.writing) {
      storeNodeFile(sim.state, node, f.file, assemble(f));
      sim.save();
    }
    sftp.status(reqid, STATUS_CODE.OK);
  });
  // pkg/sftp's Close sends EOF and waits for the channel to close; ssh2 leaves closing SFTP channels to us.
  sftp.on("end", () => sftp.end());
  for (const op of ["OPENDIR", "READDIR", "REMOVE", "RMDIR", "RENAME", "READLINK", "SYMLINK"] as const) {
    sftp.on(op as "OPENDIR", (reqid: number) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED, `${op} is not used by the provider and not simulated`));
  }
}
