import { hasChangesOrOrphans } from "../../deploy/workflow";

const none = { add: 0, change: 0, destroy: 0, replace: 0 };
const orphan = { vmId: 3007, type: "qemu" as const, node: "pve1", name: "dev-web-1", mark: "pool dev" };

describe("hasChangesOrOrphans", () => {
  it("counts an orphan as drift even when no resource of the state changed", () => {
    expect(hasChangesOrOrphans({ counts: none, orphans: [orphan] })).toBe(true);
  });

  it("counts a changed resource without orphans", () => {
    expect(hasChangesOrOrphans({ counts: { ...none, change: 1 }, orphans: [] })).toBe(true);
  });

  it("finds nothing when nothing changed and no orphan was found (or none looked for)", () => {
    expect(hasChangesOrOrphans({ counts: none, orphans: [] })).toBe(false);
    expect(hasChangesOrOrphans({ counts: none })).toBe(false);
  });
});
