import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentSpecSchema, loadEnvironment, parseEnvironment, SpecError, validateEnvironment } from "../../envspec";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";
const VALID = `name: shop
stage: dev
nodes: [pve1]
network:
  bridge:
    name: vmbr0
templates:
  debian12:
    url: https://example.com/debian-12.qcow2
    checksum: ${"ab".repeat(32)}
    checksumAlgorithm: sha256
tiers:
  web:
    count: 2
    template: debian12
cloudInit:
  user: ops
  sshKeys: ["${KEY}"]
`;

function specError(run: () => unknown): SpecError {
  try {
    run();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error("expected a SpecError");
}

describe("parseEnvironment", () => {
  it("returns the spec as written when it is valid", () => {
    const spec = parseEnvironment(VALID, "environments/shop.yaml");
    expect(spec.tiers.web).toEqual({ count: 2, template: "debian12" });
  });

  it("points a problem at its YAML source as file:line:col path: message", () => {
    const error = specError(() => parseEnvironment(VALID.replace("count: 2", "count: 0"), "environments/prod.yaml"));
    expect(error.problems).toEqual([
      { file: "environments/prod.yaml", line: 14, col: 12, path: "tiers.web.count", message: "must be between 1 and 500, got 0" },
    ]);
    expect(error.message).toContain("environments/prod.yaml:14:12 tiers.web.count: must be between 1 and 500, got 0");
  });

  it("reports every problem at once, sorted by position, and lists them all in the message", () => {
    // GIVEN three problems written bottom-up
    const text = VALID.replace("user: ops", "user: root").replace("count: 2", "count: 0").replace("stage: dev", "stage: qa");

    // WHEN parsed
    const error = specError(() => parseEnvironment(text, "env.yaml"));

    // THEN they come in file order, and the message names each one on its own line
    expect(error.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(["2:8 stage", "14:12 tiers.web.count", "17:9 cloudInit.user"]);
    expect(error.message.split("\n")).toEqual([
      "env.yaml: 3 problems in the environment spec",
      '  env.yaml:2:8 stage: must be one of dev, staging, prod, got "qa"',
      "  env.yaml:14:12 tiers.web.count: must be between 1 and 500, got 0",
      expect.stringMatching(/^ {2}env\.yaml:17:9 cloudInit\.user: must not be root/),
    ]);
    expect(error.name).toBe("SpecError");
  });

  it("accepts ssh, rdp and database ports exposed to 0.0.0.0/0: that is a policy finding, not a spec error", () => {
    const text = `${VALID}firewall:\n  expose:\n${["ssh", "rdp", "postgres", "tcp/3306"].map((p) => `    - { tier: web, port: ${p}, from: 0.0.0.0/0 }`).join("\n")}\n`;
    expect(parseEnvironment(text, "env.yaml").firewall?.expose).toHaveLength(4);
  });

  it("treats a duplicate key as an error even when both values are equal", () => {
    const error = specError(() => parseEnvironment(VALID.replace("stage: dev\n", "stage: dev\nstage: dev\n"), "env.yaml"));
    expect(error.problems).toEqual([{ file: "env.yaml", line: 3, col: 1, path: "stage", message: expect.stringContaining('duplicate key "stage"') }]);
  });

  it("refuses alias expansion beyond the limit (billion laughs)", () => {
    const laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++)
      laughs.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(", ")}]`,
      );
    const error = specError(() => parseEnvironment(`${laughs.join("\n")}\n`, "laughs.yaml"));
    // the first alias use is on line 2 (`b: &b [*a, ...`), column 8
    expect(error.problems).toEqual([expect.objectContaining({ line: 2, col: 8, message: expect.stringContaining("aliases expand to too much data") })]);
  });

  it("reports positions inside flow collections", () => {
    const text = VALID.replace('sshKeys: ["', 'sshKeys: ["ssh-dss AAAA x", "');
    const error = specError(() => parseEnvironment(text, "env.yaml"));
    expect(error.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(["18:13 cloudInit.sshKeys[0]"]);
  });
});

describe("parseEnvironment on hostile input the corpus files cannot carry", () => {
  it("refuses an empty (zero-byte) file at 1:1", () => {
    const error = specError(() => parseEnvironment("", "empty.yaml"));
    expect(error.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual([expect.stringMatching(/^1:1 expected a mapping, got null/)]);
  });

  it("refuses a file over 1 MiB before parsing it, at 1:1", () => {
    // GIVEN a valid spec padded with a comment to just over 1 MiB
    const padded = `${VALID}# ${"x".repeat(1_048_576)}\n`;
    // WHEN it is parsed THEN the size is the one problem
    const error = specError(() => parseEnvironment(padded, "big.yaml"));
    expect(error.problems).toEqual([
      expect.objectContaining({ line: 1, col: 1, message: expect.stringContaining("more than the 1048576 an environment spec may have") }),
    ]);
  });

  it("reads nesting of exactly 16 mappings and lists, and refuses 17 at the 17th", () => {
    // GIVEN the root mapping plus 15 (then 16) nested flow lists under an unknown key
    const nested = (lists: number) => `${VALID}x: ${"[".repeat(lists)}1${"]".repeat(lists)}\n`;
    // WHEN parsed THEN 16 levels only meet the unknown key; 17 are refused where the 17th opens
    expect(specError(() => parseEnvironment(nested(15), "deep.yaml")).problems.map((p) => p.message)).toEqual([expect.stringContaining("unknown key")]);
    const error = specError(() => parseEnvironment(nested(16), "deep.yaml"));
    expect(error.problems).toEqual([expect.objectContaining({ line: 19, col: 19, message: expect.stringContaining("nesting deeper than 16 levels") })]);
  });

  it("refuses a forbidden key inside an anchored mapping, where it is written", () => {
    // GIVEN an anchored mapping holding __proto__
    const text = VALID.replace("tiers:\n", "x: &m {__proto__: 1}\ntiers:\n");
    const error = specError(() => parseEnvironment(text, "alias.yaml"));
    // THEN the key is reported where it is written
    expect(error.problems.map((p) => `${p.line}:${p.col} ${p.path}`)).toEqual(["12:8 x.__proto__"]);
  });
});

