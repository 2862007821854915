import * as path from "path";
import { writeFileAtomic } from "../../io/atomic-write";
import { ParsedArgs, stringFlag } from "../args";
import { Command, UsageError } from "../command";
import { EXIT } from "../exit-codes";
import { projectRoot } from "../project-root";
import { TARGET_OPTIONS } from "../target-option";

const FORMATS = ["markdown", "json", "sarif"] as const;

/** `proxmox-cdk scan`: the policy pack on a running cluster's configuration, read-only. */
export const scanCommand: Command = {
  name: "scan",
  summary: "judge a running cluster's configuration with the policy pack (read-only token; exit 2 on errors)",
  args: {
    options: {
      format: {
        type: "string",
        short: "f",
        valueName: "FORMAT",
        description: "markdown (default), json or sarif (SARIF 2.1.0; guests in the run's properties)",
      },
      out: { type: "string", short: "o", valueName: "FILE", description: "write the report to FILE (whole or not at all) instead of stdout" },
      "max-guests": { type: "string", valueName: "N", description: "refuse a cluster with more than N VMs and containers (default 5000)" },
      concurrency: { type: "string", valueName: "N", description: "API requests in flight at once (default 4)" },
      "state-dir": { type: "string", valueName: "DIR", description: "where the environments' Terraform states are (default <project>/.state)" },
      quiet: { type: "boolean", short: "q", description: "no progress on stderr" },
      ...TARGET_OPTIONS,
    },
  },
  description: `Reads the cluster in PROXMOX_VE_ENDPOINT with the token in PROXMOX_VE_API_TOKEN (GET only; a token
with the PVEAuditor role on / suffices): nodes, every VM's and container's configuration and
firewall, the datacenter firewall with its security groups, IP sets and aliases, ACLs, users and
their tokens (ids only), roles, backup jobs and HA resources. Each object is mapped to the provider
resource Terraform would hold for it and judged by the same rules as \`check\`; rules that judge only
Terraform are listed as not applied. Each guest is marked managed (its id in an environment's
Terraform state, or the proxmox-cdk tag) or unmanaged. Exit 2 on error-level findings.

Example: PROXMOX_VE_API_TOKEN='auditor@pve!scan=…' proxmox-cdk scan --format sarif --out scan.sarif`,
  async run(args) {
    const format = stringFlag(args, "format", "markdown") as string;
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
      throw new UsageError(`--format ${JSON.stringify(format)} is not a report format: use one of ${FORMATS.join(", ")}.`);
    }
    const maxGuests = intFlag(args, "max-guests");
    const concurrency = intFlag(args, "concurrency");
    const out = stringFlag(args, "out");
    const root = projectRoot();
    const stateDir = path.resolve(stringFlag(args, "state-dir", path.join(root, ".state")) as string);
    const { PveReader } = require("../../scan/pve-reader") as typeof import("../../scan/pve-reader");
    const { readLiveSnapshot } = require("../../scan/read-live-snapshot") as typeof import("../../scan/read-live-snapshot");
    const { readStateIndex } = require("../../scan/managed-guests") as typeof import("../../scan/managed-guests");
    const { scanSnapshot } = require("../../scan/scan-snapshot") as typeof import("../../scan/scan-snapshot");
    const { renderScanReport } = require("../../scan/scan-report") as typeof import("../../scan/scan-report");
    const { readOnlyTarget } = require("../../deploy/read-only-target") as typeof import("../../deploy/read-only-target");
    const { target, conn } = await readOnlyTarget(root, args.flags.sim === true);
    try {
      const showProgress = args.flags.quiet !== true && process.stderr.isTTY === true;
      const reader = new PveReader(conn, concurrency ? { concurrency } : {});
      const snapshot = await readLiveSnapshot(reader, {
        ...(maxGuests ? { maxGuests } : {}),
        onGuest: (done, total) => {
          if (showProgress && (done % 25 === 0 || done === total)) process.stderr.write(`\rscan: read ${done}/${total} guests${done === total ? "\n" : ""}`);
        },
      });
      const result = scanSnapshot(snapshot, { states: readStateIndex(stateDir) });
      const report = renderScanReport(result, format as (typeof FORMATS)[number], { target: target.description });
      if (out) writeFileAtomic(out, report);
      else process.stdout.write(report);
      const errors = result.policy.findings.filter((f) => f.severity === "error").length;
      if (args.flags.quiet !== true) {
        const unmanaged = result.guests.filter((g) => !g.managed).length;
        console.error(
          `Scanned ${result.guests.length} guest(s) (${unmanaged} unmanaged) with ${reader.requests} API requests: ${errors ? `${errors} error-level finding(s)` : "no error-level findings"}${out ? `; report written to ${out}` : ""}.`,
        );
      }
      return errors ? EXIT.changes : EXIT.ok;
    } finally {
      await target.stop();
    }
  },
};

function intFlag(args: ParsedArgs, name: string): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,6}$/.test(text)) throw new UsageError(`--${name} ${JSON.stringify(text)} is not a positive whole number.`);
  return Number(text);
}
