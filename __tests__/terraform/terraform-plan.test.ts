import { attributeChanges, changedAttributes, formatAttributeChange } from "../../terraform/attribute-changes";
import { constructPathsOf } from "../../terraform/construct-paths";
import { countPlan, destroys, formatCounts, hasChanges, readPlan, replaces, resourceLabel } from "../../terraform/terraform-plan";

/** One `resource_changes` entry as `terraform show -json` writes it. */
function entry(name: string, actions: string[], extra: Record<string, unknown> = {}, change: Record<string, unknown> = {}) {
  return {
    address: `proxmox_virtual_environment_vm.${name}`,
    mode: "managed",
    type: "proxmox_virtual_environment_vm",
    name,
    ...extra,
    change: { actions, before: {}, after: {}, ...change },
  };
}

describe("readPlan", () => {
  const plan = readPlan({
    resource_changes: [
      entry("a", ["create"]),
      entry("b", ["update"]),
      entry("c", ["delete", "create"], {}, { replace_paths: [["node_name"], ["clone", 0, "node_name"]] }),
      entry("d", ["create", "delete"]),
      entry("e", ["delete"]),
      entry("f", ["no-op"]),
      { ...entry("g", ["read"]), mode: "data" },
    ],
  });

  it("lists the managed resources the plan leaves as they are, for checks of what stays", () => {
    expect(plan.unchanged.map((c) => [c.name, c.action])).toEqual([["f", "no-op"]]);
  });

  it("keeps only the changes that do something: no no-ops, no data reads", () => {
    expect(plan.changes.map((c) => [c.name, c.action])).toEqual([
      ["a", "create"],
      ["b", "update"],
      ["c", "replace"],
      ["d", "replace"],
      ["e", "delete"],
    ]);
  });

  it("counts a replacement as an add and a destroy, like Terraform's summary", () => {
    expect(countPlan(plan)).toEqual({ add: 3, change: 1, destroy: 3, replace: 2 });
    expect(formatCounts(countPlan(plan))).toBe("Plan: 3 to add, 1 to change, 3 to destroy (2 replaced).");
  });

  it("lists what deletes an object and what is replaced", () => {
    expect(destroys(plan).map((c) => c.name)).toEqual(["c", "d", "e"]);
    expect(replaces(plan).map((c) => c.name)).toEqual(["c", "d"]);
  });

  it("sorts the replace paths, which Terraform writes in set-hash order", () => {
    expect(plan.changes.find((c) => c.name === "c")?.replacePaths).toEqual([["clone", 0, "node_name"], ["node_name"]]);
  });

  it("has changes only when something is added, changed or destroyed", () => {
    expect(hasChanges(countPlan(plan))).toBe(true);
    const quiet = readPlan({ resource_changes: [entry("f", ["no-op"])] });
    expect([hasChanges(countPlan(quiet)), formatCounts(countPlan(quiet))]).toEqual([false, "No changes."]);
  });

  it("reads resource_drift apart from the planned changes", () => {
    const refreshed = readPlan({
      resource_drift: [entry("x", ["update"], {}, { before: { memory: [{ dedicated: 1024 }] }, after: { memory: [{ dedicated: 4096 }] } })],
    });
    expect([refreshed.changes.length, refreshed.drift.map((d) => d.action)]).toEqual([0, ["update"]]);
  });

  it("names each resource by the construct path cdktf recorded, with the index of a counted resource", () => {
    const paths = constructPathsOf({
      resource: { proxmox_virtual_environment_vm: { a: { "//": { metadata: { path: "dev/tier-web/web-1/vm", uniqueId: "a" } } }, b: { name: "no metadata" } } },
    });
    const named = readPlan(
      {
        resource_changes: [
          entry("a", ["create"]),
          entry("a", ["create"], { address: "proxmox_virtual_environment_vm.a[1]", index: 1 }),
          entry("b", ["create"]),
        ],
      },
      { constructPaths: paths },
    );
    expect(named.changes.map((c) => c.constructPath)).toEqual(["dev/tier-web/web-1/vm", "dev/tier-web/web-1/vm[1]", undefined]);
  });

  it.each<[string, unknown, string]>([
    ["a document that is not an object", "plan", "(document)"],
    ["an action Terraform does not have", { resource_changes: [entry("a", ["explode"])] }, "resource_changes[0].change.actions[0]"],
    ["a change without address", { resource_changes: [{ ...entry("a", ["create"]), address: undefined }] }, "resource_changes[0].address"],
  ])("rejects %s, naming the field", (_what, json, where) => {
    expect(() => readPlan(json, { origin: "plan.json" })).toThrow(`plan.json: ${where}: `);
  });
});

