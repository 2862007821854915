import { parseEnvironment, resolveDefaults } from "../../envspec";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";

/** A minimal valid spec of the given stage, plus extra top-level YAML. */
function spec(stage: "dev" | "staging" | "prod", extra = "") {
  const text = `
name: shop
stage: ${stage}
nodes: [pve1, pve2]
network: { bridge: { name: vmbr0 } }
templates:
  debian12:
    url: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
    checksum: ${"ab".repeat(32)}
    checksumAlgorithm: sha256
tiers:
  web: { template: debian12 }
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
${extra}`;
  return resolveDefaults(parseEnvironment(text, `environments/${stage}.yaml`));
}

describe("resolveDefaults", () => {
  it("turns on protection, backups and HA in prod", () => {
    const env = spec("prod", "backups: { storage: pbs }");
    expect(env.protection).toBe(true);
    expect(env.backups).toEqual({ enabled: true, schedule: "02:00", storage: "pbs", retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 } });
    expect(env.ha).toEqual({ enabled: true, maxRestart: 1, maxRelocate: 1 });
    expect(env.weakenedDefaults).toEqual([]);
  });

  it("turns on backups but neither protection nor HA in staging", () => {
    const env = spec("staging", "backups: { storage: pbs }");
    expect(env.protection).toBe(false);
    expect(env.backups).toMatchObject({ enabled: true, retention: { keepDaily: 7, keepWeekly: 2, keepMonthly: 0 } });
    expect(env.ha.enabled).toBe(false);
  });

  it("turns on none of protection, backups and HA in dev", () => {
    const env = spec("dev");
    expect(env.protection).toBe(false);
    expect(env.backups).toEqual({ enabled: false });
    expect(env.ha.enabled).toBe(false);
  });

  it("fills tier, template and environment defaults", () => {
    const env = spec("dev");
    expect(env.tiers.web).toEqual({
      name: "web",
      kind: "vm",
      count: 1,
      cores: 2,
      memoryMiB: 2048,
      diskGiB: 20,
      template: "debian12",
      tags: [],
      os: "linux",
      ipv4: { mode: "dhcp" },
      vmNames: ["shop-web-1"],
      dataDisks: [],
      nics: [],
    });
    expect(env.templates.debian12.uefi).toBe(true);
    expect(env.containerTemplates).toEqual({});
    expect(env.placement).toBe("spread");
    expect(env.stateBackend).toBe("local");
    expect(env.network).toEqual({ kind: "bridge", name: "vmbr0" });
  });

  it("lets explicit values win over stage defaults, field by field", () => {
    const env = spec("prod", "backups: { storage: pbs, schedule: 'sun 01:30', retention: { keepMonthly: 12 } }\nha: { maxRestart: 3 }");
    expect(env.backups).toEqual({ enabled: true, schedule: "sun 01:30", storage: "pbs", retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 } });
    expect(env.ha).toEqual({ enabled: true, maxRestart: 3, maxRelocate: 1 });
  });

  it("turns a feature on in dev when its block is written", () => {
    const env = spec("dev", "backups: { storage: pbs }\nha: { maxRelocate: 2 }");
    expect(env.backups).toMatchObject({ enabled: true, storage: "pbs", retention: { keepDaily: 3, keepWeekly: 0, keepMonthly: 0 } });
    expect(env.ha).toEqual({ enabled: true, maxRestart: 1, maxRelocate: 2 });
  });

  it("lists every hardened prod default that the spec switched off explicitly", () => {
    const env = spec("prod", "protection: false\nbackups: { enabled: false }\nha: { enabled: false }");
    expect(env.protection).toBe(false);
    expect(env.backups).toEqual({ enabled: false });
    expect(env.ha.enabled).toBe(false);
    expect(env.weakenedDefaults).toEqual([
      { path: "protection", stageDefault: true, value: false },
      { path: "backups.enabled", stageDefault: true, value: false },
      { path: "ha.enabled", stageDefault: true, value: false },
    ]);
  });

  it("does not count switching off what the stage leaves off as weakening", () => {
    const env = spec("dev", "protection: false\nha: { enabled: false }");
    expect(env.weakenedDefaults).toEqual([]);
  });

  it("resolves an SDN network, a static pool and one VM name per count", () => {
    const sdn = resolveDefaults(
      parseEnvironment(
        `name: shop
stage: dev
nodes: [pve1]
network: { sdn: { zone: shop, vnet: shopnet, vlan: 30, subnet: 10.30.0.0/24, gateway: 10.30.0.1 } }
templates: { debian12: { url: "https://example.com/d.qcow2", checksum: "${"0".repeat(128)}", checksumAlgorithm: sha512, uefi: false } }
tiers: { db: { template: debian12, count: 3, ipv4: 10.30.0.16/28 } }
cloudInit: { user: ops, sshKeys: ["${KEY}"] }`,
        "sdn.yaml",
      ),
    );
    expect(sdn.network).toEqual({ kind: "sdn", zone: "shop", vnet: "shopnet", vlan: 30, subnet: "10.30.0.0/24", gateway: "10.30.0.1" });
    expect(sdn.tiers.db.ipv4).toEqual({ mode: "pool", pool: "10.30.0.16/28" });
    expect(sdn.tiers.db.vmNames).toEqual(["shop-db-1", "shop-db-2", "shop-db-3"]);
    expect(sdn.templates.debian12.uefi).toBe(false);
  });

  it("expands firewall ports into protocol ranges", () => {
    const env = spec("dev", "firewall: { expose: [{ tier: web, port: dns, from: 10.0.0.0/8 }] }");
    expect(env.firewall.expose[0].ranges).toEqual([
      { protocol: "udp", from: 53, to: 53 },
      { protocol: "tcp", from: 53, to: 53 },
    ]);
  });
});
