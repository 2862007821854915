import { z } from "zod";
import { describeValue } from "./describe-value";
import { didYouMean } from "./did-you-mean";

/** Transport of a firewall intent, and of the constructs' Port (constructs/port.ts re-exports it: one home). */
export type PortProtocol = "tcp" | "udp" | "icmp";

/** One protocol and port range; `icmp` has no ports. */
export interface PortRange {
  readonly protocol: PortProtocol;
  /** First port (tcp/udp only). */
  readonly from?: number;
  /** Last port, equal to `from` for a single port (tcp/udp only). */
  readonly to?: number;
}

/** What a preset is for; the policy pack treats `admin` and `database` ports open to the world as findings. */
export type PortCategory = "admin" | "database" | "web" | "infrastructure" | "mail" | "directory" | "monitoring" | "messaging" | "storage";

/** A named port preset (`ssh`, `https`, ...) so that common intents are one word. */
export interface PortPreset {
  readonly ranges: readonly PortRange[];
  readonly category: PortCategory;
  readonly description: string;
}

const tcp = (from: number, to = from): PortRange => ({ protocol: "tcp", from, to });
const udp = (from: number, to = from): PortRange => ({ protocol: "udp", from, to });

/** The preset table. Adding a preset is a one-line change here plus a line in docs/environment-spec.md. */
export const PORT_PRESETS = {
  ssh: { ranges: [tcp(22)], category: "admin", description: "SSH" },
  rdp: { ranges: [tcp(3389)], category: "admin", description: "Remote Desktop" },
  winrm: { ranges: [tcp(5985, 5986)], category: "admin", description: "Windows Remote Management (HTTP and HTTPS)" },
  "k8s-api": { ranges: [tcp(6443)], category: "admin", description: "Kubernetes API server" },
  kubelet: { ranges: [tcp(10250)], category: "admin", description: "Kubernetes kubelet API" },
  http: { ranges: [tcp(80)], category: "web", description: "HTTP" },
  https: { ranges: [tcp(443)], category: "web", description: "HTTPS" },
  "http-alt": { ranges: [tcp(8080)], category: "web", description: "HTTP on 8080" },
  "https-alt": { ranges: [tcp(8443)], category: "web", description: "HTTPS on 8443" },
  postgres: { ranges: [tcp(5432)], category: "database", description: "PostgreSQL" },
  mysql: { ranges: [tcp(3306)], category: "database", description: "MySQL / MariaDB" },
  mssql: { ranges: [tcp(1433)], category: "database", description: "Microsoft SQL Server" },
  mongodb: { ranges: [tcp(27017)], category: "database", description: "MongoDB" },
  redis: { ranges: [tcp(6379)], category: "database", description: "Redis" },
  memcached: { ranges: [tcp(11211)], category: "database", description: "Memcached" },
  elasticsearch: { ranges: [tcp(9200)], category: "database", description: "Elasticsearch / OpenSearch HTTP" },
  etcd: { ranges: [tcp(2379, 2380)], category: "database", description: "etcd client and peer" },
  dns: { ranges: [udp(53), tcp(53)], category: "infrastructure", description: "DNS (UDP and TCP)" },
  ntp: { ranges: [udp(123)], category: "infrastructure", description: "NTP" },
  syslog: { ranges: [udp(514)], category: "infrastructure", description: "syslog" },
  smtp: { ranges: [tcp(25)], category: "mail", description: "SMTP" },
  submission: { ranges: [tcp(587)], category: "mail", description: "SMTP submission" },
  smtps: { ranges: [tcp(465)], category: "mail", description: "SMTP over TLS" },
  imaps: { ranges: [tcp(993)], category: "mail", description: "IMAP over TLS" },
  ldap: { ranges: [tcp(389)], category: "directory", description: "LDAP" },
  ldaps: { ranges: [tcp(636)], category: "directory", description: "LDAP over TLS" },
  prometheus: { ranges: [tcp(9090)], category: "monitoring", description: "Prometheus server" },
  "node-exporter": { ranges: [tcp(9100)], category: "monitoring", description: "Prometheus node exporter" },
  amqp: { ranges: [tcp(5672)], category: "messaging", description: "AMQP (RabbitMQ)" },
  kafka: { ranges: [tcp(9092)], category: "messaging", description: "Kafka" },
  nfs: { ranges: [tcp(2049)], category: "storage", description: "NFS v4" },
} as const satisfies Record<string, PortPreset>;

