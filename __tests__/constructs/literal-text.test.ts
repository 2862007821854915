import { DefaultTokenResolver, Lazy, StringConcat, Tokenization } from "cdktf";
import { VirtualEnvironmentPool } from "../../.gen/providers/proxmox/virtual-environment-pool";
import { FirewallAlias } from "../../constructs/firewall-alias";
import { FirewallIpSet } from "../../constructs/firewall-ipset";
import { HaResource } from "../../constructs/ha-resource";
import { HardenedVm } from "../../constructs/hardened-vm";
import { escapeTemplateText, literalText, templateSequences } from "../../constructs/literal-text";
import { Peer } from "../../constructs/peer";
import { Port } from "../../constructs/port";
import { ResourcePool } from "../../constructs/resource-pool";
import { SecurityGroup } from "../../constructs/security-group";
import { VmTemplate } from "../../constructs/vm-template";
import * as fs from "fs";
import * as path from "path";
import { strayTemplateSequences } from "../stacks/template-check";
import { CHECKSUM, SSH_KEY, debianTemplate, newStack, onlyResource, synthJson } from "./fixtures";

/** Text Terraform would evaluate, in the forms that matter: a function, a variable, a directive, escapes. */
const HOSTILE = 'a ${file("/etc/hostname")} ${var.x} %{ if true }y%{ endif } $${kept} %%{kept} $$${three}';
/** What the synthesised JSON must hold for it: every sequence escaped once, nothing else changed. */
const ESCAPED = 'a $${file("/etc/hostname")} $${var.x} %%{ if true }y%%{ endif } $$${kept} %%%{kept} $$$${three}';

describe("literal text", () => {
  it("escapes ${ and %{ so that Terraform reads the text as written", () => {
    expect(escapeTemplateText(HOSTILE)).toBe(ESCAPED);
    // AND the escaped text has no sequence Terraform would evaluate
    expect(templateSequences(ESCAPED)).toEqual([]);
    expect(templateSequences(HOSTILE)).toEqual([2, 27, 36, 49]);
  });

  it("leaves text without template sequences as it is, including cloud-init style text, newlines and quotes", () => {
    const text = '#cloud-config\nruncmd: ["echo $HOME {x} 100%"]\n';
    expect(literalText({ text })).toEqual({ text });
  });

  it("keeps a token inside a string a reference and escapes only the literal parts", () => {
    // GIVEN a comment that mixes a reference and hostile text
    const { stack } = newStack();
    const pool = new ResourcePool(stack, "pool", { poolId: "p" });
    new VirtualEnvironmentPool(stack, "other", literalText({ poolId: "o", comment: `${HOSTILE} of ${pool.poolId}` }));
    // WHEN synthesised THEN the reference stays an interpolation and the literal part is escaped
    const other = synthJson(stack).resource.proxmox_virtual_environment_pool;
    const comment = Object.values(other).find((p) => p.pool_id === "o")!.comment as string;
    expect(comment).toMatch(/^a \$\$\{file.* of \$\{proxmox_virtual_environment_pool\.pool_[0-9A-F]{8}\.pool_id\}$/);
    expect(comment.replace(/ of \$\{.*\}$/, "")).toBe(ESCAPED);
  });

  it("escapes what a lazy value produces (string, list and any), when it is produced", () => {
    // GIVEN lazy values that produce hostile text after construction
    const { stack } = newStack();
    let produced = "early";
    new VirtualEnvironmentPool(stack, "s", literalText({ poolId: "s", comment: Lazy.stringValue({ produce: () => produced }) }));
    const config = literalText({ a: Lazy.listValue({ produce: () => [produced] }), b: Lazy.anyValue({ produce: () => ({ c: produced }) }) });
    produced = HOSTILE;
    // WHEN resolved THEN every output is escaped
    expect(onlyResource(stack, "proxmox_virtual_environment_pool").comment).toBe(ESCAPED);
    expect(Tokenization.resolve(config, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })).toEqual({
      a: [ESCAPED],
      b: { c: ESCAPED },
    });
  });

  it("does not touch meta-arguments (depends_on, lifecycle)", () => {
    const config = { lifecycle: { ignoreChanges: ["${x}"] }, comment: "${x}" };
    expect(literalText(config)).toEqual({ lifecycle: { ignoreChanges: ["${x}"] }, comment: "$${x}" });
  });
});

