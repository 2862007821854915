import { optionFormat, parseProps, printProps } from "./config-schema";

/** PVE's default `mac_prefix` (datacenter.cfg), used for every generated MAC. */
export const MAC_PREFIX = "BC:24:11";

/**
 * PVE's `random_ether_addr` with the default prefix: `BC:24:11:XX:XX:XX`, upper-case. The
 * simulator draws the random part from the seeded generator, so MACs repeat across runs.
 */
export function randomMac(random: () => number): string {
  const bytes = [0, 1, 2].map(() => Math.floor(random() * 256) & 0xff);
  return [MAC_PREFIX, ...bytes.map((b) => b.toString(16).toUpperCase().padStart(2, "0"))].join(":");
}

/** A parsed `netN` option: `model`, `macaddr`, `bridge`, `firewall`, `tag`, … */
export type Net = Record<string, string>;

/** PVE's `parse_net` (generating a MAC when none is given). Throws on a malformed value. */
export function parseNet(key: string, value: string, random: () => number): Net {
  const net = parseProps(optionFormat(key), value);
  if (net.model === undefined) throw new Error(`${key}: property is missing and it is not optional`);
  net.macaddr ??= randomMac(random);
  return net;
}

/** PVE's `print_net`: `virtio=BC:24:11:…,bridge=vmbr0,firewall=1,tag=10`. */
export function printNet(key: string, net: Net): string {
  return printProps(optionFormat(key), net);
}

/** Normalises a `netN` value the way PVE stores it (MAC added, canonical key order). */
export function normaliseNet(key: string, value: string, random: () => number): string {
  return printNet(key, parseNet(key, value, random));
}
