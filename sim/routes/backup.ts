import { authId } from "../access-model";
import type { SimContext } from "../context";
import { requirePrivs } from "../permission-check";
import { parameterError, PveError } from "../pve-error";
import { splitList } from "../pve-formats";
import { route, type ApiRequest, type Route } from "../route";
import { parsePveBoolean } from "../schema-check";
import type { SimState } from "../sim-state";
import { poolExists } from "./pools";

/** A vzdump job as jobs.cfg keeps it: option values as given (strings). */
type Job = Record<string, string>;

/** The `backup` slice: jobs by id, in creation order. */
interface BackupSlice {
  jobs: Record<string, Job>;
}

function backupSlice(state: SimState): BackupSlice {
  return state.slice<BackupSlice>("backup", () => ({ jobs: {} }));
}

/** Options answered as JSON numbers: booleans as 0/1 and integer options. */
const BOOLEANS = new Set(["enabled", "all", "remove", "protected", "repeat-missed", "stdexcludes", "quiet", "stop"]);
const INTEGERS = new Set(["bwlimit", "ionice", "pigz", "zstd", "lockwait", "stopwait", "maxfiles"]);
/** Property-string options PVE's job config decodes into objects (PVE::VZDump::Common PROPERTY_STRINGS). */
const PROPERTY_STRINGS = new Set(["prune-backups", "fleecing", "performance"]);
const PRUNE_KEYS = ["keep-all", "keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"];
/** Options `delete` may name besides vzdump's own (jobs-only properties). */
const JOB_KEYS = new Set(["comment", "repeat-missed", "schedule", "enabled"]);
const VZDUMP_KEYS = new Set([
  "all",
  "bwlimit",
  "compress",
  "dumpdir",
  "exclude",
  "exclude-path",
  "fleecing",
  "ionice",
  "lockwait",
  "mailnotification",
  "mailto",
  "maxfiles",
  "mode",
  "node",
  "notes-template",
  "notification-mode",
  "pbs-change-detection-mode",
  "performance",
  "pigz",
  "pool",
  "protected",
  "prune-backups",
  "quiet",
  "remove",
  "script",
  "stdexcludes",
  "stop",
  "stopwait",
  "storage",
  "tmpdir",
  "vmid",
  "zstd",
]);

function parsePairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",").filter((p) => p.trim() !== "")) {
    const [key, value] = part.split("=", 2);
    out[key.trim()] = value ?? "";
  }
  return out;
}

/** The decoded object of a property-string option, with numbers where the format has them. */
function decodePropertyString(key: string, text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(parsePairs(text))) {
    out[k] = k === "storage" ? v : /^\d+$/.test(v) ? Number(v) : parsePveBoolean(v) ? 1 : 0;
  }
  return key === "fleecing" && text && !text.includes("=") ? { enabled: parsePveBoolean(text) ? 1 : 0 } : out;
}

/** A job as GET answers it: typed values, property strings as objects, id and type. */
function present(id: string, job: Job): Record<string, unknown> {
  const out: Record<string, unknown> = { id, type: "vzdump" };
  for (const [key, value] of Object.entries(job)) {
    if (BOOLEANS.has(key)) out[key] = parsePveBoolean(value) ? 1 : 0;
    else if (INTEGERS.has(key)) out[key] = Number(value);
    else if (PROPERTY_STRINGS.has(key)) out[key] = decodePropertyString(key, value);
    else out[key] = value.replace(/\0/g, ",");
  }
  return out;
}

/** PVE's schedule handling: `starttime` (+ `dow`) is converted to a `schedule`, never both. */
function scheduleParams(args: Job, required: boolean): void {
  if (args.schedule !== undefined) {
    if (args.starttime !== undefined) throw parameterError({ starttime: "'starttime' and 'schedule' cannot both be set" });
  } else if (args.starttime === undefined) {
    if (required) throw parameterError({ schedule: "neither 'starttime' nor 'schedule' were set" });
  } else {
    const dow = args.dow ? splitList(args.dow).join(",") : "";
    args.schedule = !dow || dow === "mon,tue,wed,thu,fri,sat,sun" ? args.starttime : `${dow} ${args.starttime}`;
  }
  delete args.starttime;
  delete args.dow;
}

/** PVE::VZDump::verify_vzdump_parameters. */
function verifyJob(job: Job, checkMissing: boolean): void {
  if (parsePveBoolean(job.all) && job.vmid) throw parameterError({ all: "option conflicts with option 'vmid'" });
  if (job.exclude && job.vmid) throw parameterError({ exclude: "option conflicts with option 'vmid'" });
  if (job.pool && job.vmid) throw parameterError({ pool: "option conflicts with option 'vmid'" });
  if (job["prune-backups"]) {
    const prune = parsePairs(job["prune-backups"]);
    for (const [key, value] of Object.entries(prune)) {
      if (!PRUNE_KEYS.includes(key)) throw parameterError({ "prune-backups": `invalid key in comma-separated list property: ${key}` });
      if (!/^\d+$/.test(value)) throw parameterError({ "prune-backups": `${key}: type check ('integer') failed - got '${value}'` });
    }
    if (parsePveBoolean(prune["keep-all"]) && Object.keys(prune).length > 1) {
      throw parameterError({ "prune-backups": "keep-all cannot be set together with other options." });
    }
  }
  if (job.exclude !== undefined && !job.pool) job.all = "1";
  if (checkMissing && !(parsePveBoolean(job.all) || parsePveBoolean(job.stop) || job.pool) && !job.vmid) {
    throw parameterError({ vmid: "property is missing" });
  }
}

