import { createHash } from "crypto";
import { simulatedSize } from "../../../sim/storage/url-source";
import { fakeContext } from "../qemu/fake-context";
import { ImageServer, qcow2Image, serveImages } from "../qemu/fixtures";

const GiB = 1024 ** 3;

describe("download-url, query-url-metadata and storage content", () => {
  let images: ImageServer;

  beforeAll(async () => {
    images = await serveImages({ "debian.qcow2": qcow2Image(3 * GiB), "junk.qcow2": Buffer.from("not an image") });
  });
  afterAll(() => images.close());

  const download = (ctx: ReturnType<typeof fakeContext>, args: Record<string, string>) =>
    ctx.task("POST", "/nodes/pve1/storage/local/download-url", { content: "import", filename: "debian.qcow2", ...args });

  it("fetches a loopback URL, verifies its checksum and lists the file with its size and format", async () => {
    // GIVEN a loopback image and its sha256
    const ctx = fakeContext();

    // WHEN it is downloaded as import content
    const status = await download(ctx, { url: images.url("debian.qcow2"), checksum: images.sha256("debian.qcow2"), "checksum-algorithm": "sha256" });

    // THEN the task succeeds and the storage lists it with integer size
    expect(status).toBe("OK");
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/content", { content: "import" })).toEqual([
      { volid: "local:import/debian.qcow2", content: "import", format: "qcow2", size: 1024, ctime: expect.any(Number) },
    ]);
  });

  it("fails the task on a checksum mismatch, as PVE words it", async () => {
    const ctx = fakeContext();
    const status = await download(ctx, { url: images.url("debian.qcow2"), checksum: "00".repeat(32), "checksum-algorithm": "sha256" });
    expect(status).toBe(`checksum mismatch: got '${images.sha256("debian.qcow2")}' != expect '${"00".repeat(32)}'`);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/content")).toEqual([]);
  });

  it("rejects a file that is not the qcow2 image its name claims", async () => {
    const ctx = fakeContext();
    const status = await download(ctx, { url: images.url("junk.qcow2"), filename: "junk.qcow2" });
    expect(status).toBe("failed to verify file: failed to query file information with qemu-img");
  });

  it("never contacts a non-loopback URL and invents a size that query-url-metadata repeats", async () => {
    // GIVEN a URL whose host is not a loopback literal — yet 0.0.0.0 would reach the local image
    // server, so any request the simulator made would be counted there
    const ctx = fakeContext();
    const url = `http://0.0.0.0:${images.port}/images/debian-13.qcow2`;
    const before = images.hits();

    // WHEN its metadata is queried and it is downloaded
    const meta = await ctx.call("GET", "/nodes/pve1/query-url-metadata", { url });
    const status = await download(ctx, { url });

    // THEN both agree on the invented size and no request left the process
    expect(meta).toEqual({ filename: "debian-13.qcow2", size: simulatedSize(url), mimetype: "application/octet-stream" });
    expect(status).toBe("OK");
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/content/local:import%2Fdebian.qcow2")).toEqual({
      path: "/var/lib/vz/import/debian.qcow2",
      size: simulatedSize(url),
      used: simulatedSize(url),
      format: "qcow2",
    });
    expect(images.hits()).toBe(before);
  });

  it("refuses to overwrite an existing file when no checksum is given", async () => {
    const ctx = fakeContext();
    await download(ctx, { url: images.url("debian.qcow2") });
    expect(await download(ctx, { url: images.url("debian.qcow2") })).toBe("refusing to override existing file '/var/lib/vz/import/debian.qcow2'");
  });

  it("rejects a wrong extension and a block storage before starting a task", async () => {
    const ctx = fakeContext();
    await expect(download(ctx, { url: images.url("debian.qcow2"), filename: "debian.txt" })).rejects.toMatchObject({
      status: 400,
      errors: { filename: "invalid filename or wrong extension" },
    });
    await expect(
      ctx.call("POST", "/nodes/pve1/storage/local-lvm/download-url", { content: "iso", filename: "x.iso", url: images.url("x.iso") }),
    ).rejects.toThrow("can't upload to storage type 'lvmthin', not a file based storage!");
    expect(ctx.tasks).toEqual([]);
  });

  it("deletes a file with an imgdel task", async () => {
    const ctx = fakeContext();
    await download(ctx, { url: images.url("debian.qcow2") });
    expect(await ctx.task("DELETE", "/nodes/pve1/storage/local/content/local:import%2Fdebian.qcow2")).toBe("OK");
    expect(ctx.tasks.map((t) => t.type)).toEqual(["download", "imgdel"]);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/content")).toEqual([]);
  });

  it("reports node storages with sorted content types and integer capacities", async () => {
    const ctx = fakeContext();
    const list = (await ctx.call("GET", "/nodes/pve1/storage", { content: "images" })) as Array<Record<string, unknown>>;
    expect(list).toEqual([
      expect.objectContaining({
        storage: "local-lvm",
        type: "lvmthin",
        content: "images,rootdir",
        active: 1,
        enabled: 1,
        shared: 0,
        total: 400 * GiB,
        used: 0,
        avail: 400 * GiB,
      }),
    ]);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/status")).toMatchObject({ type: "dir", content: "backup,import,iso,snippets,vztmpl", shared: 0 });
    await expect(ctx.call("GET", "/nodes/pve1/storage/nope/status")).rejects.toMatchObject({ status: 400, errors: { storage: "No such storage." } });
  });

  it("stores a multipart upload after checking its checksum, overwriting an existing file", async () => {
    // GIVEN an ISO uploaded once
    const ctx = fakeContext();
    const upload = (data: Buffer, checksum?: string) =>
      ctx.call(
        "POST",
        "/nodes/pve1/storage/local/upload",
        { content: "iso", filename: "tools.iso", ...(checksum ? { checksum, "checksum-algorithm": "sha256" } : {}) },
        "root@pam",
        {
          filename: { filename: "tools.iso", data },
        },
      );
    await upload(Buffer.from("first"));
    await ctx.tasks[0].done;

    // WHEN a second, checksummed upload replaces it and a third has a wrong checksum
    await upload(Buffer.from("second, longer"), createHash("sha256").update("second, longer").digest("hex"));
    await upload(Buffer.from("third"), "00".repeat(32));
    const statuses = await Promise.all(ctx.tasks.map((t) => t.done));

    // THEN the checksummed upload won and the wrong checksum failed its task
    expect(statuses.slice(0, 2)).toEqual(["OK", "OK"]);
    expect(statuses[2]).toMatch(/^checksum mismatch: got '[0-9a-f]{64}' != expect '0{64}'$/);
    expect(await ctx.call("GET", "/nodes/pve1/storage/local/content", { content: "iso" })).toEqual([
      expect.objectContaining({ volid: "local:iso/tools.iso", format: "iso", size: "second, longer".length }),
    ]);
  });

  it("shows storage.cfg entries through GET /storage and /storage/{storage}", async () => {
    const ctx = fakeContext();
    expect(await ctx.call("GET", "/storage/local-lvm")).toEqual({
      storage: "local-lvm",
      type: "lvmthin",
      content: "images,rootdir",
      vgname: "pve",
      thinpool: "data",
    });
    expect(((await ctx.call("GET", "/storage")) as Array<{ storage: string }>).map((s) => s.storage)).toEqual(["local", "local-lvm"]);
    await expect(ctx.call("GET", "/storage/nope")).rejects.toThrow("storage 'nope' does not exist");
  });
});
