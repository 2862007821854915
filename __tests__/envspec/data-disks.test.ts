import { parseEnvironment, resolveDefaults } from "../../envspec";
import { exampleSpec } from "./example-spec";

const { file: FILE, text: TEXT, problems, edit } = exampleSpec("data-disks.yaml", "environments/vault.yaml");

describe("data disks, extra NICs and data protection in the environment spec", () => {
  it("resolves data disks encrypted by default, NICs with the firewall on, and the tang servers", () => {
    // GIVEN the example WHEN parsed and resolved
    const env = resolveDefaults(parseEnvironment(TEXT, FILE));
    // THEN
    expect(env.tiers.db.dataDisks).toEqual([
      { sizeGiB: 100, encrypted: true },
      { sizeGiB: 20, storage: "tank", encrypted: true },
    ]);
    expect(env.tiers.db.nics).toEqual([{ bridge: "vmbr1", vlan: 50, firewall: true }]);
    expect(env.dataProtection).toMatchObject({ diskUnlock: "tang", threshold: 2 });
    expect(env.dataProtection.tang.map((t) => t.url)).toEqual(["http://tang1.example.net:7500", "http://tang2.example.net"]);
  });

  it("resolves a tier without data disks or NICs to none, and no dataProtection to tang without servers", () => {
    const env = resolveDefaults(
      parseEnvironment(edit("dataDisks:", "unused:").replace(/\n {4}unused:[\s\S]*?\ndataProtection:[\s\S]*?threshold: 2\n/, "\n"), FILE),
    );
    expect(env.tiers.db.dataDisks).toEqual([]);
    expect(env.tiers.db.nics).toEqual([]);
    expect(env.dataProtection).toEqual({ diskUnlock: "tang", tang: [], threshold: 1 });
  });

  it.each([
    ["a data disk of 0 GiB", edit("sizeGiB: 100", "sizeGiB: 0"), /:16:\d+ tiers\.db\.dataDisks\[0\]\.sizeGiB: must be between 1 and 65536, got 0/],
    ["a storage that is not a storage id", edit("storage: tank", 'storage: "tank;x"'), /tiers\.db\.dataDisks\[1\]\.storage: must be a storage id/],
    ["a NIC VLAN of 4095", edit("vlan: 50", "vlan: 4095"), /tiers\.db\.nics\[0\]\.vlan: must be between 1 and 4094, got 4095/],
    ["a NIC on a bridge name with a space", edit("bridge: vmbr1", 'bridge: "vmbr 1"'), /tiers\.db\.nics\[0\]\.bridge: must be a bridge name/],
    [
      "an unknown data disk field",
      edit("{ sizeGiB: 100 }", "{ sizeGiB: 100, cache: unsafe }"),
      /:16:\d+ tiers\.db\.dataDisks\[0\]\.cache: unknown key \(allowed: sizeGiB, storage, encrypted\)/,
    ],
    [
      "a tang URL with a user",
      edit("http://tang1.example.net:7500", "http://me@tang1.example.net"),
      /dataProtection\.tang\[0\]\.url: must be an http\(s\) URL of a tang server/,
    ],
    ["a tang URL with a query", edit("http://tang2.example.net", "http://tang2.example.net/?x=1"), /dataProtection\.tang\[1\]\.url: must be an http\(s\) URL/],
    [
      "a thumbprint too short",
      edit("x100_0-5p3K8YBmXpfLxPLTZEgdA1mUqW2s9QBpPkw4", "abc"),
      /dataProtection\.tang\[0\]\.thumbprint: must be a tang signing-key thumbprint/,
    ],
    [
      "a threshold above the number of servers",
      edit("threshold: 2", "threshold: 3"),
      /dataProtection\.threshold: must be at most the number of tang servers listed/,
    ],
    ["tang servers with tpm2", edit("diskUnlock: tang", "diskUnlock: tpm2"), /dataProtection\.diskUnlock: tang and threshold belong to diskUnlock: tang/],
    [
      "an encrypted disk with tang and no servers",
      edit("dataProtection:\n  diskUnlock: tang\n", "dataProtection:\n  diskUnlock: tang\nx:\n").replace(/\nx:\n[\s\S]*?threshold: 2\n/, "\n"),
      /:16:\d+ tiers\.db\.dataDisks\[0\]: is encrypted \(the default\) and unlocks with tang, but dataProtection lists no tang servers/,
    ],
    [
      "data disks on a container tier",
      edit("    template: debian12\n", "    template: debian12\n    kind: container\n"),
      /tiers\.db\.dataDisks: is not allowed on a container tier: data disks are for VMs/,
    ],
  ])("refuses %s, pointing at the line", (_what, text, expected) => {
    expect(problems(text)).toMatch(expected);
  });

  it("accepts encrypted disks without tang servers when they unlock with the vTPM", () => {
    const text = edit("  diskUnlock: tang\n", "  diskUnlock: tpm2\n").replace(/\n {2}tang:\n[\s\S]*?threshold: 2\n/, "\n");
    expect(resolveDefaults(parseEnvironment(text, FILE)).dataProtection).toEqual({ diskUnlock: "tpm2", tang: [], threshold: 1 });
  });
});
