/**
 * Tier-growth benchmark (figures, not assertions): a web tier of N members whose addresses a db VM's
 * postgres rule names, deployed against the simulator; then one member is added and the growth
 * `terraform apply` is timed. Both addressings of a VmGroup: DHCP (rules name every member's alias,
 * one rule per member) and static (one IP set versioned by membership, created before the old one
 * is destroyed). Reported: wall time of the growth apply (plan included), the db VM's rules after
 * it, the API requests of the apply (all, and writes to rule lists), and the rules pve-firewall
 * would have skipped during it (the simulator checks after every change).
 *
 *   npx tsx bench/tier-growth.ts                # prints a Markdown table (sizes 3 and 20)
 *   npx tsx bench/tier-growth.ts --sizes 3,20,50
 *
 * The simulator runs without latencies: the times are the provider's and terraform's own work.
 */
import * as os from "os";
import { skippedFirewallRules, startSimulator } from "../sim/index";
import { qcow2Image, serveImages } from "../__tests__/sim/qemu/fixtures";
import { terraformWorkdir } from "../__tests__/e2e/harness/terraform-workdir";
import { apiGet } from "../__tests__/e2e/constructs/sim-api";
import { tierStack } from "../__tests__/e2e/constructs/tier-stack";
import { isolateFromShell } from "./deploy-apply";

const GiB = 1024 ** 3;

function sizesOption(): number[] {
  const i = process.argv.indexOf("--sizes");
  if (i < 0) return [3, 20];
  const values = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (!values.length || values.some((v) => !Number.isInteger(v) || v < 1 || v > 98))
    throw new Error(`--sizes needs whole numbers from 1 to 98, got "${process.argv[i + 1]}"`);
  return values;
}

interface Row {
  readonly members: number;
  readonly addressing: "dhcp" | "static";
  readonly seconds: number;
  readonly dbRules: number;
  readonly requests: number;
  readonly ruleWrites: number;
  readonly skipped: number;
  readonly replanEmpty: boolean;
}

async function measure(image: { url: string; sha256: string }, members: number, addressing: "dhcp" | "static"): Promise<Row> {
  let counting = false;
  let requests = 0;
  let ruleWrites = 0;
  const sim = await startSimulator({
    onRequest: (method, path) => {
      if (!counting) return;
      requests++;
      if (method !== "GET" && /\/firewall\/rules(\/|$)/.test(path)) ruleWrites++;
    },
  });
  const wd = await terraformWorkdir(tierStack(image, members, addressing), { sim, timeoutMs: 1_800_000 });
  try {
    await wd.apply();
    const before = skippedFirewallRules(sim.state).length;
    wd.write(tierStack(image, members + 1, addressing));
    counting = true;
    const started = process.hrtime.bigint();
    await wd.apply();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    counting = false;
    const rules = (await apiGet(sim, "/nodes/pve1/qemu/301/firewall/rules")) as unknown[];
    return {
      members,
      addressing,
      seconds,
      dbRules: rules.length,
      requests,
      ruleWrites,
      skipped: skippedFirewallRules(sim.state).length - before,
      replanEmpty: (await wd.plan()).exitCode === 0,
    };
  } finally {
    wd.cleanup();
    await sim.stop();
  }
}

async function main(): Promise<void> {
  isolateFromShell();
  const images = await serveImages({ "debian-13.qcow2": qcow2Image(2 * GiB) });
  const image = { url: images.url("debian-13.qcow2"), sha256: images.sha256("debian-13.qcow2") };
  const rows = [
    "| members before | addressing | growth apply (s) | db VM's rules after | API requests | rule-list writes | rules skipped | re-plan empty |",
    "|---:|---|---:|---:|---:|---:|---:|---|",
  ];
  try {
    for (const n of sizesOption()) {
      for (const addressing of ["dhcp", "static"] as const) {
        const r = await measure(image, n, addressing);
        const label = addressing === "dhcp" ? "DHCP (rule per member alias)" : "static (versioned IP set)";
        rows.push(
          `| ${r.members} | ${label} | ${r.seconds.toFixed(1)} | ${r.dbRules} | ${r.requests} | ${r.ruleWrites} | ${r.skipped} | ${r.replanEmpty ? "yes" : "no"} |`,
        );
        process.stderr.write(`${rows[rows.length - 1]}\n`);
      }
    }
  } finally {
    await images.close();
  }
  const load = os.loadavg()[0].toFixed(1);
  process.stdout.write(
    `${rows.join("\n")}\n\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load average ${load} at the end (shared machine).\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
