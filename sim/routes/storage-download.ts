import { authId } from "../access-model";
import type { SimContext } from "../context";
import { parameterError, PveError } from "../pve-error";
import { LOCK_TIMEOUT_MS, storageLockPath } from "../qemu/flock";
import { startJobTask } from "../qemu/task-job";
import { MAX_UPLOAD_BYTES } from "../request-body";
import { ApiRequest, route, Route } from "../route";
import { requireStorage, StorageDef, volumePath } from "../storage/storage-config";
import { digest, fetchFile, imageVirtualSize, queryUrlMetadata, SIMULATED_VIRTUAL_SIZE } from "../storage/url-source";
import { normalizeContentFilename } from "../storage/volume-name";
import { findVolume, putFile } from "../storage/volumes";
import { requireNode } from "./nodes";

/** What a file name tells about a file of a content type: its listing format, or a parameter error as PVE words it. */
function fileFormat(content: string, filename: string, verb: "upload" | "download"): string {
  if (content === "iso") {
    if (!/[^/]+\.(?:iso|img)$/i.test(filename)) throw parameterError({ filename: "wrong file extension" });
    return "iso";
  }
  if (content === "vztmpl") {
    const m = /[^/]+\.(?:(tar)(?!\.)|tar\.(gz|xz|zst|bz2))$/i.exec(filename);
    if (!m) throw parameterError({ filename: "wrong file extension" });
    return m[1] ? "tar" : `t${m[2]}`;
  }
  if (content === "import") {
    const m = /^[a-zA-Z0-9\-.+=_]+\.(ova|qcow2|raw|vmdk)$/.exec(filename);
    if (!m) throw parameterError({ filename: "invalid filename or wrong extension" });
    return m[1];
  }
  throw parameterError({ content: verb === "upload" ? `upload content type '${content}' not allowed` : `upload content-type '${content}' is not allowed` });
}

/** A file-based storage configured for `content`, with PVE's messages otherwise. */
function fileStorage(sim: SimContext, node: string, storeid: string, content: string): StorageDef {
  const def = requireStorage(sim.state, storeid, node);
  if (def.type !== "dir") throw new PveError(500, `can't upload to storage type '${def.type}', not a file based storage!`);
  if (!def.content.includes(content)) throw new PveError(500, `storage '${storeid}' is not configured for content-type '${content}'`);
  return def;
}

/** Checks a downloaded or uploaded image the way PVE treats untrusted images; returns its virtual size. */
function verifiedVirtualSize(format: string, data: Buffer | undefined): number | undefined {
  if (format !== "qcow2" && format !== "raw" && format !== "vmdk") return undefined;
  if (!data) return format === "raw" ? undefined : SIMULATED_VIRTUAL_SIZE;
  try {
    return imageVirtualSize(format, data);
  } catch (e) {
    throw new PveError(500, `failed to verify file: ${(e as Error).message}`);
  }
}

/**
 * `POST …/download-url`: a `download` task storing the file. Loopback URLs are fetched and their
 * checksum verified; any other URL is never contacted — the file is invented with a size derived
 * from the URL and its checksum cannot be checked (and is accepted). An existing file is refused
 * (`refusing to override existing file`) unless a checksum is given, as PVE does.
 */
