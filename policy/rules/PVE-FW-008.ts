import { PolicyRule, CIS } from "../rule";
import { exposureViolations, presetLabel, presetsIn } from "../firewall-exposure";

/** The database presets of the preset table (envspec/port.ts). */
const WATCHED = presetsIn("database");

/** PVE-FW-008: databases are never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-008",
  severity: "error",
  description: `No firewall rule or security group accepts a database port — the database presets: ${WATCHED.map(presetLabel).join(", ")} — from any address.`,
  remediation: "Open database ports only to the application tier (db.connections.allowFrom(appGroup, Port.POSTGRES)).",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposureViolations(ctx, WATCHED, "a database port");
  },
};
