/**
 * The web console end to end in a real headless browser (Debian's chromium driven by
 * playwright-core) against the embedded simulator, with the real terraform and provider: the
 * environments list, dev's guests table and flow diagram, the form (an invalid field, then a valid
 * environment), its plan, its deploy with live progress, and the audit entry. A screenshot of each
 * page goes to .cache/ui-screenshots/ (git-ignored). Loopback only: the console, the simulator and
 * the browser talk over 127.0.0.1 and every other address goes to a dead proxy on 127.0.0.1:9.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Browser, chromium, Page } from "playwright-core";
import { loadEnvironment, resolveDefaults } from "../../envspec";
import { up } from "../../deploy/workflow";
import { firewallIntents } from "../../stacks/firewall-intents";
import { RunningConsole, startConsole } from "../../ui/console-server";
import { auditRecords, readSimState, REPO, tempProject } from "../e2e/environments/cli-project";

const SHOTS = path.join(REPO, ".cache", "ui-screenshots");
const CHROMIUM = "/usr/bin/chromium";
const RUN_TIMEOUT = 300_000;
const project = tempProject(["dev"]);
const dev = resolveDefaults(loadEnvironment(path.join(project.root, "environments", "dev.yaml")));
const devYaml = fs.readFileSync(path.join(project.root, "environments", "dev.yaml"), "utf8");
const debianTemplate = dev.templates.debian12;
/** The Windows installer the add-tier test names (the embedded simulator never fetches it: loopback only). */
const WINDOWS_ISO_URL = "https://software.example.com/Win11_24H2_English_x64.iso";

let ui: RunningConsole;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits (bounded) until the run page's status leaves "running"; the page reloads itself on the SSE "end" event. */
async function runOutcome(expected = "done"): Promise<string> {
  await page.waitForSelector("#run-status:not(.state-running)", { timeout: RUN_TIMEOUT });
  const status = (await page.textContent("#run-status")) ?? "";
  if (status !== expected) throw new Error(`run ended ${status}, expected ${expected}:\n${await page.textContent("#run-log")}`);
  return status;
}

/** Names of the VMs the simulator holds. */
function simVmNames(): string[] {
  const vms = readSimState(project.simStateFile).slices.qemu.vms as Record<string, { conf: Record<string, string> }>;
  return Object.values(vms).map((v) => v.conf.name);
}

/** The text of each cell of a table's body rows. */
function rows(selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
}