function downloadUrl(req: ApiRequest, sim: SimContext): string {
  const { node, storage } = req.params;
  requireNode(sim, node);
  const { content, url, checksum, compression } = req.args;
  const algorithm = req.args["checksum-algorithm"];
  const def = fileStorage(sim, node, storage, content);
  const filename = normalizeContentFilename(req.args.filename);
  const format = fileFormat(content, filename, "download");
  const verify = req.args["verify-certificates"] !== "0";
  const volid = `${storage}:${content}/${filename}`;
  const dest = volumePath(def, `${content}/${filename}`, content);
  return startJobTask(
    sim,
    { node, type: "download", id: filename.replace(/[^a-zA-Z0-9_.-]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`), user: authId(req.auth) },
    {
      locks: [{ path: storageLockPath(storage), mode: "exclusive", timeoutMs: LOCK_TIMEOUT_MS.storage, node }],
      commit: async (task) => {
        if (compression && content !== "iso") throw new PveError(500, `decompression not supported for ${content}`);
        if (checksum && !algorithm) throw new PveError(500, "checksum required but not specified");
        const existing = findVolume(sim.state, node, volid);
        if (existing) {
          if (!checksum) throw new PveError(500, `refusing to override existing file '${dest}'`);
          const known = existing.checksums?.[algorithm];
          if (known === undefined || known === checksum.toLowerCase()) {
            task.log("OK, got correct file already, no need to download");
            return;
          }
          throw new PveError(500, `checksum mismatch: got '${known}' != expect '${checksum}', aborting`);
        }
        task.log(`downloading ${url} to ${dest}`);
        const file = await fetchFile(url, verify);
        const checksums: Record<string, string> = {};
        if (file.data) {
          for (const a of ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]) checksums[a] = digest(a, file.data);
          if (checksum && algorithm && checksums[algorithm] !== checksum.toLowerCase()) {
            throw new PveError(500, `checksum mismatch: got '${checksums[algorithm]}' != expect '${checksum}'`);
          }
        } else if (checksum) {
          task.log(`simulated download of a non-loopback URL: checksum '${checksum}' accepted unverified`);
          checksums[algorithm] = checksum.toLowerCase();
        }
        const virtualSize = verifiedVirtualSize(format, file.data);
        putFile(sim.state, node, storage, content, filename, { format, size: file.size, virtualSize, checksums });
        task.log(`download of '${url}' to '${dest}' finished`);
      },
    },
  );
}

/** `GET /nodes/{node}/query-url-metadata`: HEAD of a loopback URL, or the invented metadata of any other. */
async function urlMetadata(req: ApiRequest, sim: SimContext): Promise<unknown> {
  requireNode(sim, req.params.node);
  const meta = await queryUrlMetadata(req.args.url, req.args["verify-certificates"] !== "0");
  const out: Record<string, unknown> = {};
  if (meta.filename) out.filename = meta.filename;
  if (meta.size) out.size = meta.size;
  if (meta.mimetype) out.mimetype = meta.mimetype;
  return out;
}

/**
 * `POST …/upload` (multipart): an `imgcopy` task storing the uploaded file, overwriting an existing
 * one as PVE does, after checking `checksum` when `checksum-algorithm` is given.
 */
function upload(req: ApiRequest, sim: SimContext): string {
  const { node, storage } = req.params;
  requireNode(sim, node);
  const content = req.args.content;
  const file = req.files?.filename;
  if (!file) throw new PveError(500, "missing temporary file name");
  const filename = normalizeContentFilename(file.filename);
  fileStorage(sim, node, storage, content);
  const format = fileFormat(content, filename, "upload");
  const { checksum } = req.args;
  const algorithm = req.args["checksum-algorithm"];
  return startJobTask(
    sim,
    { node, type: "imgcopy", id: "", user: authId(req.auth) },
    {
      locks: [],
      commit: (task) => {
        const checksums: Record<string, string> = {};
        for (const a of ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]) checksums[a] = digest(a, file.data);
        if (algorithm && checksums[algorithm] !== (checksum ?? "").toLowerCase()) {
          throw new PveError(500, `checksum mismatch: got '${checksums[algorithm]}' != expect '${checksum}'`);
        }
        const virtualSize = verifiedVirtualSize(format, file.data);
        putFile(sim.state, node, storage, content, filename, { format, size: file.data.length, virtualSize, checksums });
        task.log(`file size is: ${file.data.length}`);
      },
    },
  );
}

/** Remote downloads and uploads into file-based storages. */
export const storageDownloadRoutes: Route[] = [
  route("POST", "/nodes/{node}/storage/{storage}/download-url", downloadUrl),
  route("GET", "/nodes/{node}/query-url-metadata", urlMetadata),
  route("POST", "/nodes/{node}/storage/{storage}/upload", upload, { maxBodyBytes: MAX_UPLOAD_BYTES }),
];
