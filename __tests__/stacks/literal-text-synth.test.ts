import { Testing, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { addEnvironmentStacks, environmentFiles } from "../../stacks/environment-app";
import { ACCESS_CASES } from "../policy/cases/access-cases";
import { FIREWALL_CASES } from "../policy/cases/firewall-cases";
import { OPS_CASES } from "../policy/cases/ops-cases";
import { VM_CASES } from "../policy/cases/vm-cases";
import { stackWith } from "../policy/policy-fixtures";
import { SSH_KEY, debianTemplate, newStack } from "../constructs/fixtures";
import { environmentStack } from "../e2e/constructs/environment";
import { literalStrings, strayTemplateSequences } from "./template-check";

const ENV_DIR = path.resolve(__dirname, "..", "..", "environments");
const SHIPPED = environmentFiles(ENV_DIR).map((f) => path.basename(f, ".yaml"));

/** What an attacker (or a careless copy-paste) writes into the spec's free-text fields. */
const HOSTILE = {
  /** Path segments of the image URL: Terraform would read the file and send its content to PVE (a URL has no spaces). */
  urlSegment: '${file("/etc/hostname")}/x%{endif}',
  /** A firewall intent comment: an undefined variable and a directive break the plan. */
  comment: "c ${var.x} %{ if true }y%{ endif } $${kept} %%{also}",
  /** The comment part of an SSH public key. */
  keyComment: 'ops ${file("/etc/passwd")}',
};

function synthEnvironments(dir: string, only?: string[]): Record<string, Record<string, unknown>> {
  const app = Testing.app();
  const stacks = addEnvironmentStacks(app, { dir, only });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as Record<string, unknown>]));
}

/** A copy of a shipped spec with {@link HOSTILE} text in every free-text field it has. */
function hostileCopy(name: string): { dir: string; injected: string[] } {
  const spec = YAML.parse(fs.readFileSync(path.join(ENV_DIR, `${name}.yaml`), "utf8"));
  const injected: string[] = [];
  for (const t of Object.values<{ url: string }>(spec.templates)) {
    const cut = t.url.lastIndexOf("/");
    t.url = `${t.url.slice(0, cut)}/${HOSTILE.urlSegment}${t.url.slice(cut)}`;
    injected.push(t.url);
  }
  for (const intent of [...(spec.firewall?.allow ?? []), ...(spec.firewall?.expose ?? [])]) intent.comment = HOSTILE.comment;
  injected.push(HOSTILE.comment);
  // A key is a line or { key, added } (the shipped specs record the day each key was added).
  const withComment = (k: string) => `${k.split(" ").slice(0, 2).join(" ")} ${HOSTILE.keyComment}`;
  spec.cloudInit.sshKeys = spec.cloudInit.sshKeys.map((k: string | { key: string; added: string }) =>
    typeof k === "string" ? withComment(k) : { ...k, key: withComment(k.key) },
  );
  injected.push(...spec.cloudInit.sshKeys.map((k: string | { key: string }) => (typeof k === "string" ? k : k.key)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "literal-text-"));
  // Quoted strings: the spec is YAML 1.2 core and refuses plain scalars YAML 1.1 reads differently (02:00).
  fs.writeFileSync(path.join(dir, `${name}.yaml`), YAML.stringify(spec, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }));
  return { dir, injected };
}

describe("synthesised JSON holds literal text: no template sequence but what a token renders", () => {
  it("finds the sequences it must find (the check itself)", () => {
    // GIVEN a configuration with one reference, and text that Terraform would evaluate
    const json = {
      resource: {
        t: {
          a: { x: "${t.a.id}-${element(element(t.a.ips, 1), 0)}", y: '${file("/etc/hostname")}', z: "%{ if true }", w: "${var.x}", k: "$${ok} %%{ok} $$${ok}" },
        },
      },
    };
    // WHEN it is checked THEN exactly the three foreign sequences are reported
    expect(
      strayTemplateSequences(json)
        .map((s) => s.path)
        .sort(),
    ).toEqual(["resource.t.a.w", "resource.t.a.y", "resource.t.a.z"]);
  });

  it.each(SHIPPED)("%s as shipped: every interpolation is a reference cdktf rendered", (name) => {
    // GIVEN the shipped spec WHEN it is synthesised THEN nothing but token references is evaluated
    const json = synthEnvironments(ENV_DIR, [name])[name];
    expect(strayTemplateSequences(json)).toEqual([]);
  });

  it.each(SHIPPED)("%s with ${…} and %{…} in its URL, comments and SSH keys: the JSON holds them as escaped literal text", (name) => {
    // GIVEN the shipped spec with hostile text in every free-text field
    const { dir, injected } = hostileCopy(name);
    try {
      // WHEN it is synthesised
      const json = synthEnvironments(dir)[name];

      // THEN Terraform evaluates nothing of it
      expect(strayTemplateSequences(json)).toEqual([]);
      // AND it hands the provider exactly the text of the spec (escapes undone), in every place
      const strings = literalStrings(json);
      for (const text of injected) expect(strings.some((s) => s === text || s.includes(text))).toBe(true);
      const comments = strings.filter((s) => s === HOSTILE.comment);
      expect(comments.length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // PVE-POL-001's fixtures fail to resolve by design (that is what the rule reports): they cannot be synthesised.
  const policyCases = [...ACCESS_CASES, ...FIREWALL_CASES, ...OPS_CASES, ...VM_CASES].filter((c) => c.ruleId !== "PVE-POL-001");
  const fixtureStacks: [string, () => TerraformStack][] = [
    ...policyCases.flatMap((c) => [
      ...Object.entries(c.bad).map(([variant, build]): [string, () => TerraformStack] => [`${c.ruleId} bad: ${variant}`, () => stackWith(build)]),
      [`${c.ruleId} good`, () => stackWith(c.good)] as [string, () => TerraformStack],
    ]),
    [
      "the debian template fixture",
      () => {
        const { stack } = newStack();
        debianTemplate(stack);
        return stack;
      },
    ],
    [
      "the e2e environment built from constructs",
      () => environmentStack({ image: { url: "https://images.example/debian-13.qcow2", sha256: "ab".repeat(32) }, sshKey: SSH_KEY }).stack,
    ],
  ];

  it.each(fixtureStacks)("fixture %s: every interpolation is a reference cdktf rendered", (_name, build) => {
    // GIVEN a construct or policy fixture WHEN it is synthesised THEN nothing but token references is evaluated
    expect(strayTemplateSequences(JSON.parse(Testing.synth(build())))).toEqual([]);
  });
});
