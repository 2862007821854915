import { IsoImage, IsoImageProps } from "../../constructs/iso-image";
import { WindowsVm } from "../../constructs/windows-vm";
import { newStack, onlyResource, synthJson } from "./fixtures";

const SHA256 = "cd".repeat(32);
const WIN11 = "https://software.example.com/Win11_24H2_English_x64.iso";

function iso(extra: Partial<IsoImageProps> = {}) {
  const { stack } = newStack();
  new IsoImage(stack, "win11", { node: "pve1", url: WIN11, checksum: SHA256, ...extra });
  return onlyResource(stack, "proxmox_download_file") as Record<string, any>;
}

describe("IsoImage", () => {
  it("has PVE download the ISO as iso content with its checksum verified", () => {
    // GIVEN an installer ISO with a sha256 checksum / WHEN synthesised
    const r = iso();
    // THEN PVE downloads it to local:iso under its URL's name and verifies the checksum
    expect(r).toMatchObject({
      node_name: "pve1",
      datastore_id: "local",
      content_type: "iso",
      url: WIN11,
      file_name: "Win11_24H2_English_x64.iso",
      checksum: SHA256,
      checksum_algorithm: "sha256",
    });
  });

  it("gives WindowsVm its volume id, so the VM's CD-ROM refers to the download", () => {
    // GIVEN an installer and a driver ISO downloaded by IsoImage
    const { stack } = newStack();
    const installer = new IsoImage(stack, "win11", { node: "pve1", url: WIN11, checksum: SHA256 });
    const drivers = new IsoImage(stack, "virtio", {
      node: "pve1",
      url: "https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/stable-virtio/virtio-win.iso",
      checksum: "ef".repeat(32),
    });
    // WHEN a WindowsVm takes their ids
    new WindowsVm(stack, "win", { node: "pve1", name: "win-1", installerIsoFileId: installer.fileId, virtioDriversIsoFileId: drivers.fileId });
    // THEN the CD-ROM holds a reference to the installer download and the description the driver's
    const vm = Object.values(synthJson(stack).resource.proxmox_virtual_environment_vm)[0] as Record<string, any>;
    expect(vm.cdrom.file_id).toMatch(/^\$\{proxmox_download_file\.win11_iso_[0-9A-F]+\.id\}$/);
    expect(vm.description).toMatch(/virtio drivers: \$\{proxmox_download_file\.virtio_iso_[0-9A-F]+\.id\}/);
  });

  it.each<[string, Partial<IsoImageProps>, RegExp]>([
    ["a checksum of the wrong length", { checksum: "ab".repeat(64) }, /checksum must be 64 lowercase hex digits for sha256/],
    ["a name PVE does not store as ISO content", { fileName: "Win11.exe" }, /file name "Win11.exe" must end in .iso or .img/],
    ["a name with a path", { fileName: "../Win11.iso" }, /file name "..\/Win11.iso"/],
    ["a URL that is not http(s)", { url: "file:///etc/passwd.iso" }, /url "file:\/\/\/etc\/passwd.iso" must be an http\(s\) URL/],
  ])("refuses %s", (_what, extra, message) => {
    expect(() => iso(extra)).toThrow(message);
  });
});
