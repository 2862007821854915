import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironment, resolveDefaults } from "../../envspec";
import { addTier, createEnvironment, redisplayable } from "../../ui/spec-form";

const REPO = path.resolve(__dirname, "..", "..");
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl ops@example.com";
const NEW_ENV = {
  name: "qa",
  stage: "dev",
  nodes: "pve1 pve2",
  bridge: "vmbr0",
  user: "ops",
  template: "debian12",
  templateUrl: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
  templateChecksum: "a".repeat(128),
  templateAlgorithm: "sha512",
  tier: "web",
  os: "linux",
  count: "2",
  cores: "2",
  memoryMiB: "1024",
  diskGiB: "10",
  ipv4Mode: "dhcp",
  sshKeys: KEY,
  tags: "web, qa",
  exposePort: "https",
  exposeFrom: "0.0.0.0/0",
};

/** The Windows preset's part of the form: os, an installer template and its ISO. */
const WINDOWS_TIER = {
  os: "windows",
  template: "win11",
  templateUrl: "https://software.example.com/Win11_24H2_English_x64.iso",
  templateChecksum: "b".repeat(64),
  templateAlgorithm: "sha256",
  diskGiB: "",
};

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ui-form-"));
  fs.mkdirSync(path.join(root, "environments"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the console's environment form", () => {
  it("writes a new environment that the loader accepts as written", () => {
    // WHEN a complete form is saved
    const outcome = createEnvironment(root, NEW_ENV);

    // THEN the file exists and loads with the form's values
    expect(outcome).toEqual({ ok: true, env: "qa", file: path.join(root, "environments", "qa.yaml") });
    const spec = loadEnvironment(path.join(root, "environments", "qa.yaml"));
    expect(spec.tiers.web).toEqual({ template: "debian12", count: 2, cores: 2, memoryMiB: 1024, diskGiB: 10, tags: ["web", "qa"], ipv4: "dhcp" });
    expect(spec.firewall?.expose).toEqual([{ tier: "web", port: "https", from: "0.0.0.0/0" }]);
    expect(spec.cloudInit.sshKeys).toEqual([KEY]);
  });

  it("puts the schema's message next to the bad field and writes nothing", () => {
    // WHEN the form has a core count out of range
    const outcome = createEnvironment(root, { ...NEW_ENV, cores: "0" });

    // THEN the error is the schema's, on the cores field only, and no file was written
    expect(outcome).toEqual({ ok: false, errors: { cores: ["must be between 1 and 128, got 0"] } });
    expect(fs.readdirSync(path.join(root, "environments"))).toEqual([]);
  });

  it("maps template, exposure and key problems to their fields", () => {
    const outcome = createEnvironment(root, { ...NEW_ENV, templateChecksum: "xyz", exposeFrom: "everywhere", sshKeys: "not a key" });
    expect(outcome.ok).toBe(false);
    const errors = outcome.ok ? {} : outcome.errors;
    expect(Object.keys(errors).sort()).toEqual(["exposeFrom", "sshKeys", "templateChecksum"]);
  });

  it("refuses to overwrite an existing environment", () => {
    fs.writeFileSync(path.join(root, "environments", "qa.yaml"), "# mine\n");
    const outcome = createEnvironment(root, NEW_ENV);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? [] : outcome.errors.name).toEqual(["environments/qa.yaml already exists; add a tier to it instead"]);
    expect(fs.readFileSync(path.join(root, "environments", "qa.yaml"), "utf8")).toBe("# mine\n");
  });

  it("adds a tier to an existing file and keeps its comments", () => {
    // GIVEN dev.yaml with its comments
    const file = path.join(root, "environments", "dev.yaml");
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), file);
    const before = fs.readFileSync(file, "utf8");
    const comments = before.split("\n").filter((l) => l.trim().startsWith("#"));

    // WHEN a tier with an exposure is added
    const outcome = addTier(root, "dev", {
      tier: "cache",
      os: "linux",
      template: "debian12",
      count: "1",
      ipv4Mode: "dhcp",
      exposePort: "tcp/6379",
      exposeFrom: "10.9.0.0/16",
      sshKeys: "",
    });

    // THEN the tier and its exposure are in the spec and every comment line is still there
    expect(outcome.ok).toBe(true);
    const after = fs.readFileSync(file, "utf8");
    expect(after.split("\n").filter((l) => l.trim().startsWith("#"))).toEqual(comments);
    const spec = loadEnvironment(file);
    expect(spec.tiers.cache).toEqual({ template: "debian12", count: 1, ipv4: "dhcp" });
    expect(spec.firewall?.expose?.at(-1)).toEqual({ tier: "cache", port: "tcp/6379", from: "10.9.0.0/16" });
    expect(Object.keys(spec.tiers)).toEqual(["bastion", "web", "app", "db", "cache"]);
  });

  it("does not add a key the spec already lists with its date, even under another comment", () => {
    // GIVEN dev.yaml, whose key is written as { key, added }
    const file = path.join(root, "environments", "dev.yaml");
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), file);
    const listed = loadEnvironment(file).cloudInit.sshKeys;

    // WHEN a tier is added with the same key (the same key data, another comment)
    const outcome = addTier(root, "dev", { tier: "cache", template: "debian12", ipv4Mode: "dhcp", sshKeys: KEY });

    // THEN the tier is written and the key list is as it was
    expect(outcome.ok).toBe(true);
    expect(loadEnvironment(file).cloudInit.sshKeys).toEqual(listed);
  });

  it("refuses a tier name that exists and leaves the file as it was", () => {
    const file = path.join(root, "environments", "dev.yaml");
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), file);
    const before = fs.readFileSync(file, "utf8");
    const outcome = addTier(root, "dev", { tier: "web", template: "debian12", ipv4Mode: "dhcp" });
    expect(outcome.ok ? {} : outcome.errors).toEqual({ tier: ['tier "web" already exists in environments/dev.yaml; choose another name'] });
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("applies the Windows preset: an installer ISO under windowsInstallers, Windows sizes for the fields left empty", () => {
    // WHEN a new environment's tier is Windows, its image the installer ISO, its sizes left empty
    const outcome = createEnvironment(root, { ...NEW_ENV, ...WINDOWS_TIER, cores: "", memoryMiB: "", diskGiB: "" });

    // THEN the ISO is a Windows installer (no cloud image) and the tier resolves to the Windows defaults
    expect(outcome.ok).toBe(true);
    const spec = loadEnvironment(path.join(root, "environments", "qa.yaml"));
    expect(spec.templates).toEqual({});
    expect(spec.windowsInstallers).toEqual({ win11: { url: WINDOWS_TIER.templateUrl, checksum: WINDOWS_TIER.templateChecksum, checksumAlgorithm: "sha256" } });
    expect(resolveDefaults(spec).tiers.web).toMatchObject({ os: "windows", template: "win11", cores: 4, memoryMiB: 8192, diskGiB: 80 });
  });

  it("puts a Windows tier's too-small memory next to the memory field", () => {
    const outcome = createEnvironment(root, { ...NEW_ENV, ...WINDOWS_TIER, memoryMiB: "2048" });
    expect(outcome.ok ? {} : outcome.errors).toEqual({ memoryMiB: ["must be at least 4096 on a Windows tier (Windows 11's minimum), got 2048"] });
  });

  it("adds a Windows tier with a new installer to an existing file, keeping its comments", () => {
    // GIVEN dev.yaml with its comments and no Windows installer
    const file = path.join(root, "environments", "dev.yaml");
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), file);
    const comments = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim().startsWith("#"));

    // WHEN a Windows tier is added with its installer ISO, exposed over RDP
    const outcome = addTier(root, "dev", {
      ...WINDOWS_TIER,
      tier: "desk",
      count: "1",
      ipv4Mode: "dhcp",
      exposePort: "rdp",
      exposeFrom: "203.0.113.0/24",
      sshKeys: "",
    });

    // THEN the installer and the tier are in the spec, and every comment line is still there
    expect(outcome.ok).toBe(true);
    expect(
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim().startsWith("#")),
    ).toEqual(comments);
    const spec = loadEnvironment(file);
    expect(spec.windowsInstallers?.win11.url).toBe(WINDOWS_TIER.templateUrl);
    expect(spec.tiers.desk).toEqual({ os: "windows", template: "win11", count: 1, ipv4: "dhcp" });
  });

  it("refuses SSH keys on a Windows tier (no cloud-init) and a new template whose name exists", () => {
    const file = path.join(root, "environments", "dev.yaml");
    fs.copyFileSync(path.join(REPO, "environments", "dev.yaml"), file);
    const before = fs.readFileSync(file, "utf8");
    const outcome = addTier(root, "dev", { ...WINDOWS_TIER, template: "debian12", os: "linux", tier: "desk", ipv4Mode: "dhcp", sshKeys: "" });
    expect(outcome.ok ? {} : outcome.errors).toEqual({
      templateUrl: [expect.stringMatching(/^templates\.debian12 already exists in environments\/dev\.yaml; leave the image fields empty/)],
    });
    const windows = addTier(root, "dev", { ...WINDOWS_TIER, tier: "desk", ipv4Mode: "dhcp", sshKeys: KEY });
    expect(windows.ok ? [] : windows.errors.sshKeys).toContainEqual(expect.stringMatching(/^Windows guests get no SSH keys/));
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses a private key pasted as a public key and never shows it again", () => {
    // GIVEN a private key in the SSH keys field
    const secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    const form = { ...NEW_ENV, sshKeys: secret };

    // WHEN saved
    const outcome = createEnvironment(root, form);

    // THEN it is refused on the field, nothing is written, and the redisplayed form drops it
    const errors = outcome.ok ? {} : outcome.errors;
    expect(errors.sshKeys?.[0]).toMatch(/PRIVATE key/);
    expect(JSON.stringify(errors)).not.toContain("b3BlbnNzaC1rZXktdjEAAAAA");
    expect(fs.readdirSync(path.join(root, "environments"))).toEqual([]);
    expect(redisplayable(form)).toEqual({ ...NEW_ENV, sshKeys: "" });
  });
});
