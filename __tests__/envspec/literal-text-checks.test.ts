import { DefaultTokenResolver, Lazy, StringConcat, Testing, Tokenization, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { parseLocatedEnvironment } from "../../envspec";
import { literalTextChecks } from "../../envspec/literal-text-checks";

const DEV = fs.readFileSync(path.join(__dirname, "..", "..", "environments", "dev.yaml"), "utf8");
const FILE = "environments/dev.yaml";

/** dev.yaml with one text replaced; the problems of loading it, or [] when it loads. */
function problemsWith(from: string, to: string): string[] {
  if (!DEV.includes(from)) throw new Error(`dev.yaml no longer contains ${from}`);
  try {
    parseLocatedEnvironment(DEV.replace(from, to), FILE);
    return [];
  } catch (e) {
    return (e as Error).message
      .split("\n")
      .slice(1)
      .map((l) => l.trim());
  }
}

describe("spec text that cdktf would turn into a reference is refused", () => {
  it("refuses cdktf's token marker in a comment, at its line and column", () => {
    // GIVEN a comment holding a token marker WHEN the spec is loaded THEN the comment is refused where it stands
    expect(problemsWith("port: tcp/8080 }", 'port: tcp/8080, comment: "x ${TfToken[TOKEN.3]}" }')).toEqual([
      `${FILE}:52:54 firewall.allow[0].comment: contains "\${TfToken[", cdktf's token marker, which would be replaced by a reference instead of being kept as text; remove it`,
    ]);
  });

  it("refuses the list and map forms of the marker too", () => {
    expect(literalTextChecks({ a: ["#{TfToken[TOKEN.1]}"], b: { c: "&{TfToken[TOKEN.2]}" } }).map((i) => i.path)).toEqual([
      ["a", 0],
      ["b", "c"],
    ]);
  });

  it("refuses a number cdktf would decode as a number token, and only such numbers", () => {
    // GIVEN the text of a real number token
    const stack = new TerraformStack(Testing.app(), "t");
    const encoded = String(Lazy.numberValue({ produce: () => 1 }));
    expect(Tokenization.resolve(`n ${encoded}`, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })).toBe("n 1");
    // WHEN it stands in a spec comment THEN it is refused
    expect(problemsWith("port: tcp/8080 }", `port: tcp/8080, comment: "n ${encoded}" }`)).toEqual([
      expect.stringMatching(
        new RegExp(`^${FILE}:52:54 firewall.allow\\[0\\].comment: contains the number "${encoded.replace(/[.+]/g, "\\$&")}", which cdktf would read`),
      ),
    ]);
    // AND hex checksums and large numbers that are not token encodings are not
    expect(problemsWith("checksum: ab297fb0", "checksum: 5e289fb0")).toEqual([]);
    expect(literalTextChecks({ comment: "1e300 -9.9e298 2026-12-02" })).toEqual([]);
  });

  it("refuses ${…} in names and ids, which can never hold it, at its line and column", () => {
    // GIVEN a tag and a node name with a template sequence WHEN loaded THEN both are refused by their formats
    const problems = [...problemsWith("tags: [web]", "tags: ['${x}']"), ...problemsWith("nodes: [pve1, pve2, pve3]", "nodes: [pve1, '%{x}', pve3]")];
    expect(problems).toEqual([
      expect.stringMatching(/^environments\/dev\.yaml:\d+:\d+ tiers\.web\.tags\[0\]: must be a tag/),
      expect.stringMatching(/^environments\/dev\.yaml:8:15 nodes\[1\]: must be a node name/),
    ]);
  });

  it("walks a deeply nested spec without exhausting the call stack", () => {
    let deep: unknown = "x ${TfToken[TOKEN.1]}";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(literalTextChecks({ deep })).toHaveLength(1);
  });
});
