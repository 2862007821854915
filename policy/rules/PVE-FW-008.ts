import { PolicyRule, CIS } from "../rule";
import { exposureMessage, exposures } from "../firewall-exposure";

/** Database ports watched: PostgreSQL, MySQL/MariaDB, Redis, MongoDB, SQL Server. */
export const DATABASE_PORTS: readonly number[] = [5432, 3306, 6379, 27017, 1433];

/** PVE-FW-008: databases are never open to the whole internet. */
export const rule: PolicyRule = {
  id: "PVE-FW-008",
  severity: "error",
  description: "No firewall rule or security group accepts database ports (5432, 3306, 6379, 27017, 1433) from any address.",
  remediation: "Open database ports only to the application tier (db.connections.allowFrom(appGroup, Port.POSTGRES)).",
  mappings: [CIS.firewallOnServers],
  check(ctx) {
    return exposures(ctx, DATABASE_PORTS).map((e) => ({ subject: e.resource.construct, message: exposureMessage(e, "a database port") }));
  },
};
