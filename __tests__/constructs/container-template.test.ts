import { Testing } from "cdktf";
import { DownloadFile } from "../../.gen/providers/proxmox/download-file";
import { ContainerTemplate, ContainerTemplateProps } from "../../constructs/container-template";
import { CHECKSUM, newStack } from "./fixtures";

const URL = "http://download.proxmox.com/images/system/debian-12-standard_12.7-1_amd64.tar.zst";

function template(extra: Partial<ContainerTemplateProps> = {}) {
  const { stack } = newStack();
  const t = new ContainerTemplate(stack, "ct", { node: "pve1", url: URL, checksum: CHECKSUM, ...extra });
  return { stack, t };
}

describe("ContainerTemplate", () => {
  it("has PVE download the archive as vztmpl content with its sha512 checksum verified", () => {
    // GIVEN a template with only url and checksum WHEN synthesised
    const { stack } = template();
    // THEN PVE downloads it into local's vztmpl content under the URL's file name, checksum checked
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DownloadFile, {
      node_name: "pve1",
      datastore_id: "local",
      content_type: "vztmpl",
      url: URL,
      file_name: "debian-12-standard_12.7-1_amd64.tar.zst",
      checksum: CHECKSUM,
      checksum_algorithm: "sha512",
    });
  });

  it("takes the OS type from the file name and exposes the volume id as a reference", () => {
    const { t } = template();
    expect(t.osType).toBe("debian");
    expect(t.fileId).toMatch(/^\$\{TfToken/);
  });

  it("takes an explicit OS type, file name, sha256 checksum and storage", () => {
    const { stack, t } = template({ osType: "ubuntu", fileName: "noble.tar.xz", checksum: "cd".repeat(32), checksumAlgorithm: "sha256", datastoreId: "nfs" });
    expect(t.osType).toBe("ubuntu");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DownloadFile, { file_name: "noble.tar.xz", checksum_algorithm: "sha256", datastore_id: "nfs" });
  });

  it.each([
    ["a missing checksum", { checksum: "" }, /checksum must be 128 lowercase hex digits/],
    ["a checksum of the wrong algorithm", { checksumAlgorithm: "sha256" as const }, /64 lowercase hex digits/],
    ["a plain .tar", { fileName: "debian-12.tar" }, /ending in \.tar\.gz, \.tar\.xz or \.tar\.zst/],
    ["a qcow2 image", { url: "https://example.org/debian-12.qcow2" }, /is not one this library downloads/],
    ["a file name with a path", { fileName: "../debian-12.tar.gz" }, /letters, digits/],
    ["a name without an OS type", { fileName: "custom.tar.gz" }, /names no OS type — set osType/],
    ["the unmanaged OS type", { osType: "unmanaged" as never }, /not one PVE sets containers up for/],
    ["a non-http URL", { url: "file:///etc/passwd.tar.gz" }, /must be an http\(s\) URL/],
  ])("refuses %s", (_name, extra, message) => {
    expect(() => template(extra)).toThrow(message);
  });
});
