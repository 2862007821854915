import { Testing } from "cdktf";
import { DownloadFile } from "../../.gen/providers/proxmox/download-file";
import { VmTemplate, VmTemplateProps } from "../../constructs/vm-template";
import { COMMON_DEFAULTS } from "../../envspec/stage-defaults";
import { CHECKSUM, newStack, synthJson } from "./fixtures";

const IMAGE = { url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2", checksum: CHECKSUM };

function template(extra: Partial<VmTemplateProps> = {}) {
  const { stack } = newStack();
  new VmTemplate(stack, "debian", { node: "pve1", name: "debian-12", vmId: 9000, image: IMAGE, ...extra });
  const vm = Object.values(synthJson(stack).resource.proxmox_virtual_environment_vm)[0] as Record<string, any>;
  return { stack, vm };
}

describe("VmTemplate", () => {
  it("downloads the image as import content with its checksum verified", () => {
    const { stack } = template();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DownloadFile, {
      content_type: "import",
      datastore_id: "local",
      url: IMAGE.url,
      file_name: "debian-12-genericcloud-amd64.qcow2",
      checksum: CHECKSUM,
      checksum_algorithm: "sha512",
    });
  });

  it("imports the image as the root disk of a stopped template with agent, serial console and cloud-init drive", () => {
    const { vm } = template();
    expect(vm).toMatchObject({ template: true, started: false, agent: { enabled: true }, serial_device: [{ device: "socket" }], vga: { type: "serial0" } });
    expect(vm.disk[0].import_from).toMatch(/^\$\{proxmox_download_file\..*\.id\}$/);
    expect(vm.initialization).toEqual({ datastore_id: "local-lvm", ip_config: [{ ipv4: { address: "dhcp" } }] });
  });

  it("records the image URL, checksum and hardening baseline", () => {
    const { vm } = template();
    expect(vm.description).toContain(IMAGE.url);
    expect(vm.description).toContain(`sha512: ${CHECKSUM}`);
    expect(vm.description).toContain("hardening-baseline: 2026.11");
    expect(vm.tags).toContain("baseline-2026.11");
  });

  it("bakes UEFI with pre-enrolled keys into the template by default, as the environment spec does", () => {
    const { vm } = template();
    expect(vm).toMatchObject({ bios: "ovmf", machine: "q35", efi_disk: { type: "4m", pre_enrolled_keys: true } });
    expect(COMMON_DEFAULTS.uefi).toBe(true);
  });

  it("builds a SeaBIOS template without EFI disk when uefi is false", () => {
    const { vm } = template({ uefi: false });
    expect(vm.efi_disk).toBeUndefined();
    expect(vm.bios).toBeUndefined();
  });

  it("keeps a cloud image named .qcow2 by the user, e.g. Ubuntu's qcow2 .img", () => {
    const url = "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img";
    const { stack } = template({ image: { ...IMAGE, url, fileName: "noble-server-cloudimg-amd64.qcow2" } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DownloadFile, { url, file_name: "noble-server-cloudimg-amd64.qcow2" });
  });

  it.each<[string, Partial<VmTemplateProps>, RegExp]>([
    ["a missing checksum", { image: { url: IMAGE.url, checksum: "" } }, /checksum must be 128 lowercase hex digits for sha512/],
    ["a sha256 checksum of the wrong length", { image: { ...IMAGE, checksumAlgorithm: "sha256" } }, /64 lowercase hex digits for sha256/],
    ["a non-http URL", { image: { ...IMAGE, url: "file:///etc/passwd" } }, /must be an http\(s\) URL/],
    [
      "an image name PVE cannot import",
      { image: { ...IMAGE, url: "https://example.com/image" } },
      /"image" is not one PVE imports — set image.fileName .* ending in .qcow2, .raw or .vmdk/,
    ],
    [
      "Ubuntu's .img name, which PVE's download-url refuses for import content",
      { image: { ...IMAGE, url: "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img" } },
      /"noble-server-cloudimg-amd64.img" is not one PVE imports — .* Ubuntu's .img cloud images are qcow2: set image.fileName to "noble-server-cloudimg-amd64.qcow2"/,
    ],
    ["an OVA, which is imported per disk", { image: { ...IMAGE, fileName: "appliance.ova" } }, /"appliance.ova" is not one PVE imports/],
    ["a VM id below 100", { vmId: 99 }, /vmId must be an integer between 100/],
  ])("rejects %s", (_w, extra, msg) => {
    expect(() => template(extra)).toThrow(msg);
  });
});
