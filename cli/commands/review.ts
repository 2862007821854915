import { reviewPlan } from "../../deploy/workflow";
import { writeFileAtomic } from "../../io/atomic-write";
import { renderReview } from "../../review/review-markdown";
import { ensureCliToolchain } from "../ensure-toolchain";
import { stringFlag } from "../args";
import { Command, envArgument } from "../command";
import { projectRoot } from "../project-root";
import { policyFindingsFor } from "../../review/review-findings";

/** `proxmox-cdk review <env>`: Markdown plan review for a pull request. */
export const reviewCommand: Command = {
  name: "review",
  summary: "plan an environment and write a Markdown review for a pull-request comment",
  help: `Usage: proxmox-cdk review <env> [--out FILE]

Runs a real terraform plan (saved plan → terraform show -json) and writes Markdown: counts, the
policy verdict, destroy and replace warnings with the attributes that force replacement, a per-VM
table (vCPU / memory / disk before → after, node, tags), firewall rule diffs, policy findings with
their fix, and the attribute changes of everything else (e.g. input_policy ACCEPT → DROP). Resources
are named by construct path. Kept under GitHub's 65,536-character comment limit.
Default: prints to stdout.`,
  async run(args) {
    const env = envArgument(args, "review");
    await ensureCliToolchain();
    const root = projectRoot();
    const result = await reviewPlan({ root, env, log: (l) => console.error(l) });
    if (!result.plan) throw new Error("the review workflow returned no plan.");
    const markdown = renderReview({
      env,
      plan: result.plan,
      findings: policyFindingsFor(root, env),
      marker: `<!-- proxmox-cdk-review:${env} -->`,
    });
    const out = stringFlag(args, "out");
    if (out) writeFileAtomic(out, markdown);
    else process.stdout.write(markdown);
    return 0;
  },
};
