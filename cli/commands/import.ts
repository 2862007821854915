import * as path from "path";
import { ParsedArgs, stringFlag } from "../args";
import { Command, ENV_ARGUMENT, envArgument, UsageError } from "../command";
import { EXIT } from "../exit-codes";
import { projectRoot } from "../project-root";
import { TARGET_OPTIONS } from "../target-option";
import { ensureCliToolchain } from "../ensure-toolchain";
import type { GuestSelection } from "../../adopt/import-guests";
import { POOL_ID } from "../../envspec/identifiers";

/** Most ids one `--vmid` takes. */
const MAX_IDS = 500;

/** The guests `import` is asked for: exactly one of --vmid, --pool, --tag, each checked. */
export function importSelection(args: ParsedArgs): GuestSelection {
  const given = (["vmid", "pool", "tag"] as const).filter((f) => stringFlag(args, f) !== undefined);
  if (given.length !== 1) {
    throw new UsageError(`import needs exactly one of --vmid, --pool and --tag${given.length > 1 ? `, got ${given.map((f) => `--${f}`).join(" and ")}` : ""}.`);
  }
  const value = stringFlag(args, given[0]) as string;
  if (given[0] === "vmid") {
    const parts = value.split(",");
    if (parts.length > MAX_IDS) throw new UsageError(`--vmid lists ${parts.length} ids, more than ${MAX_IDS}: adopt them in batches.`);
    const bad = parts.find((p) => !/^[1-9]\d{2,8}$/.test(p));
    if (bad !== undefined)
      throw new UsageError(`--vmid ${JSON.stringify(bad)} is not a guest id (100..999999999); give ids separated by commas, e.g. --vmid 201,202.`);
    return { vmids: parts.map(Number) };
  }
  if (given[0] === "pool") {
    if (!POOL_ID.test(value))
      throw new UsageError(
        `--pool ${JSON.stringify(value)} is not a pool id (letters, digits, ".", "-" and "_", not dots only, up to three levels separated by "/").`,
      );
    return { pool: value };
  }
  if (!/^[a-z0-9_][a-z0-9_+.-]{0,63}$/i.test(value)) throw new UsageError(`--tag ${JSON.stringify(value)} is not a PVE tag (letters, digits, _ + . -).`);
  return { tag: value };
}

/** `proxmox-cdk import <env> --vmid … | --pool … | --tag …`: adopt running guests into an environment's spec. */
export const importCommand: Command = {
  name: "import",
  summary: "adopt running VMs/containers into an environment (spec + Terraform import; read-only token; never changes PVE)",
  args: {
    ...ENV_ARGUMENT,
    options: {
      vmid: { type: "string", valueName: "IDS", description: "guest ids to adopt, separated by commas (e.g. 201,202)" },
      pool: { type: "string", valueName: "POOL", description: "adopt the guests of this resource pool" },
      tag: { type: "string", valueName: "TAG", description: "adopt the guests carrying this tag" },
      "state-dir": { type: "string", valueName: "DIR", description: "where the environments' Terraform states are (default <project>/.state)" },
      ...TARGET_OPTIONS,
    },
  },
  description: `Reads the selected guests like \`scan\` (GET only, PROXMOX_VE_ENDPOINT and a read-only PROXMOX_VE_API_TOKEN,
PVEAuditor on / suffices), checks each one for adoption before writing anything, and adds those that
pass under \`adopted:\` in environments/<env>.yaml (comments kept, the file replaced whole) with their
node, id, sizes, disk and network as they run. The next \`plan\` imports them (Terraform import blocks)
and shows the hardening — firewall on with inbound DROP, the guest agent, a key-only cloud-init user,
start on boot, protection, backups and HA per stage — as in-place updates: nothing is replaced or
destroyed. A guest that cannot be adopted in place (already managed or adopted, another node, outside
vmIdRange, a device or layout the hardened constructs would change, a privileged container, ...) is
listed with the reason and left out. Exit 0 when every selected guest was adopted, 2 when some were
left out, 1 on failure. See docs/brownfield.md.

Example: PROXMOX_VE_API_TOKEN='auditor@pve!scan=…' proxmox-cdk import prod --vmid 201,202`,
  async run(args) {
    const env = envArgument(args, "import");
    const selection = importSelection(args);
    const root = projectRoot();
    const stateDir = path.resolve(stringFlag(args, "state-dir", path.join(root, ".state")) as string);
    // The toolchain first: the stack built to check the edited spec reaches the generated bindings.
    await ensureCliToolchain();
    const { PveReader } = require("../../scan/pve-reader") as typeof import("../../scan/pve-reader");
    const { readLiveSnapshot } = require("../../scan/read-live-snapshot") as typeof import("../../scan/read-live-snapshot");
    const { readStateIndex } = require("../../scan/managed-guests") as typeof import("../../scan/managed-guests");
    const { importGuests } = require("../../adopt/import-guests") as typeof import("../../adopt/import-guests");
    const { readOnlyTarget } = require("../../deploy/read-only-target") as typeof import("../../deploy/read-only-target");
    const { target, conn } = await readOnlyTarget(root, args.flags.sim === true);
    try {
      const snapshot = await readLiveSnapshot(new PveReader(conn));
      const result = importGuests({ root, env, selection, snapshot, states: readStateIndex(stateDir) });
      for (const g of result.adopted) {
        console.log(`adopted ${g.name} (${g.type === "qemu" ? "VM" : "container"} ${g.vmid} on ${g.node})`);
        for (const n of g.notes) console.log(`  note: ${n}`);
      }
      for (const g of result.leftOut) console.log(`left out ${g.vmid}${g.name ? ` (${g.name})` : ""}: ${g.reason}`);
      if (result.adopted.length > 0) {
        console.log(
          `\nWrote ${result.adopted.length} guest(s) under adopted: in ${result.file}. Next: \`proxmox-cdk plan ${env}\` (imports them, hardens them in place; 0 to destroy).`,
        );
      } else {
        console.log(`\nNothing adopted; ${result.file} is unchanged.`);
      }
      return result.leftOut.length > 0 ? EXIT.changes : EXIT.ok;
    } finally {
      await target.stop();
    }
  },
};
