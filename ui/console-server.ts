import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { loadEnvironment, resolveDefaults } from "../envspec";
import { redact } from "../deploy/audit-log";
import { chooseTarget } from "../deploy/target";
import { environmentPolicy } from "../deploy/environment-policy";
import { filterAudit, lastRun, readAuditLog } from "./audit-entries";
import { ConsoleRuns } from "./console-runs";
import { deployedGuests } from "./deployed-guests";
import { environmentMarkdown } from "./environment-docs";
import { auditPage } from "./pages/audit-page";
import { environmentPage } from "./pages/environment-page";
import { environmentsPage } from "./pages/environments-page";
import { layout } from "./pages/layout";
import { runPage } from "./pages/run-page";
import { specFormPage } from "./pages/spec-form-page";
import { allowedHost, allowedOrigin, newSecret, SECURITY_HEADERS, Session, SESSION_COOKIE, SessionStore, validCsrf } from "./security";
import { addTier, createEnvironment, ENV_NAME, redisplayable } from "./spec-form";
import { html } from "./html";

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** Project root (holds environments/ and .state/). */
  readonly root: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** `--sim`: non-dev environments use the embedded simulator too. @default false */
  readonly sim?: boolean;
  /** Access token of the URL. @default a fresh random one */
  readonly token?: string;
}