/** Name of a port preset. */
export type PortPresetName = keyof typeof PORT_PRESETS;

const PRESET_NAMES = Object.keys(PORT_PRESETS) as PortPresetName[];
const RAW_PORT = /^(tcp|udp)\/([0-9]{1,5})(-([0-9]{1,5}))?$/;
const escape = (name: string) => name.replace(/[.+-]/g, (c) => (c === "-" ? "-" : `\\${c}`));
/** Every accepted port string: a preset, `tcp/N`, `tcp/N-M`, `udp/N`, `udp/N-M` or `icmp`. */
export const PORT_PATTERN = new RegExp(`^(${PRESET_NAMES.map(escape).join("|")}|(tcp|udp)/[0-9]{1,5}(-[0-9]{1,5})?|icmp)$`);

/** Why `text` is not a valid port string, or undefined when it is. */
export function portProblem(text: string): string | undefined {
  if (text in PORT_PRESETS || text === "icmp") return undefined;
  const raw = RAW_PORT.exec(text);
  if (!raw) {
    return `must be a port preset (${PRESET_NAMES.join(", ")}), tcp/<port>, tcp/<from>-<to>, udp/<port>, udp/<from>-<to> or icmp, got ${describeValue(text)}${didYouMean(text, PRESET_NAMES)}`;
  }
  const from = Number(raw[2]);
  const to = raw[4] === undefined ? from : Number(raw[4]);
  if (from < 1 || from > 65535 || to < 1 || to > 65535) return `ports must be between 1 and 65535, got ${describeValue(text)}`;
  if (from > to) return `a port range must go from low to high, got ${describeValue(text)}; did you mean "${raw[1]}/${to}-${from}"?`;
  return undefined;
}

/** The ranges a valid port string stands for (`dns` is udp/53 and tcp/53). Throws on an invalid string. */
export function parsePort(text: string): readonly PortRange[] {
  const problem = portProblem(text);
  if (problem !== undefined) throw new Error(`port: ${problem}`);
  if (text === "icmp") return [{ protocol: "icmp" }];
  if (text in PORT_PRESETS) return PORT_PRESETS[text as PortPresetName].ranges;
  const raw = RAW_PORT.exec(text)!;
  const from = Number(raw[2]);
  return [{ protocol: raw[1] as "tcp" | "udp", from, to: raw[4] === undefined ? from : Number(raw[4]) }];
}

/**
 * Presets whose ports a port string opens, so that `tcp/20-30` is recognised as opening `ssh`.
 * The policy pack uses the categories of the result to spot admin or database ports.
 */
export function presetsOpenedBy(text: string): readonly PortPresetName[] {
  const ranges = parsePort(text);
  return PRESET_NAMES.filter((name) =>
    PORT_PRESETS[name].ranges.some((preset) => ranges.some((r) => r.protocol === preset.protocol && r.from! <= preset.to! && preset.from! <= r.to!)),
  );
}

/** Zod schema of a port string. */
export function portSchema() {
  const message = (issue: { input?: unknown }) =>
    issue.input === undefined ? undefined : `expected a port preset such as https or a port like tcp/8080, got ${describeValue(issue.input)}`;
  return (
    z
      .string({ error: message })
      // The pattern is what the JSON Schema carries; the refinement adds what a pattern cannot say (1..65535, low-high).
      .regex(PORT_PATTERN, { error: (issue) => portProblem(String(issue.input)), abort: true })
      .superRefine((value, ctx) => {
        const problem = portProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", input: value, message: problem });
      })
      .describe(`Port preset (${PRESET_NAMES.join(", ")}) or tcp/<port>, tcp/<from>-<to>, udp/<port>, icmp.`)
  );
}
