import { Command } from "../command";
import { APP_OPTIONS, APP_SOURCE_HELP, STACK_SOURCE_ARGUMENT, stackSource, workflowSource } from "../stack-source";
import { stringFlag } from "../args";
import { TARGET_OPTIONS } from "../target-option";
import { writeFileAtomic } from "../../io/atomic-write";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk review <env>` (or a cdktf app's stack): Markdown plan review for a pull request. */
export const reviewCommand: Command = {
  name: "review",
  summary: "plan an environment and write a Markdown review for a pull-request comment",
  args: {
    ...STACK_SOURCE_ARGUMENT,
    options: {
      ...TARGET_OPTIONS,
      ...APP_OPTIONS,
      out: { type: "string", short: "o", valueName: "FILE", description: "write the review to FILE (default: stdout)" },
    },
  },
  description: `Runs a real terraform plan (saved plan → terraform show -json) and writes Markdown: counts, the
policy verdict, destroy and replace warnings with the attributes that force replacement, a per-VM
table (vCPU / memory / disk before → after, node, tags), firewall rule diffs, policy findings with
their fix, and the attribute changes of everything else (e.g. input_policy ACCEPT → DROP). Resources
are named by construct path. Kept under GitHub's 65,536-character comment limit.
${APP_SOURCE_HELP}
An app's policy findings are those its PolicyPack annotated (\`PolicyPack.addTo(app)\`).`,
  async run(args) {
    const source = stackSource(args, "review");
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { reviewPlan } = require("../../deploy/workflow") as typeof import("../../deploy/workflow");
    const { renderReview } = require("../../review/review-markdown") as typeof import("../../review/review-markdown");
    const { appPolicyFindings, policyFindingsFor } = require("../../review/review-findings") as typeof import("../../review/review-findings");
    const result = await reviewPlan({ ...workflowSource(source), sim: args.flags.sim === true, log: (l) => console.error(l) });
    if (!result.plan) throw new Error("the review workflow returned no plan.");
    const name = result.stack?.name ?? workflowSource(source).env;
    const markdown = renderReview({
      env: name,
      plan: result.plan,
      ...(source.kind === "env"
        ? { findings: policyFindingsFor(source.root, source.env) }
        : {
            findings: appPolicyFindings(result.stack?.annotations ?? []),
            noFindingsLine: "Policy: no findings annotated (an app is checked when it adds `PolicyPack.addTo(app)`).",
          }),
      marker: `<!-- proxmox-cdk-review:${name} -->`,
    });
    const out = stringFlag(args, "out");
    if (out) writeFileAtomic(out, markdown);
    else process.stdout.write(markdown);
    return 0;
  },
};
