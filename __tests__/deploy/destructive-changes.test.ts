import { destructiveChanges, formatDestructiveChanges } from "../../deploy/destructive-changes";
import { destroys, readPlan } from "../../terraform/terraform-plan";

const VM = "proxmox_virtual_environment_vm";
const entry = (name: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address: `${VM}.${name}`,
  type: VM,
  name,
  change: { actions, before: actions[0] === "create" ? null : { vm_id: 101 }, after: actions.includes("create") ? { vm_id: 101 } : null, ...extra },
});

describe("destructive changes", () => {
  it("lists exactly the deletes and replaces the plan review shows, not creates, updates or no-ops", () => {
    // GIVEN a plan with one change of every kind
    const plan = readPlan({
      resource_changes: [
        entry("a", ["create"]),
        entry("b", ["update"]),
        entry("c", ["no-op"]),
        entry("d", ["delete"]),
        entry("e", ["delete", "create"]),
        entry("f", ["create", "delete"]),
      ],
    });
    // WHEN the changes consent is asked for are taken
    const dangerous = destructiveChanges(plan);
    // THEN they are the review's destroy/replace list
    expect(dangerous.map((c) => [c.address, c.action])).toEqual([
      [`${VM}.d`, "delete"],
      [`${VM}.e`, "replace"],
      [`${VM}.f`, "replace"],
    ]);
    expect(dangerous).toEqual(destroys(plan));
  });

  it("names each resource by construct path and address, with the attributes that force a replacement", () => {
    // GIVEN a replaced VM whose construct path is known, and a deleted one whose is not
    const plan = readPlan(
      {
        resource_changes: [
          entry("web", ["delete", "create"], {
            replace_paths: [
              ["clone", 0, "vm_id"],
              ["clone", 0, "node_name"],
            ],
          }),
          entry("old", ["delete"]),
        ],
      },
      { constructPaths: new Map([[`${VM}.web`, "dev/tier-web/dev-web-1/vm"]]) },
    );
    // WHEN listed for the terminal
    const lines = formatDestructiveChanges(destructiveChanges(plan));
    // THEN each line names the resource both ways and the forcing attributes, sorted
    expect(lines).toEqual([
      "Destroy and replace (2):",
      `  replace dev/tier-web/dev-web-1/vm (${VM}.web) — forced by clone.0.node_name, clone.0.vm_id`,
      `  destroy ${VM}.old`,
    ]);
  });

  it("prints nothing when the plan destroys nothing", () => {
    expect(formatDestructiveChanges(destructiveChanges(readPlan({ resource_changes: [entry("a", ["create"])] })))).toEqual([]);
  });
});
