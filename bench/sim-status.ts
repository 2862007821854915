/**
 * Simulator throughput benchmark (figures, not assertions): requests per second of
 * `GET /nodes/{node}/qemu/{vmid}/status/current` — the call the provider polls most — against an
 * in-process simulator on 127.0.0.1, with N concurrent clients that each keep one TLS connection
 * alive and send their next request when the previous answer arrived. Clients and simulator share
 * the process (and its event loop), so the figure is that of the pair. Each N is bounded by a
 * request count and a time limit, so the script stops by itself.
 *
 *   npx tsx bench/sim-status.ts            # prints a Markdown table
 *   npx tsx bench/sim-status.ts --write    # also updates its section of docs/simulator.md
 */
import * as https from "https";
import { performance } from "perf_hooks";
import { PveConnection, pveRequest } from "../pve/pve-client";
import { startSimulator } from "../sim";
import { machineLine, quantile, writeDocSection } from "./sim-report";

const CLIENTS = [1, 4, 16, 64];
const MAX_REQUESTS = 20_000;
const MAX_SECONDS = 10;
const WARM_UP = 500;
const PATH = "/nodes/pve1/qemu/100/status/current";

interface Row {
  readonly clients: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

/** `clients` loops of sequential requests, each on its own keep-alive connection, until the count or the time is used up. */
async function measure(base: PveConnection, clients: number, maxRequests: number, maxSeconds: number): Promise<Row> {
  const agents = Array.from({ length: clients }, () => new https.Agent({ keepAlive: true, maxSockets: 1 }));
  const latencies: number[] = [];
  let issued = 0;
  const began = performance.now();
  const deadline = began + maxSeconds * 1000;
  try {
    await Promise.all(
      agents.map(async (agent) => {
        const conn = { ...base, agent };
        while (issued < maxRequests && performance.now() < deadline) {
          issued++;
          const t = performance.now();
          const status = await pveRequest<{ status: string }>(conn, "GET", PATH);
          if (status.status !== "stopped") throw new Error(`unexpected answer of ${PATH}: ${JSON.stringify(status)}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    agents.forEach((a) => a.destroy());
  }
  return { clients, requests: latencies.length, seconds: (performance.now() - began) / 1000, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function main(): Promise<void> {
  const machine = machineLine();
  const sim = await startSimulator({ nodes: ["pve1"] });
  const rows: Row[] = [];
  try {
    const conn: PveConnection = { endpoint: sim.endpoint, apiToken: sim.apiToken, caCertPath: sim.caCertPath };
    await pveRequest(conn, "POST", "/nodes/pve1/qemu", { vmid: 100, name: "bench", memory: 512, cores: 1 });
    await measure(conn, 4, WARM_UP, MAX_SECONDS);
    for (const clients of CLIENTS) {
      rows.push(await measure(conn, clients, MAX_REQUESTS, MAX_SECONDS));
      console.error(`measured ${clients} client(s)`);
    }
  } finally {
    await sim.stop();
  }
  const table = [
    "| clients | requests | seconds | requests/s | p50 latency (ms) | p99 latency (ms) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) => `| ${r.clients} | ${r.requests} | ${r.seconds.toFixed(1)} | ${Math.round(r.requests / r.seconds)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    ),
  ].join("\n");
  const note = `\`GET ${PATH}\` with the root token over TLS 1.3, one keep-alive connection per client, clients in the simulator's process (pve/pve-client.ts); each row stops at ${MAX_REQUESTS} requests or ${MAX_SECONDS} s. ${machine}.`;
  console.log(`${table}\n\n${note}`);
  if (process.argv.includes("--write")) writeDocSection("sim-status", "### Request throughput", `${table}\n\n${note}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