describe("attributeChanges", () => {
  it("lists each changed leaf with its path, array indexes included", () => {
    const changes = attributeChanges({ memory: [{ dedicated: 1024 }], name: "a" }, { memory: [{ dedicated: 4096 }], name: "a" });
    expect(changes.map(formatAttributeChange)).toEqual(["memory.0.dedicated 1024 → 4096"]);
  });

  it("shows a restored firewall policy as input_policy ACCEPT → DROP", () => {
    expect(attributeChanges({ input_policy: "ACCEPT" }, { input_policy: "DROP" }).map(formatAttributeChange)).toEqual(["input_policy ACCEPT → DROP"]);
  });

  it("treats null, empty string, [] and {} as the same unset value", () => {
    expect(attributeChanges({ a: null, b: "", c: [], d: {} }, { a: [], b: null, c: {}, d: "" })).toEqual([]);
  });

  it("never copies a sensitive value, only says that it changed", () => {
    // GIVEN a password marked sensitive on both sides
    const c = readPlan({
      resource_changes: [
        entry(
          "a",
          ["update"],
          {},
          {
            before: { initialization: [{ password: "old-secret" }] },
            after: { initialization: [{ password: "new-secret" }] },
            before_sensitive: { initialization: [{ password: true }] },
            after_sensitive: { initialization: [{ password: true }] },
          },
        ),
      ],
    }).changes[0];
    // THEN the change names the attribute and carries neither value
    const changes = changedAttributes(c);
    expect(changes.map(formatAttributeChange)).toEqual(["initialization.0.password (sensitive) changed"]);
    expect(JSON.stringify(changes)).not.toMatch(/secret/);
  });

  it("says when a new value is known only after apply", () => {
    const c = readPlan({ resource_changes: [entry("a", ["update"], {}, { before: { vm_id: 4002 }, after: {}, after_unknown: { vm_id: true } })] }).changes[0];
    expect(changedAttributes(c).map(formatAttributeChange)).toEqual(["vm_id 4002 → (known after apply)"]);
  });

  it("quotes strings that are empty or hold spaces, so the line stays unambiguous", () => {
    expect(attributeChanges({ d: "x y" }, { d: "z" }).map(formatAttributeChange)).toEqual(['d "x y" → z']);
  });
});

describe("resourceLabel", () => {
  it("names a resource by its construct path, and one removed from the configuration by the path its logical id spells", () => {
    // GIVEN a plan where one resource is still configured and one (a replaced IP set version) is gone
    const paths = new Map([["proxmox_virtual_environment_vm.tier-web_web-1_vm_5213BF9D", "dev/tier-web/web-1/vm"]]);
    const plan = readPlan(
      {
        resource_changes: [
          entry("tier-web_web-1_vm_5213BF9D", ["update"]),
          entry("tier-db_ipset-1e9c3ef6_ipset_6FCF7285", ["delete"]),
          entry("plain", ["delete"]),
        ],
      },
      { constructPaths: paths },
    );
    // WHEN labelled THEN no hashed logical id is shown where a path can be read
    expect(plan.changes.map(resourceLabel)).toEqual([
      "dev/tier-web/web-1/vm",
      "tier-db/ipset-1e9c3ef6/ipset (no longer in the configuration)",
      "proxmox_virtual_environment_vm.plain",
    ]);
  });
});