describe("constructs hand every literal prop to Terraform as literal text", () => {
  it("VmTemplate: the image URL reaches the download and the description unevaluated", () => {
    // GIVEN a template whose image URL holds template sequences
    const { stack } = newStack();
    const url = 'https://images.example/${file("/etc/hostname")}/x%{endif}/debian-12.qcow2';
    new VmTemplate(stack, "t", { node: "pve1", name: "debian-12", vmId: 9000, image: { url, checksum: CHECKSUM } });
    // WHEN synthesised THEN the URL is escaped in both places
    const escapedUrl = escapeTemplateText(url);
    expect(onlyResource(stack, "proxmox_download_file").url).toBe(escapedUrl);
    expect(onlyResource(stack, "proxmox_virtual_environment_vm").description).toContain(`image: ${escapedUrl}\n`);
    expect(strayTemplateSequences(synthJson(stack))).toEqual([]);
  });

  it("HardenedVm: SSH key comments, description and tags stay text; rule comments with references keep them", () => {
    // GIVEN a VM with hostile text in its key comment, description and rule comments
    const { stack } = newStack();
    const template = debianTemplate(stack);
    const key = `${SSH_KEY.split(" ").slice(0, 2).join(" ")} ops \${file("/etc/passwd")}`;
    const db = new HardenedVm(stack, "db", { node: "pve1", name: "db", template, user: { sshKeys: [key] }, description: HOSTILE, tags: ["t${x}"] });
    const web = new HardenedVm(stack, "web", { node: "pve1", name: "web", template, user: { sshKeys: [SSH_KEY] } });
    db.connections.allowFrom(web, Port.tcp(5432), HOSTILE);
    db.connections.allowFrom(Peer.cidr("10.0.0.0/8"), Port.tcp(22), `ssh %{x} for vm ${web.vmId}`);

    // WHEN synthesised
    const json = synthJson(stack);
    const vm = Object.values(json.resource.proxmox_virtual_environment_vm).find((v) => v.name === "db")!;
    const rules = Object.values(json.resource.proxmox_virtual_environment_firewall_rules)[0].rule as { comment: string }[];

    // THEN the key and description are escaped literal text
    expect((vm.initialization as { user_account: { keys: string[] } }).user_account.keys).toEqual([escapeTemplateText(key)]);
    expect(vm.description).toBe(ESCAPED);
    expect(vm.tags).toContain("t$${x}");
    // AND the rule comments are escaped, the reference inside one still an interpolation
    expect(rules.map((r) => r.comment)).toEqual(
      expect.arrayContaining([ESCAPED, expect.stringMatching(/^ssh %%\{x\} for vm \$\{proxmox_virtual_environment_vm\.web_vm_[0-9A-F]{8}\.vm_id\}$/)]),
    );
    expect(strayTemplateSequences(json)).toEqual([]);
  });

  it("SecurityGroup, FirewallIpSet, FirewallAlias, ResourcePool, HaResource: comments stay text", () => {
    // GIVEN every firewall object and the pool with a hostile comment
    const { stack } = newStack();
    const group = new SecurityGroup(stack, "sg", { name: "base", comment: HOSTILE });
    group.connections.allowFrom(Peer.cidr("10.0.0.0/8"), Port.SSH, HOSTILE);
    new FirewallIpSet(stack, "set", { name: "web", comment: HOSTILE, entries: [{ cidr: "10.0.0.1", comment: HOSTILE }] });
    new FirewallAlias(stack, "alias", { name: "gw", cidr: "10.0.0.1", comment: HOSTILE });
    new ResourcePool(stack, "pool", { poolId: "p", comment: HOSTILE });
    new HaResource(stack, "ha", { vmId: 100, comment: HOSTILE });

    // WHEN synthesised THEN each comment is the escaped text
    const sg = onlyResource(stack, "proxmox_virtual_environment_cluster_firewall_security_group");
    expect([sg.comment, (sg.rule as { comment: string }[])[0].comment]).toEqual([ESCAPED, ESCAPED]);
    const set = onlyResource(stack, "proxmox_virtual_environment_firewall_ipset");
    expect([set.comment, (set.cidr as { comment: string }[])[0].comment]).toEqual([ESCAPED, ESCAPED]);
    expect(onlyResource(stack, "proxmox_virtual_environment_firewall_alias").comment).toBe(ESCAPED);
    expect(onlyResource(stack, "proxmox_virtual_environment_pool").comment).toBe(ESCAPED);
    expect(onlyResource(stack, "proxmox_haresource").comment).toBe(ESCAPED);
    expect(strayTemplateSequences(synthJson(stack))).toEqual([]);
  });
});

describe("the one home of literal text", () => {
  it("every provider resource and output a construct creates gets its config through literalText", () => {
    // GIVEN the sources of the constructs and the environment stack
    const root = path.join(__dirname, "..", "..");
    const files = [...fs.readdirSync(path.join(root, "constructs")).map((f) => path.join("constructs", f)), path.join("stacks", "environment-stack.ts")];
    const unwrapped: string[] = [];
    for (const file of files.filter((f) => f.endsWith(".ts"))) {
      const source = fs.readFileSync(path.join(root, file), "utf8");
      // Classes that write configuration into the JSON: the generated bindings and cdktf's outputs.
      const bindings = [...source.matchAll(/import \{([^}]*)\} from "\.\.\/\.gen\/[^"]*"/g)].flatMap((m) => m[1].split(",").map((n) => n.trim()));
      for (const cls of [...bindings.filter((n) => /^[A-Z]/.test(n)), "TerraformOutput"]) {
        for (const m of source.matchAll(new RegExp(`new ${cls}\\(this, [^,]+, (\\S+)`, "g"))) {
          if (!m[1].startsWith("literalText(")) unwrapped.push(`${file}: new ${cls}(… ${m[1]}`);
        }
      }
    }
    // WHEN / THEN none is created without it
    expect(unwrapped).toEqual([]);
  });
});
