import { parseEnvironment, resolveDefaults } from "../../envspec";
import { exampleSpec } from "./example-spec";

const { file: FILE, text: TEXT, problems, edit } = exampleSpec("containers.yaml", "environments/ctdev.yaml");

describe("container tiers in the environment spec", () => {
  it("accepts the example: a container tier of two next to a VM tier, with intents both ways", () => {
    // GIVEN the example WHEN parsed and resolved
    const env = resolveDefaults(parseEnvironment(TEXT, FILE));
    // THEN the cache tier is a container tier from the container template with a static pool, db stays a VM tier
    expect(env.tiers.cache).toMatchObject({ kind: "container", count: 2, template: "debian12ct", ipv4: { mode: "pool", pool: "10.40.0.32/28" } });
    expect(env.tiers.db.kind).toBe("vm");
    expect(env.containerTemplates.debian12ct).toMatchObject({ checksumAlgorithm: "sha512", osType: undefined });
    expect(env.firewall.allow.map((a) => `${a.from}->${a.to}`)).toEqual(["cache->db", "db->cache"]);
  });

  it("resolves an environment without containerTemplates to none", () => {
    expect(
      resolveDefaults(
        parseEnvironment(
          edit("    kind: container\n", "")
            .replace(/containerTemplates:[\s\S]*?\n\ntiers:/, "tiers:")
            .replace("template: debian12ct", "template: debian12"),
          FILE,
        ),
      ).containerTemplates,
    ).toEqual({});
  });

  it.each([
    [
      "a container tier naming a VM template",
      edit("template: debian12ct", "template: debian12"),
      /:\d+:\d+ tiers\.cache\.template: unknown container template "debian12"; container templates are: debian12ct/,
    ],
    [
      "a VM tier naming a container template",
      edit("    template: debian12\n    ipv4: 10.40.0.16/28", "    template: debian12ct\n    ipv4: 10.40.0.16/28"),
      /:\d+:\d+ tiers\.db\.template: unknown template "debian12ct"; templates are: debian12/,
    ],
    ["a container tier on DHCP", edit("ipv4: 10.40.0.32/28", "ipv4: dhcp"), /:\d+:\d+ tiers\.cache\.ipv4: a container tier needs a static ipv4 pool/],
    ["a container tier without ipv4", edit("    ipv4: 10.40.0.32/28\n", ""), /:\d+:\d+ tiers\.cache: a container tier needs a static ipv4 pool/],
    ["os on a container tier", edit("    tags: [cache]", "    tags: [cache]\n    os: linux"), /:\d+:\d+ tiers\.cache\.os: is not allowed on a container tier/],
    [
      "userData on a container tier",
      edit("    tags: [cache]", "    tags: [cache]\n    userData: { packages: [redis] }"),
      /tiers\.cache\.userData: is not allowed on a container tier/,
    ],
    [
      "features on a VM tier",
      edit("    tags: [db]", "    tags: [db]\n    features: { nesting: true }"),
      /:\d+:\d+ tiers\.db\.features: is not allowed on a VM tier/,
    ],
    ["an unknown feature", edit("    tags: [cache]", "    tags: [cache]\n    features: { fuse: true }"), /tiers\.cache\.features/],
    ["an unknown kind", edit("kind: container", "kind: lxc"), /tiers\.cache\.kind/],
    [
      "a .tar container template",
      edit("amd64.tar.zst", "amd64.tar"),
      /containerTemplates\.debian12ct\.url: container template file name "debian-12-standard_12\.7-1_amd64\.tar" is not one/,
    ],
    [
      "a container template naming no OS",
      edit("debian-12-standard_12.7-1_amd64.tar.zst", "custom.tar.zst"),
      /containerTemplates\.debian12ct: file name "custom\.tar\.zst" names no OS type; set osType/,
    ],
    ["an upper-case checksum", edit("39f6d06e", "39F6D06E"), /containerTemplates\.debian12ct\.checksum: must be written in lower case/],
  ])("refuses %s, pointing at the line", (_name, text, message) => {
    expect(problems(text)).toMatch(message);
  });

  it("takes an explicit osType and the nesting feature", () => {
    const text = TEXT.replace("debian-12-standard_12.7-1_amd64.tar.zst", "custom.tar.zst")
      .replace("    checksumAlgorithm: sha512\n\ntiers:", "    checksumAlgorithm: sha512\n    osType: ubuntu\n\ntiers:")
      .replace("    tags: [cache]", "    tags: [cache]\n    features: { nesting: true }");
    const env = resolveDefaults(parseEnvironment(text, FILE));
    expect(env.containerTemplates.debian12ct.osType).toBe("ubuntu");
    expect(env.tiers.cache.features).toEqual({ nesting: true });
  });
});
