import { parseArgs, UsageError } from "../../cli/args";
import { importCommand, importSelection } from "../../cli/commands/import";

const selection = (argv: string[]) => importSelection(parseArgs(argv, importCommand.args));

describe("proxmox-cdk import: which guests it is asked for", () => {
  it("takes a comma-separated list of ids", () => {
    expect(selection(["prod", "--vmid", "201,202,999999999"])).toEqual({ vmids: [201, 202, 999999999] });
  });

  it("takes a pool or a tag", () => {
    expect(selection(["prod", "--pool", "legacy_apps-1"])).toEqual({ pool: "legacy_apps-1" });
    // PVE's pve-poolid also allows dots and nesting with "/" (verify_poolname).
    expect(selection(["prod", "--pool", "team.a/web-1"])).toEqual({ pool: "team.a/web-1" });
    expect(selection(["prod", "--tag", "prod"])).toEqual({ tag: "prod" });
  });

  it.each([
    [["prod"], /exactly one of --vmid, --pool and --tag/],
    [["prod", "--vmid", "201", "--tag", "prod"], /got --vmid and --tag/],
    [["prod", "--vmid", "99"], /"99" is not a guest id/],
    [["prod", "--vmid", "201,,202"], /"" is not a guest id/],
    [["prod", "--vmid", "0201"], /"0201" is not a guest id/],
    [["prod", "--vmid", "1000000000"], /is not a guest id/],
    [["prod", "--vmid", "201;rm -rf /"], /is not a guest id/],
    [["prod", "--pool", "../etc"], /--pool "..\/etc" is not a pool id/],
    [["prod", "--pool", "a b"], /is not a pool id/],
    [["prod", "--pool", "a/b/c/d"], /is not a pool id/],
    [["prod", "--tag", '${file("/etc/passwd")}'], /is not a PVE tag/],
    [["prod", "--vmid", Array.from({ length: 501 }, (_, i) => 1000 + i).join(",")], /501 ids, more than 500/],
  ])("refuses %j before reading anything", (argv, message) => {
    expect(() => selection(argv)).toThrow(UsageError);
    expect(() => selection(argv)).toThrow(message);
  });

  it("refuses an environment name that is not one", async () => {
    await expect(importCommand.run(parseArgs(["../prod", "--vmid", "201"], importCommand.args), [])).rejects.toThrow(/is not an environment name/);
  });
});
