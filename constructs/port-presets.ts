import { Port } from "./port";

/**
 * Named ports, so common rules are one word (like terraform-aws-modules/security-group's rules.tf).
 * Environment specs and the AI helper refer to ports by these names.
 */
export const PORT_PRESETS: Readonly<Record<string, Port>> = Object.freeze({
  ssh: Port.SSH,
  http: Port.HTTP,
  https: Port.HTTPS,
  rdp: Port.RDP,
  postgres: Port.POSTGRES,
  mysql: Port.MYSQL,
  redis: Port.REDIS,
  dns: Port.DNS,
  ntp: Port.NTP,
  "k8s-api": Port.K8S_API,
  "winrm-https": Port.WINRM_HTTPS,
  "node-exporter": Port.NODE_EXPORTER,
});

/** Ports whose exposure to the internet the policy pack treats as remote administration or data access. */
export const SENSITIVE_PORTS: readonly Port[] = [Port.SSH, Port.RDP, Port.POSTGRES, Port.MYSQL, Port.REDIS, Port.WINRM_HTTPS];

/**
 * Parses a port as written in a spec: a preset name (`ssh`), `tcp/8080`, `tcp/8000-8080`,
 * `udp/53`, `icmp` or `icmp/echo-request`. Throws naming the text and the accepted forms.
 */
export function parsePort(text: string): Port {
  const preset = PORT_PRESETS[text];
  if (preset) return preset;
  const m = /^(tcp|udp)\/(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (m) {
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    return m[1] === "tcp" ? Port.tcpRange(from, to) : Port.udpRange(from, to);
  }
  const icmp = /^icmp(?:\/([a-z-]+))?$/.exec(text);
  if (icmp) return Port.icmp(icmp[1]);
  throw new Error(
    `port "${text}" is not understood — use a preset (${Object.keys(PORT_PRESETS).join(", ")}), tcp/N, tcp/N-M, udp/N or icmp.`,
  );
}