describe("loadEnvironment", () => {
  it("reads a file and reports problems under the path as given", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spec-"));
    const file = path.join(dir, "shop.yaml");
    fs.writeFileSync(file, VALID.replace("vmbr0", "vmbr0\n    vlan: 4095"));
    const error = specError(() => loadEnvironment(file));
    expect(error.problems).toEqual([{ file, line: 7, col: 11, path: "network.bridge.vlan", message: "must be between 1 and 4094, got 4095" }]);
    fs.rmSync(dir, { recursive: true });
  });

  it("refuses a spec whose name is not its file's name, at the name field, and says what to do", () => {
    // GIVEN staging.yaml whose spec says name: shop
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spec-"));
    const file = path.join(dir, "staging.yaml");
    fs.writeFileSync(file, VALID);
    // WHEN it is loaded THEN it is refused at 1:1 (the name field), naming both fixes
    const error = specError(() => loadEnvironment(file));
    expect(error.problems).toEqual([
      {
        file,
        line: 1,
        col: 1,
        path: "name",
        message: "is \"shop\" but the file is staging.yaml: an environment's name is its file's name; set name: staging, or rename the file to shop.yaml",
      },
    ]);
    // AND the same spec under its own name loads, as .yaml or .yml
    for (const name of ["shop.yaml", "shop.yml"]) {
      fs.writeFileSync(path.join(dir, name), VALID);
      expect(loadEnvironment(path.join(dir, name)).name).toBe("shop");
    }
    fs.rmSync(dir, { recursive: true });
  });

  it("reports a missing file as a SpecError that says how to start one", () => {
    const error = specError(() => loadEnvironment("environments/nope.yaml"));
    expect(error.problems).toEqual([
      { file: "environments/nope.yaml", line: 1, col: 1, path: "", message: expect.stringContaining("no such file; create it from environments/dev.yaml") },
    ]);
  });
});

describe("validateEnvironment (data without a source, e.g. JSON from the AI helper)", () => {
  it("returns issues with paths and no positions", () => {
    const result = validateEnvironment({ name: "shop", stage: "dev", extra: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toContainEqual({ path: ["extra"], at: "key", message: expect.stringContaining("unknown key") });
    expect(result.issues).toContainEqual({ path: ["cloudInit"], at: "value", message: "required field is missing" });
  });

  it("refuses a tier named __proto__ in JSON data instead of dropping it", () => {
    // GIVEN a valid spec as JSON data, plus a tier whose name is __proto__ (JSON.parse keeps it as an own key)
    const valid = parseEnvironment(VALID, "env.yaml");
    const data = JSON.parse(JSON.stringify(valid).replace('"tiers":{', '"tiers":{"__proto__":{"template":"debian12"},'));
    expect(Object.keys(data.tiers)).toContain("__proto__");
    // WHEN it is validated THEN the key is the problem
    const result = validateEnvironment(data);
    expect(result).toEqual({
      success: false,
      issues: [{ path: ["tiers", "__proto__"], at: "key", message: expect.stringContaining('"__proto__" is not allowed as a key') }],
    });
  });
});

describe("EnvironmentSpecSchema", () => {
  it("applies the cross-field rules when the structure is valid", () => {
    const data = { ...validData(), firewall: { allow: [{ from: "web", to: "db", port: "postgres" }] } };
    const result = EnvironmentSpecSchema.safeParse(data);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["firewall.allow.0.to", 'unknown tier "db"; tiers are: web']]);
  });
});

function validData(): Record<string, unknown> {
  const spec = parseEnvironment(VALID, "env.yaml");
  return JSON.parse(JSON.stringify(spec));
}