beforeAll(async () => {
  execFileSync("bash", [path.join(REPO, "scripts", "install-browser-deps.sh")], { stdio: "inherit" });
  fs.mkdirSync(SHOTS, { recursive: true });
  // GIVEN dev deployed by the same workflow `up` runs (the console reads its state)
  await up({ root: project.root, env: "dev", log: () => undefined });
  ui = await startConsole({ root: project.root });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium's sandbox cannot start as root (CI runs as root); elsewhere it stays on.
    args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe("the web console in a browser", () => {
  it("lists the environments with stage, target and the last run", async () => {
    await page.goto(ui.url);
    expect(new URL(page.url()).search).toBe(""); // the token left the address bar
    const list = await rows("#environments");
    expect(list).toEqual([["dev", "dev", "embedded PVE simulator", expect.stringMatching(/^up ok \d{4}-/)]]);
    await shot("01-environments");
  });

  it("reaches the main content first with the keyboard (skip link)", async () => {
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement ? document.activeElement.textContent : null")).toBe("Skip to content");
  });

  it("shows dev's guests with their ids, nodes and addresses, and an arrow per firewall intent", async () => {
    // WHEN dev is opened from the list
    await page.click("#environments a:text-is('dev')");
    await page.waitForSelector("#guests-table");

    // THEN every VM of the spec has an id and a node from the deploy
    const guests = await rows("#guests-table");
    expect(guests.map((g) => g[0]).sort()).toEqual(["dev-app-1", "dev-bastion-1", "dev-db-1", "dev-web-1"]);
    for (const g of guests)
      expect(g).toEqual([expect.any(String), expect.any(String), expect.stringMatching(/^\d+$/), expect.stringMatching(/^pve[123]$/), expect.any(String)]);

    // AND the diagram has one arrow per intent of dev.yaml, the exposures marked
    const intents = firewallIntents(dev);
    const arrows = await page.$$eval("svg.flow-diagram g.flow", (gs) =>
      gs.map((g) => [g.getAttribute("data-from"), g.getAttribute("data-to"), g.getAttribute("data-port"), g.classList.contains("exposure")]),
    );
    expect(arrows).toHaveLength(intents.length);
    expect(arrows.filter((a) => a[3]).map((a) => a[0])).toEqual(
      intents.filter((i) => i.source.kind === "cidr").map((i) => (i.source.kind === "cidr" ? `net:${i.source.cidr}` : "")),
    );
    await shot("02-environment-dev");

    // AND it stays readable on a narrow window
    await page.setViewportSize({ width: 400, height: 800 });
    await shot("03-environment-dev-narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it(
    "shows a refused field next to it and writes nothing, then writes a valid environment and plans it",
    async () => {
      // GIVEN the new-environment form with one invalid field (0 cores)
      await page.click("nav[aria-label=Main] a:text-is('New environment')");
      await page.fill("#name", "qa");
      await page.fill("#nodes", "pve1");
      await page.fill("#template", "debian12");
      await page.fill("#templateUrl", debianTemplate.url);
      await page.fill("#templateChecksum", debianTemplate.checksum);
      await page.selectOption("#templateAlgorithm", debianTemplate.checksumAlgorithm);
      await page.fill("#tier", "web");
      await page.fill("#cores", "0");
      await page.fill("#memoryMiB", "1024");
      await page.fill("#diskGiB", "10");
      await page.fill("#sshKeys", dev.cloudInit.sshKeys[0]);
      await page.fill("#tags", "web");
      await page.fill("#exposePort", "https");
      await page.fill("#exposeFrom", "0.0.0.0/0");

      // WHEN submitted
      await page.click("form.spec-form button[type=submit]");

      // THEN the schema's message is next to the field and no file was written
      expect(await page.textContent("#cores-error")).toBe("must be between 1 and 128, got 0");
      expect(await page.getAttribute("#cores", "aria-invalid")).toBe("true");
      expect(fs.existsSync(path.join(project.root, "environments", "qa.yaml"))).toBe(false);
      await shot("04-form-invalid");

      // WHEN the field is fixed and the form submitted again
      await page.fill("#cores", "1");
      await page.click("form.spec-form button[type=submit]");

      // THEN the file is written (dev's untouched) and its plan is shown
      await runOutcome();
      expect(loadEnvironment(path.join(project.root, "environments", "qa.yaml")).tiers.web).toEqual(expect.objectContaining({ cores: 1, memoryMiB: 1024 }));
      expect(fs.readFileSync(path.join(project.root, "environments", "dev.yaml"), "utf8")).toBe(devYaml);
      expect(await page.textContent("#run-summary")).toMatch(/^Plan: \d+ to add, 0 to change, 0 to destroy/);
      expect(await page.textContent("pre.review")).toContain("qa");
      await shot("05-plan-qa");
    },
    RUN_TIMEOUT + 60_000,
  );

  it(
    "deploys the new environment, shows its guests and validation, and the audit log records it",
    async () => {
      // WHEN Deploy is pressed on the plan page
      await page.click("form.deploy button[type=submit]");
      await runOutcome();

      // THEN the guest has an id and the post-deploy validation ran
      const deployed = await rows("#deployed-table");
      expect(deployed).toEqual([["qa-web-1", "web", expect.stringMatching(/^\d+$/), "pve1", expect.any(String)]]);
      expect((await rows("#checks-table")).map((r) => r[0])).toEqual(["qa-web-1"]);
      await shot("06-deploy-qa");

      // AND the audit page lists the deploy
      await page.click("a:text-is('Audit entries of qa')");
      const audit = await rows("#audit");
      expect(audit[0].slice(2, 5)).toEqual(["qa", "up", "ok"]);
      expect(
        auditRecords(project)
          .filter((r) => r.env === "qa")
          .map((r) => `${String(r.action)} ${String(r.result)}`),
      ).toEqual(["review ok", "up ok"]);
      await shot("07-audit");
    },
    RUN_TIMEOUT + 60_000,
  );

  it(
    "adds a Windows tier to dev through the form, keeping dev.yaml's comments, and shows its plan",
    async () => {
      // GIVEN dev's add-tier form with the Windows preset, a new installer ISO and too little memory
      await page.goto(`http://127.0.0.1:${ui.port}/env/dev`);
      await page.click("a:text-is('Add a tier')");
      await page.fill("#tier", "desk");
      await page.selectOption("#os", "windows");
      await page.fill("#template", "win11");
      await page.fill("#templateUrl", WINDOWS_ISO_URL);
      await page.fill("#templateChecksum", "c".repeat(64));
      await page.selectOption("#templateAlgorithm", "sha256");
      await page.fill("#memoryMiB", "2048");
      await page.fill("#exposePort", "rdp");
      await page.fill("#exposeFrom", "203.0.113.0/24");

      // WHEN submitted THEN Windows 11's minimum is shown next to the memory field and dev.yaml is untouched
      await page.click("form.spec-form button[type=submit]");
      expect(await page.textContent("#memoryMiB-error")).toBe("must be at least 4096 on a Windows tier (Windows 11's minimum), got 2048");
      expect(fs.readFileSync(path.join(project.root, "environments", "dev.yaml"), "utf8")).toBe(devYaml);
      await shot("09-form-windows-invalid");

      // WHEN the memory is left to the Windows preset and the form submitted again
      await page.fill("#memoryMiB", "");
      await page.click("form.spec-form button[type=submit]");
      await runOutcome();

      // THEN dev.yaml holds the installer and the Windows tier, with every comment line of the file kept
      const file = path.join(project.root, "environments", "dev.yaml");
      const commentLines = (text: string) => text.split("\n").filter((l) => l.trim().startsWith("#"));
      expect(commentLines(fs.readFileSync(file, "utf8"))).toEqual(commentLines(devYaml));
      const spec = loadEnvironment(file);
      expect(spec.windowsInstallers?.win11).toEqual({ url: WINDOWS_ISO_URL, checksum: "c".repeat(64), checksumAlgorithm: "sha256" });
      expect(resolveDefaults(spec).tiers.desk).toMatchObject({ os: "windows", template: "win11", memoryMiB: 8192 });

      // AND the plan adds the installer download and the Windows VM, and changes or destroys nothing deployed
      expect(await page.textContent("#run-summary")).toMatch(/^Plan: \d+ to add, 0 to change, 0 to destroy/);
      const review = (await page.textContent("pre.review")) ?? "";
      expect(review).toContain("dev-desk-1");
      expect(review).toContain("windows-installer-win11");
      await shot("10-plan-windows-tier");
    },
    RUN_TIMEOUT + 60_000,
  );

  it(
    "applies a plan that destroys something only after the environment name is typed",
    async () => {
      // GIVEN qa's tier renamed in its spec, so that a deploy destroys qa-web-1
      const file = path.join(project.root, "environments", "qa.yaml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\bweb\b/g, "api"));
      await page.goto(`http://127.0.0.1:${ui.port}/env/qa`);
      await page.click("#plan button[type=submit]");
      await runOutcome();
      expect(await page.textContent("ul.destructive")).toContain("qa-web-1");

      // WHEN Deploy is confirmed with a wrong name
      await page.fill("#confirm", "not-qa");
      await page.click("form.deploy button[type=submit]");

      // THEN nothing is applied: the run is refused and the guest is still there
      await runOutcome("refused");
      expect(await page.textContent("ul.destructive")).toContain("qa-web-1");
      await shot("08-deploy-refused");
      expect(simVmNames()).toContain("qa-web-1");
      await page.goto(`http://127.0.0.1:${ui.port}/env/qa`);
      expect(await rows("#guests-table")).toEqual([["qa-api-1", "api", "not deployed", "", ""]]);

      // WHEN the environment name is typed, but the form names a plan that never showed these destroys
      await page.click("#plan button[type=submit]");
      await runOutcome();
      await page.evaluate("document.querySelector('form.deploy input[name=plan]').value = 'no-such-plan'");
      await page.fill("#confirm", "qa");
      await page.click("form.deploy button[type=submit]");

      // THEN it is refused too: a destroy is consented to only as the reviewed plan showed it
      await runOutcome("refused");
      expect(simVmNames()).toContain("qa-web-1");

      // WHEN the environment name is typed on the reviewed plan
      await page.goto(`http://127.0.0.1:${ui.port}/env/qa`);
      await page.click("#plan button[type=submit]");
      await runOutcome();
      await page.fill("#confirm", "qa");
      await page.click("form.deploy button[type=submit]");

      // THEN the deploy replaces the guest
      await runOutcome();
      expect((await rows("#deployed-table")).map((r) => r[0])).toEqual(["qa-api-1"]);
      expect(simVmNames()).not.toContain("qa-web-1");
      expect(
        auditRecords(project)
          .filter((r) => r.env === "qa" && r.action === "up")
          .map((r) => r.result),
      ).toEqual(["ok", "error", "error", "ok"]);
    },
    3 * RUN_TIMEOUT,
  );
});
