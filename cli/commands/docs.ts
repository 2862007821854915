import { Command, ENV_ARGUMENT, envArgument } from "../command";
import { stringFlag } from "../args";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk docs <env>`: Markdown documentation of an environment for runbooks. */
export const docsCommand: Command = {
  name: "docs",
  summary: "write Markdown documentation of an environment (tiers, guests, flows, exposures, policy)",
  args: {
    ...ENV_ARGUMENT,
    options: { out: { type: "string", short: "o", valueName: "FILE", description: "write to FILE (atomically) instead of standard output" } },
  },
  description: `Writes Markdown for runbooks: tiers, guests of the last deploy (ids, nodes, addresses from the
Terraform state; nothing is asked of Proxmox VE), the firewall flows as a Mermaid diagram drawn from
the same intent list as the rules, exposures, backups and HA, and the policy pack's findings.

Example: proxmox-cdk docs prod -o docs/runbooks/prod.md`,
  async run(args) {
    const env = envArgument(args, "docs");
    const out = stringFlag(args, "out");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const path = require("path") as typeof import("path");
    const { loadEnvironment, resolveDefaults } = require("../../envspec") as typeof import("../../envspec");
    const { environmentPolicy } = require("../../deploy/environment-policy") as typeof import("../../deploy/environment-policy");
    const { deployedGuests } = require("../../ui/deployed-guests") as typeof import("../../ui/deployed-guests");
    const { environmentMarkdown } = require("../../ui/environment-docs") as typeof import("../../ui/environment-docs");
    const { lastRun, readAuditLog } = require("../../ui/audit-entries") as typeof import("../../ui/audit-entries");
    const { writeFileAtomic } = require("../../io/atomic-write") as typeof import("../../io/atomic-write");
    const root = projectRoot();
    const spec = resolveDefaults(loadEnvironment(path.join(root, "environments", `${env}.yaml`)));
    const guests = await deployedGuests(root, env);
    const markdown = environmentMarkdown({
      env: spec,
      vms: guests.vms,
      findings: environmentPolicy(root, env).findings,
      lastRun: lastRun(readAuditLog(root).entries, env),
    });
    if (out) {
      writeFileAtomic(path.resolve(out), markdown);
      console.error(`docs ${env}: wrote ${out}`);
    } else process.stdout.write(markdown);
    return 0;
  },
};
