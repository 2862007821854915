import { configuredVmNames, findOrphans, formatOrphans, stateVmIds } from "../../deploy/orphans";

describe("orphans", () => {
  const guests = [
    { vmid: 100, node: "pve1", type: "qemu", name: "dev-debian12", pool: "dev", template: 1 },
    { vmid: 101, node: "pve1", type: "qemu", name: "dev-web-1", pool: "dev" },
    { vmid: 102, node: "pve2", type: "qemu", name: "dev-app-1", pool: "dev" },
    { vmid: 103, node: "pve1", type: "qemu", name: "staging-web-1", pool: "staging" },
    { vmid: 3050, node: "pve3", type: "qemu", name: "hand-made" },
    { vmid: 104, node: "pve1", type: "lxc", name: "ct", pool: "dev" },
  ];

  it("finds guests in the environment's pool or id range that the state does not record", () => {
    const orphans = findOrphans(guests, { env: "dev", known: new Set([100, 101]), vmIdRange: { start: 3000, end: 3099 } });
    expect(orphans.map((o) => [o.vmId, o.type, o.mark])).toEqual([
      [102, "qemu", "pool dev"],
      [104, "lxc", "pool dev"],
      [3050, "qemu", "id in vmIdRange 3000-3099"],
    ]);
  });

  it("finds nothing when the state records every guest of the environment", () => {
    expect(findOrphans(guests, { env: "dev", known: new Set([100, 101, 102, 104]) })).toEqual([]);
  });

  it("reads the VM ids of a state and the configured VM names of a plan", () => {
    const state = {
      values: {
        root_module: {
          resources: [
            { address: "proxmox_virtual_environment_vm.a", type: "proxmox_virtual_environment_vm", values: { vm_id: 101 } },
            { address: "x.b", type: "x", values: { vm_id: 7 } },
          ],
        },
      },
    };
    expect([...stateVmIds(state)]).toEqual([101]);
    const planJson = {
      configuration: {
        root_module: {
          resources: [
            { address: "proxmox_virtual_environment_vm.app", type: "proxmox_virtual_environment_vm", expressions: { name: { constant_value: "dev-app-1" } } },
          ],
        },
      },
    };
    expect([...configuredVmNames(planJson)]).toEqual([["dev-app-1", "proxmox_virtual_environment_vm.app"]]);
  });

  it("reads container ids of a state and configured container hostnames, and names a container orphan by its lxc path", () => {
    // GIVEN a state and a plan with a container WHEN read THEN its id and hostname count like a VM's
    const CT = "proxmox_virtual_environment_container";
    expect([...stateVmIds({ values: { root_module: { resources: [{ address: `${CT}.c`, type: CT, values: { vm_id: 104 } }] } } })]).toEqual([104]);
    const planJson = {
      configuration: {
        root_module: { resources: [{ address: `${CT}.c`, type: CT, expressions: { initialization: [{ hostname: { constant_value: "ct" } }] } }] },
      },
    };
    const configured = configuredVmNames(planJson);
    expect([...configured]).toEqual([["ct", `${CT}.c`]]);
    // AND an orphaned container gets the adopt command for that address and the lxc removal
    const orphans = findOrphans(guests, { env: "dev", known: new Set([100, 101, 102]), configured });
    expect(formatOrphans(orphans, "w")).toEqual([
      "Orphans: 1 guest(s) of this environment that Terraform does not know (not in state):",
      '  CT 104 "ct" on pve1 (pool dev)',
      `    adopt:  (cd w && terraform import '${CT}.c' pve1/104)`,
      "    remove: pvesh delete /nodes/pve1/lxc/104 --purge 1 --destroy-unreferenced-disks 1   (on a PVE node)",
    ]);
  });

  it("gives the import command when a configured VM has the orphan's name, and always the removal", () => {
    const [orphan] = findOrphans(guests, {
      env: "dev",
      known: new Set([100, 101]),
      configured: new Map([["dev-app-1", "proxmox_virtual_environment_vm.app"]]),
    });
    expect(formatOrphans([orphan], "cdktf.out/stacks/dev")).toEqual([
      "Orphans: 1 guest(s) of this environment that Terraform does not know (not in state):",
      '  VM 102 "dev-app-1" on pve2 (pool dev)',
      "    adopt:  (cd cdktf.out/stacks/dev && terraform import 'proxmox_virtual_environment_vm.app' pve2/102)",
      "    remove: pvesh delete /nodes/pve2/qemu/102 --purge 1 --destroy-unreferenced-disks 1   (on a PVE node)",
    ]);
  });
});
