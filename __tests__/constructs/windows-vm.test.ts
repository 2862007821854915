import { Lazy, Token } from "cdktf";
import { WindowsVm, WindowsVmProps } from "../../constructs/windows-vm";
import { newStack, onlyResource } from "./fixtures";

function win(extra: Partial<WindowsVmProps> = {}) {
  const { stack } = newStack();
  new WindowsVm(stack, "win", { node: "pve1", name: "win-1", installerIsoFileId: "local:iso/Win11.iso", ...extra });
  return onlyResource(stack, "proxmox_virtual_environment_vm") as Record<string, any>;
}

describe("WindowsVm", () => {
  it("uses OVMF with pre-enrolled Secure Boot keys, TPM 2.0 and q35", () => {
    expect(win()).toMatchObject({ bios: "ovmf", machine: "q35", efi_disk: { type: "4m", pre_enrolled_keys: true }, tpm_state: { version: "v2.0" } });
  });
  it("uses VirtIO SCSI single, a VirtIO NIC with the firewall on, and ostype win11", () => {
    const r = win();
    expect(r.scsi_hardware).toBe("virtio-scsi-single");
    expect(r.network_device[0]).toMatchObject({ model: "virtio", firewall: true });
    expect(r.operating_system).toEqual({ type: "win11" });
  });
  it("puts the installer on ide2, a CD-ROM slot q35 accepts", () => {
    expect(win().cdrom).toEqual({ interface: "ide2", file_id: "local:iso/Win11.iso" });
  });
  it("accepts a token as installer ISO id, e.g. a download's id known only at apply", () => {
    // GIVEN an installer ISO id that is a reference / WHEN the VM is synthesised / THEN the CD-ROM holds it
    expect(win({ installerIsoFileId: Token.asString(Lazy.stringValue({ produce: () => "local:iso/Later.iso" })) }).cdrom.file_id).toBe("local:iso/Later.iso");
  });
  it("accepts cpu type host explicitly", () => {
    expect(win({ cpuType: "host" }).cpu.type).toBe("host");
    expect(win().cpu.type).toBe("x86-64-v2-AES");
  });
  it.each<[string, Partial<WindowsVmProps>, RegExp]>([
    ["less memory than Windows 11 needs", { memoryMiB: 2048 }, /memoryMiB must be .* got 2048 — Windows 11 needs at least 4096 MiB/],
    ["a name over the NetBIOS limit", { name: "a-very-long-windows-name" }, /longer than 15 characters/],
    ["an installer that is not an ISO volume", { installerIsoFileId: "Win11.iso" }, /must be an ISO volume/],
    [
      "a driver ISO that is not an ISO volume",
      { virtioDriversIsoFileId: "local:iso/virtio.exe" },
      /virtioDriversIsoFileId "local:iso\/virtio.exe" must be an ISO volume/,
    ],
  ])("rejects %s", (_w, extra, msg) => {
    expect(() => win(extra)).toThrow(msg);
  });
});