/**
 * The privilege checks of PVE's backup API beyond the schema (assert_param_permission_*):
 * root-only options, Sys.Modify for rate limits, the target storage and the pool.
 */
function checkJobPermissions(req: ApiRequest, sim: SimContext, args: Readonly<Job>, current?: Readonly<Job>): void {
  if (args.pool) requirePrivs(req, sim, `/pool/${args.pool}`, ["VM.Backup"]);
  if (authId(req.auth) === "root@pam") return;
  const deleted = new Set(splitList(req.args.delete ?? ""));
  for (const key of ["tmpdir", "dumpdir", "script", "job-id"]) {
    if (args[key] !== undefined || deleted.has(key)) throw parameterError({ [key]: "Only root may set this option." });
  }
  if (["bwlimit", "ionice", "performance"].some((key) => args[key] !== undefined || deleted.has(key))) {
    requirePrivs(req, sim, "/", ["Sys.Modify"]);
  }
  const fleecingStorage = args.fleecing ? parsePairs(args.fleecing).storage : undefined;
  if (fleecingStorage) requirePrivs(req, sim, `/storage/${fleecingStorage}`, ["Datastore.AllocateSpace"]);
  const storage = args.storage ?? (deleted.has("storage") ? "local" : undefined);
  if (storage) requirePrivs(req, sim, `/storage/${storage}`, ["Datastore.Allocate"]);
  if (current?.dumpdir) throw new PveError(500, "only root@pam may edit jobs with a 'dumpdir' option.");
  if (current?.storage) requirePrivs(req, sim, `/storage/${current.storage}`, ["Datastore.Allocate"]);
}

function jobArgs(req: ApiRequest, sim: SimContext): Job {
  const args: Job = { ...req.args };
  delete args.id;
  delete args.delete;
  if (args.pool && !poolExists(sim.state, args.pool)) throw new PveError(500, `pool '${args.pool}' does not exist`);
  return args;
}

function listJobs(_req: ApiRequest, sim: SimContext): unknown {
  const { jobs } = backupSlice(sim.state);
  return Object.entries(jobs).map(([id, job]) => present(id, job));
}

function randomId(sim: SimContext): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(sim.random() * 16).toString(16)).join("");
  return `backup-${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}

function createJob(req: ApiRequest, sim: SimContext): null {
  const args = jobArgs(req, sim);
  checkJobPermissions(req, sim, args);
  scheduleParams(args, true);
  args.enabled ??= "1";
  const id = req.args.id ?? randomId(sim);
  const { jobs } = backupSlice(sim.state);
  if (jobs[id]) throw new PveError(500, `Job '${id}' already exists`);
  verifyJob(args, true);
  jobs[id] = args;
  return null;
}

function readJob(req: ApiRequest, sim: SimContext): unknown {
  const job = backupSlice(sim.state).jobs[req.params.id];
  if (!job) throw parameterError({ id: `No such job '${req.params.id}'` });
  return present(req.params.id, job);
}

/** PUT: deletes, then sets, then re-derives the selection (vmid, all and pool exclude each other). */
function updateJob(req: ApiRequest, sim: SimContext): null {
  const args = jobArgs(req, sim);
  scheduleParams(args, false);
  const deletes = splitList(req.args.delete ?? "");
  if (!Object.keys(args).length && !deletes.length) throw new PveError(500, "no options specified");
  verifyJob({ ...args }, false);
  const { jobs } = backupSlice(sim.state);
  const job = jobs[req.params.id];
  if (!job) throw new PveError(500, "no such vzdump job");
  checkJobPermissions(req, sim, args, job);
  for (const key of deletes) {
    if (!VZDUMP_KEYS.has(key) && !JOB_KEYS.has(key)) throw parameterError({ delete: `unknown option '${key}'` });
    delete job[key];
  }
  Object.assign(job, args);
  if (job.exclude !== undefined && job.pool === undefined) job.all = "1";
  if (args.vmid !== undefined) {
    for (const key of ["all", "exclude", "pool"]) delete job[key];
  } else if (parsePveBoolean(args.all)) {
    for (const key of ["vmid", "pool"]) delete job[key];
  } else if (job.pool) {
    for (const key of ["vmid", "all", "exclude"]) delete job[key];
  }
  verifyJob(job, true);
  return null;
}

function deleteJob(req: ApiRequest, sim: SimContext): null {
  const { jobs } = backupSlice(sim.state);
  if (!jobs[req.params.id]) throw parameterError({ id: `No such job '${req.params.id}'` });
  delete jobs[req.params.id];
  return null;
}

/**
 * PVE::VZDump::Plugin::remove_vmid_from_backup_jobs, run when a guest is destroyed with `purge`:
 * the VMID leaves every `vmid`/`exclude` list, and a job whose `vmid` list empties is deleted.
 */
export function removeGuestFromBackupJobs(state: SimState, vmid: number | string): void {
  const { jobs } = backupSlice(state);
  for (const [id, job] of Object.entries(jobs)) {
    const key = job.vmid !== undefined ? "vmid" : job.exclude !== undefined ? "exclude" : undefined;
    if (!key) continue;
    const rest = splitList(job[key]).filter((v) => v !== String(vmid));
    if (rest.length) job[key] = rest.join(",");
    else if (key === "vmid") delete jobs[id];
    else delete job.exclude;
  }
}

/** The `cluster/backup` family: scheduled vzdump jobs (proxmox_backup_job). */
export const routes: Route[] = [
  route("GET", "/cluster/backup", listJobs),
  route("POST", "/cluster/backup", createJob),
  route("GET", "/cluster/backup/{id}", readJob),
  route("PUT", "/cluster/backup/{id}", updateJob),
  route("DELETE", "/cluster/backup/{id}", deleteJob),
];