/** A running console. */
export interface RunningConsole {
  /** The URL to open, with the access token: print it only to the user who started the console. */
  readonly url: string;
  readonly port: number;
  readonly runs: ConsoleRuns;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const STATIC_TYPES: Readonly<Record<string, string>> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** ui/static next to the sources (tsx) or, from a build, in the package's ui/static. */
function staticDir(): string {
  const candidates = [path.join(__dirname, "static"), path.join(__dirname, "..", "..", "ui", "static")];
  return candidates.find((d) => fs.existsSync(path.join(d, "console.js"))) ?? candidates[0];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the web console on 127.0.0.1 only. Every request must name the console in its `Host`
 * header; the first one carries the access token (`/?token=…`) and gets a session cookie; every POST
 * carries the session's CSRF token. Pages are server-rendered and work without JavaScript.
 */
export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  const root = path.resolve(opts.root);
  const token = opts.token ?? newSecret();
  const sessions = new SessionStore(token);
  const runs = new ConsoleRuns({ root, sim: opts.sim });
  const assets = staticDir();
  let port = 0;

  const send = (res: http.ServerResponse, status: number, body: string, type = "text/html; charset=utf-8", extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type, ...extra });
    res.end(body);
  };
  const redirect = (res: http.ServerResponse, location: string, extra: Record<string, string> = {}) => {
    res.writeHead(303, { ...SECURITY_HEADERS, Location: location, ...extra });
    res.end();
  };

  const envNames = () =>
    fs.existsSync(path.join(root, "environments"))
      ? fs
          .readdirSync(path.join(root, "environments"))
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => f.slice(0, -5))
          .filter((n) => ENV_NAME.test(n))
          .sort()
      : [];
  const requireEnv = (name: string) => {
    if (!envNames().includes(name)) throw new HttpError(404, `There is no environment "${name}" in environments/.`);
    return name;
  };
  const targetOf = (env: string) => {
    try {
      const choice = chooseTarget({ root, env, sim: opts.sim });
      return choice.kind === "pve" ? `Proxmox VE at ${choice.endpoint}` : "embedded PVE simulator";
    } catch (e) {
      return `none: ${(e as Error).message}`;
    }
  };
  const specOf = (env: string) => resolveDefaults(loadEnvironment(path.join(root, "environments", `${env}.yaml`)));
  /** The environment's templates a tier may name: cloud images and Windows installers. */
  const templateNames = (env: string) => {
    const spec = specOf(env);
    return [...Object.keys(spec.templates), ...Object.keys(spec.windowsInstallers)];
  };

  async function environmentView(env: string, session: Session): Promise<string> {
    const spec = specOf(env);
    const active = runs.active();
    const guests = active && active.env === env ? { reason: "a run of this environment is in progress" } : await deployedGuests(root, env);
    let findings: ReturnType<typeof environmentPolicy>["findings"] = [];
    let policyError: string | undefined;
    try {
      findings = environmentPolicy(root, env, { relativeTo: root }).findings;
    } catch (e) {
      policyError = redact((e as Error).message);
    }
    return environmentPage({
      env: spec,
      guests,
      findings,
      policyError,
      target: targetOf(env),
      lastRun: lastRun(readAuditLog(root).entries, env),
      csrf: session.csrf,
      busy: active ? `/runs/${active.id}` : undefined,
    });
  }

  async function docsOf(env: string): Promise<string> {
    const spec = specOf(env);
    const guests = await deployedGuests(root, env);
    return environmentMarkdown({
      env: spec,
      vms: guests.vms,
      findings: environmentPolicy(root, env).findings,
      lastRun: lastRun(readAuditLog(root).entries, env),
    });
  }

  function startPlanOrError(res: http.ServerResponse, env: string, start: () => { id: string }): void {
    try {
      redirect(res, `/runs/${start().id}`);
    } catch (e) {
      send(res, 409, layout({ title: "Busy", body: html`<p class="bad" role="alert">${(e as Error).message}</p>` }));
    }
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, id: string): void {
    const run = runs.get(id);
    if (!run) throw new HttpError(404, "No such run.");
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
    const write = (event: string, data: string) => res.write(`event: ${event}\ndata: ${data.replace(/[\r\n]+/g, " ")}\n\n`);
    run.lines.forEach((l) => write("line", l));
    if (run.state !== "running") {
      write("end", run.state);
      res.end();
      return;
    }
    const stop = runs.subscribe(id, (event) => {
      if (event.kind === "line") write("line", event.line);
      else {
        write("end", run.state);
        stop();
        res.end();
      }
    });
    req.on("close", stop);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host, port)) throw new HttpError(421, "This console answers only to 127.0.0.1 and localhost (Host header refused).");
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname.startsWith("/static/")) {
      const name = url.pathname.slice("/static/".length);
      const type = STATIC_TYPES[path.extname(name)];
      if (!/^[a-z-]+\.(js|css)$/.test(name) || !type || !fs.existsSync(path.join(assets, name))) throw new HttpError(404, "No such file.");
      return send(res, 200, fs.readFileSync(path.join(assets, name), "utf8"), type);
    }
    const given = url.searchParams.get("token");
    if (method === "GET" && given !== null) {
      const opened = sessions.open(given);
      if (!opened) throw new HttpError(401, "Wrong access token: open the URL that `proxmox-cdk ui` printed.");
      url.searchParams.delete("token");
      // One leading slash: `//host/…` would be a redirect to another site.
      return redirect(res, `/${url.pathname.replace(/^\/+/, "")}${url.search}`, {
        "Set-Cookie": `${SESSION_COOKIE}=${opened.id}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    const session = sessions.fromCookie(req.headers.cookie);
    if (!session) throw new HttpError(401, "No session: open the URL that `proxmox-cdk ui` printed (it holds the access token).");
    const parts = url.pathname
      .split("/")
      .filter((p) => p !== "")
      .map(decodeURIComponent);

    if (method === "POST") {
      if (!allowedOrigin(req.headers.origin, port)) throw new HttpError(403, "Cross-site request refused (Origin).");
      if (!/^application\/x-www-form-urlencoded\b/.test(req.headers["content-type"] ?? ""))
        throw new HttpError(415, "Forms only (application/x-www-form-urlencoded).");
      const form = await readForm(req);
      if (!validCsrf(session, form.csrf)) throw new HttpError(403, "Missing or wrong CSRF token: reload the page and submit again.");
      if (parts.length === 1 && parts[0] === "new") {
        const outcome = createEnvironment(root, form);
        if (!outcome.ok) return send(res, 422, specFormPage({ values: redisplayable(form), errors: outcome.errors, csrf: session.csrf }));
        return startPlanOrError(res, outcome.env, () => runs.plan(outcome.env));
      }
      if (parts[0] === "env" && parts.length === 3) {
        const env = requireEnv(parts[1]);
        if (parts[2] === "add-tier") {
          const outcome = addTier(root, env, form);
          if (!outcome.ok)
            return send(
              res,
              422,
              specFormPage({ env, templates: templateNames(env), values: redisplayable(form), errors: outcome.errors, csrf: session.csrf }),
            );
          return startPlanOrError(res, env, () => runs.plan(env));
        }
        if (parts[2] === "plan") return startPlanOrError(res, env, () => runs.plan(env));
        if (parts[2] === "deploy") return startPlanOrError(res, env, () => runs.up(env, form.confirm ?? "", form.plan ?? ""));
      }
      throw new HttpError(404, "No such action.");
    }
    if (method !== "GET") throw new HttpError(405, "Only GET and POST.");

    if (parts.length === 0) {
      const audit = readAuditLog(root).entries;
      const rows = envNames().map((name) => {
        try {
          return { name, stage: loadEnvironment(path.join(root, "environments", `${name}.yaml`)).stage, target: targetOf(name), lastRun: lastRun(audit, name) };
        } catch (e) {
          return { name, target: "", lastRun: lastRun(audit, name), problem: (e as Error).message };
        }
      });
      return send(res, 200, environmentsPage(rows));
    }
    if (parts.length === 1 && parts[0] === "audit") {
      const log = readAuditLog(root);
      const filter = { env: url.searchParams.get("env") ?? "", action: url.searchParams.get("action") ?? "", result: url.searchParams.get("result") ?? "" };
      const envs = [...new Set([...envNames(), ...log.entries.map((e) => e.env)])].sort();
      return send(res, 200, auditPage(filterAudit(log.entries, filter), filter, { envs, unreadable: log.unreadable }));
    }
    if (parts.length === 1 && parts[0] === "new") return send(res, 200, specFormPage({ values: {}, errors: {}, csrf: session.csrf }));
    if (parts[0] === "env" && parts.length >= 2) {
      const env = requireEnv(parts[1]);
      if (parts.length === 2) return send(res, 200, await environmentView(env, session));
      if (parts.length === 3 && parts[2] === "add-tier")
        return send(res, 200, specFormPage({ env, templates: templateNames(env), values: {}, errors: {}, csrf: session.csrf }));
      if (parts.length === 3 && parts[2] === "docs.md") return send(res, 200, await docsOf(env), "text/markdown; charset=utf-8");
    }
    if (parts[0] === "runs" && parts.length === 2) {
      const run = runs.get(parts[1]);
      if (!run) throw new HttpError(404, "No such run.");
      return send(res, 200, runPage(run, session.csrf));
    }
    if (parts[0] === "runs" && parts.length === 3 && parts[2] === "events") return events(req, res, parts[1]);
    throw new HttpError(404, "No such page.");
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (res.headersSent) {
        res.end();
        return;
      }
      send(res, status, layout({ title: status === 500 ? "Error" : `Refused (${status})`, body: html`<p class="bad" role="alert">${redact(e.message)}</p>` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    runs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A url-encoded form body, at most 64 KiB; a repeated field keeps its first value. */
function readForm(req: http.IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "Form too large (64 KiB at most)."));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      // No prototype: a field named __proto__ is a field like any other.
      const out = Object.create(null) as Record<string, string>;
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) if (!(k in out)) out[k] = v;
      resolve(out);
    });
    req.on("error", reject);
  });
}
