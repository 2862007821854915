import { HardenedVm, HardenedVmProps } from "../../constructs/hardened-vm";
import { SSH_KEY, debianTemplate, newStack, synthJson } from "./fixtures";

function vm(extra: Partial<HardenedVmProps> = {}) {
  const { stack } = newStack();
  const template = debianTemplate(stack);
  const web = new HardenedVm(stack, "web", { node: "pve1", name: "web-1", template, user: { sshKeys: [SSH_KEY] }, ...extra });
  return { stack, web };
}

function vmResource(stack: Parameters<typeof synthJson>[0]) {
  const all = synthJson(stack).resource.proxmox_virtual_environment_vm;
  return Object.entries(all).find(([k]) => k.startsWith("web_"))![1] as Record<string, any>;
}

describe("HardenedVm data disks", () => {
  it("attaches data disks after the boot disk as scsi1.. with a serial that says whether the guest encrypts them", () => {
    // GIVEN two data disks, the second explicitly unencrypted on another storage
    const { stack, web } = vm({ dataDisks: [{ sizeGiB: 50 }, { sizeGiB: 10, datastoreId: "tank", encrypted: false }] });
    // WHEN synthesised
    const disks = vmResource(stack).disk;
    // THEN scsi0 stays the boot disk and the data disks follow with serials and discard
    expect(disks.map((d: any) => d.interface)).toEqual(["scsi0", "scsi1", "scsi2"]);
    expect(disks[1]).toMatchObject({ datastore_id: "local-lvm", size: 50, serial: "pcdk-luks-1", discard: "on", iothread: true });
    expect(disks[2]).toMatchObject({ datastore_id: "tank", size: 10, serial: "pcdk-data-2" });
    expect(web.dataDisks.map((d) => d.guestDevice)).toEqual([
      "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-luks-1",
      "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_pcdk-data-2",
    ]);
  });

  it("encrypts a data disk unless told otherwise", () => {
    const { web } = vm({ dataDisks: [{ sizeGiB: 5 }] });
    expect(web.dataDisks[0].encrypted).toBe(true);
  });

  it("adds a TPM 2.0 state only for tpm2 unlock of an encrypted data disk", () => {
    expect(vmResource(vm({ dataDisks: [{ sizeGiB: 5 }], diskUnlock: "tpm2" }).stack).tpm_state).toEqual({ datastore_id: "local-lvm", version: "v2.0" });
    expect(vmResource(vm({ dataDisks: [{ sizeGiB: 5 }] }).stack).tpm_state).toBeUndefined();
    expect(vmResource(vm({ dataDisks: [{ sizeGiB: 5, encrypted: false }], diskUnlock: "tpm2" }).stack).tpm_state).toBeUndefined();
  });

  it("refuses a data disk size outside 1..65536 GiB, naming the disk", () => {
    expect(() => vm({ dataDisks: [{ sizeGiB: 5 }, { sizeGiB: 0 }] })).toThrow(/dataDisks\[1\]\.sizeGiB must be an integer between 1 and 65536, got 0/);
  });

  it("refuses a datastore id that is not a storage id", () => {
    expect(() => vm({ dataDisks: [{ sizeGiB: 5, datastoreId: "local lvm" }] })).toThrow(/dataDisks\[0\]\.datastoreId "local lvm" is not a storage id/);
  });

  it("refuses more data disks than the construct supports", () => {
    expect(() => vm({ dataDisks: Array.from({ length: 17 }, () => ({ sizeGiB: 1 })) })).toThrow(/dataDisks has 17 entries, at most 16/);
  });
});

describe("HardenedVm extra NICs", () => {
  it("adds NICs after the first with the firewall on by default", () => {
    const { stack } = vm({
      extraNics: [
        { bridge: "vmbr1", vlanId: 30 },
        { bridge: "vmbr2", firewall: false },
      ],
    });
    const nics = vmResource(stack).network_device;
    expect(nics).toHaveLength(3);
    expect(nics[1]).toMatchObject({ bridge: "vmbr1", vlan_id: 30, firewall: true, model: "virtio" });
    expect(nics[2]).toMatchObject({ bridge: "vmbr2", firewall: false });
  });

  it("refuses a bridge name with characters an interface name cannot have", () => {
    expect(() => vm({ extraNics: [{ bridge: "vmbr1;rm" }] })).toThrow(/extraNics\[0\]\.bridge "vmbr1;rm" is not a bridge or vnet name/);
  });

  it("refuses a VLAN tag outside 1..4094", () => {
    expect(() => vm({ extraNics: [{ bridge: "vmbr1", vlanId: 4095 }] })).toThrow(/extraNics\[0\]\.vlanId must be an integer between 1 and 4094, got 4095/);
  });
});
