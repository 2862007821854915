import { SimState } from "../../../sim/sim-state";
import { storageSlice } from "../../../sim/storage/storage-config";
import { allocImage, cloneImage, createBase, freeVolume, listVolumes, migrateVolume, resizeVolume } from "../../../sim/storage/volumes";

const GiB = 1024 ** 3;

/** A state whose `local` directory storage also holds VM images. */
function stateWithDirImages(): SimState {
  const state = new SimState();
  const slice = storageSlice(state);
  slice.defs = slice.defs.map((d) => (d.storage === "local" ? { ...d, content: [...d.content, "images"] } : d));
  return state;
}

describe("volume naming per storage type", () => {
  it("names LVM-thin images vm-<vmid>-disk-<n>, counting base volumes of the VM as taken", () => {
    // GIVEN a VM whose first disk became a base volume
    const state = new SimState();
    createBase(state, "pve1", allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, 8 * GiB));

    // WHEN two more disks are allocated
    const a = allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, GiB);
    const b = allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, GiB);

    // THEN they take the next free numbers
    expect([a, b]).toEqual(["local-lvm:vm-100-disk-1", "local-lvm:vm-100-disk-2"]);
  });

  it("names directory images <vmid>/vm-<vmid>-disk-<n>.<format>, qcow2 by default", () => {
    const state = stateWithDirImages();
    expect(allocImage(state, "pve1", "local", 100, undefined, undefined, GiB)).toBe("local:100/vm-100-disk-0.qcow2");
    expect(allocImage(state, "pve1", "local", 100, "raw", undefined, GiB)).toBe("local:100/vm-100-disk-1.raw");
  });

  it("rounds LVM-thin sizes up to 4 MiB extents but keeps directory sizes exact", () => {
    const state = stateWithDirImages();
    allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, 540672);
    allocImage(state, "pve1", "local", 100, undefined, undefined, 540672);
    expect(listVolumes(state, "pve1", "local-lvm")[0].size).toBe(4 * 1024 ** 2);
    expect(listVolumes(state, "pve1", "local")[0].size).toBe(540672);
  });

  it("refuses a qcow2 image on LVM-thin with PVE's message", () => {
    const state = new SimState();
    expect(() => allocImage(state, "pve1", "local-lvm", 100, "qcow2", undefined, GiB)).toThrow("unsupported format 'qcow2'");
  });

  it("refuses images on a storage without the images content type", () => {
    expect(() => allocImage(new SimState(), "pve1", "local", 100, undefined, undefined, GiB)).toThrow("storage 'local' does not support vm images");
  });
});

describe("base volumes and linked clones", () => {
  it("links an LVM-thin clone to its base and keeps the base while the clone exists", () => {
    // GIVEN a template disk and a linked clone of it
    const state = new SimState();
    const base = createBase(state, "pve1", allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, 8 * GiB));
    const child = cloneImage(state, "pve1", base, 101);

    // THEN the child is a plain vm- volume whose parent is the base
    expect(base).toBe("local-lvm:base-100-disk-0");
    expect(child).toBe("local-lvm:vm-101-disk-0");
    expect(listVolumes(state, "pve1", "local-lvm", { vmid: 101 })[0]).toMatchObject({ parent: "base-100-disk-0", size: 8 * GiB });

    // AND the base cannot be freed until the clone is gone
    expect(() => freeVolume(state, "pve1", base)).toThrow("base volume 'base-100-disk-0' is still in use by linked clones");
    freeVolume(state, "pve1", child);
    freeVolume(state, "pve1", base);
    expect(listVolumes(state, "pve1", "local-lvm")).toEqual([]);
  });

  it("names a directory linked clone after its base path, as PVE's dir plugin does", () => {
    const state = stateWithDirImages();
    const base = createBase(state, "pve1", allocImage(state, "pve1", "local", 100, undefined, undefined, GiB));
    expect(base).toBe("local:100/base-100-disk-0.qcow2");
    expect(cloneImage(state, "pve1", base, 101)).toBe("local:100/base-100-disk-0.qcow2/101/vm-101-disk-0.qcow2");
  });

  it("refuses a linked clone of a volume that is not a base image", () => {
    const state = new SimState();
    const volid = allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, GiB);
    expect(() => cloneImage(state, "pve1", volid, 101)).toThrow("clone_image only works on base images");
  });
});

describe("resizing and migrating volumes", () => {
  it("resizes an image in place", () => {
    const state = new SimState();
    const volid = allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, 2 * GiB);
    expect(resizeVolume(state, "pve1", volid, 8 * GiB)).toBe(8 * GiB);
  });

  it("moves an image to the same storage of another node, keeping its name", () => {
    const state = new SimState();
    const volid = allocImage(state, "pve1", "local-lvm", 100, undefined, undefined, GiB);
    expect(migrateVolume(state, "pve1", volid, "pve2")).toBe("local-lvm:vm-100-disk-0");
    expect(listVolumes(state, "pve1", "local-lvm")).toEqual([]);
    expect(listVolumes(state, "pve2", "local-lvm")).toHaveLength(1);
  });
});
