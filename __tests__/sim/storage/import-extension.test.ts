import { fakeContext } from "../qemu/fake-context";

// pve-storage PVE/API2/Storage/Status.pm download_url: import content takes $UPLOAD_IMPORT_EXT_RE_1
// (.ova, .qcow2, .raw, .vmdk); iso content takes $ISO_EXT_RE_0 (.iso, .img). The name is checked
// before a task starts, so no URL is fetched.
describe("download-url file names by content type", () => {
  it("refuses Ubuntu's .img cloud image name for import content, as PVE does", async () => {
    // GIVEN a simulator / WHEN an .img file is downloaded as import content
    const ctx = fakeContext();
    const call = ctx.call("POST", "/nodes/pve1/storage/local/download-url", {
      content: "import",
      filename: "noble-server-cloudimg-amd64.img",
      url: "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img",
    });
    // THEN it is a parameter error and no task ran
    await expect(call).rejects.toMatchObject({ status: 400, errors: { filename: "invalid filename or wrong extension" } });
    expect(ctx.tasks).toEqual([]);
  });

  it("refuses an .iso name for import content and a .qcow2 name for iso content", async () => {
    const ctx = fakeContext();
    const post = (content: string, filename: string) =>
      ctx.call("POST", "/nodes/pve1/storage/local/download-url", { content, filename, url: `https://example.com/${filename}` });
    await expect(post("import", "Win11.iso")).rejects.toMatchObject({ status: 400, errors: { filename: "invalid filename or wrong extension" } });
    await expect(post("iso", "debian.qcow2")).rejects.toMatchObject({ status: 400, errors: { filename: "wrong file extension" } });
    expect(ctx.tasks).toEqual([]);
  });
});
