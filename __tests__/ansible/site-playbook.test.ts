import * as fs from "fs";
import * as path from "path";
import { describeRun, PlaybookRun, runPlaybook } from "./ansible-cli";
import { ChrootHost, createChrootHost, disposeChrootHost } from "./chroot-fixture";

// site.yml against a real debootstrapped Debian 12 root (community.general.chroot connection),
// asserting on what the guest's own tools make of the result. The first build of the root takes minutes.
jest.setTimeout(10 * 60_000);

const ADMIN = "opsadmin";
const INBOUND = [
  { proto: "tcp", port: 22, from: "10.0.0.0/24", comment: "ssh from the admin network" },
  { proto: "tcp", port: "8000-8080", from: ["10.0.1.10", "fd00:10::/64"] },
  { proto: "udp", port: 53 },
  { proto: "icmp", from: "10.0.0.0/24" },
];

let host: ChrootHost;
let firstRun: PlaybookRun;
let secondRun: PlaybookRun;

/** `sshd -T` output as a map of lower-case keyword to value. */
async function effectiveSshdConfig(): Promise<Map<string, string>> {
  const res = await host.chroot(["/usr/sbin/sshd", "-T", "-f", "/etc/ssh/sshd_config"]);
  if (res.status !== 0) throw new Error(`sshd -T failed: ${res.stderr}`);
  return new Map(
    res.stdout
      .trim()
      .split("\n")
      .map((l) => [l.split(" ")[0], l.slice(l.indexOf(" ") + 1)] as [string, string]),
  );
}

beforeAll(async () => {
  host = await createChrootHost({ ssh_hardening_group_members: [ADMIN], nftables_allowed_inbound: INBOUND });
  // GIVEN an admin user, as cloud-init creates it, and cloud-init's drop-in that re-enables passwords
  const useradd = await host.chroot(["useradd", "--create-home", ADMIN]);
  if (useradd.status !== 0) throw new Error(`useradd failed: ${useradd.stderr}`);
  fs.writeFileSync(path.join(host.root, "etc/ssh/sshd_config.d/50-cloud-init.conf"), "PasswordAuthentication yes\n");

  // WHEN site.yml runs twice
  firstRun = await runPlaybook(["-i", host.inventory, "site.yml"]);
  secondRun = await runPlaybook(["-i", host.inventory, "site.yml"]);
}, 40 * 60_000);

afterAll(() => disposeChrootHost(host));

describe("site.yml on a Debian 12 root", () => {
  it("completes without a failed task and changes the fresh root", () => {
    expect({ status: firstRun.status, run: describeRun(firstRun) }).toMatchObject({ status: 0 });
    expect(firstRun.stats["debian-root"]).toMatchObject({ failures: 0, unreachable: 0 });
    expect(firstRun.stats["debian-root"].changed).toBeGreaterThan(0);
  });

  it("reports changed=0 on the second run", () => {
    expect({ status: secondRun.status, run: describeRun(secondRun) }).toMatchObject({ status: 0 });
    expect(secondRun.stats["debian-root"]).toMatchObject({ changed: 0, failures: 0 });
  });

  it("configures services but starts, enables and reloads none when hardening_manage_services is false", () => {
    const serviceTasks = firstRun.results.filter((r) => /^(\w+ : )?(Enable|Reload|Load|Apply)\b/.test(r.task));
    expect(serviceTasks.length).toBeGreaterThanOrEqual(6);
    expect(serviceTasks.filter((r) => !r.skipped)).toEqual([]);
  });
});

describe("ssh_hardening", () => {
  it("leaves an sshd_config that sshd -t accepts", async () => {
    const res = await host.chroot(["/usr/sbin/sshd", "-t", "-f", "/etc/ssh/sshd_config"]);
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("allows public keys only and no root login, even with a drop-in that enables passwords", async () => {
    const cfg = await effectiveSshdConfig();
    expect(
      Object.fromEntries(
        [
          "permitrootlogin",
          "passwordauthentication",
          "kbdinteractiveauthentication",
          "pubkeyauthentication",
          "authenticationmethods",
          "permitemptypasswords",
        ].map((k) => [k, cfg.get(k)]),
      ),
    ).toEqual({
      permitrootlogin: "no",
      passwordauthentication: "no",
      kbdinteractiveauthentication: "no",
      pubkeyauthentication: "yes",
      authenticationmethods: "publickey",
      permitemptypasswords: "no",
    });
  });

  it("offers no CBC cipher, no SHA-1, no NIST curve and no non-ETM MAC", async () => {
    const cfg = await effectiveSshdConfig();
    const offered = ["ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "pubkeyacceptedalgorithms"].flatMap((k) => (cfg.get(k) ?? "").split(","));
    expect(offered.length).toBeGreaterThan(15);
    expect(offered.filter((a) => /cbc|sha1|nistp|ssh-rsa$|ssh-dss|group14|group-exchange/.test(a))).toEqual([]);
    expect((cfg.get("macs") ?? "").split(",").every((m) => m.includes("-etm@"))).toBe(true);
    expect(cfg.get("kexalgorithms")?.split(",")[0]).toBe("sntrup761x25519-sha512@openssh.com");
  });

  it("admits only members of AllowGroups and adds the listed admin to the group", async () => {
    const cfg = await effectiveSshdConfig();
    expect(cfg.get("allowgroups")).toBe("sshusers");
    const groups = await host.chroot(["id", "-nG", ADMIN]);
    expect(groups.stdout.trim().split(" ")).toContain("sshusers");
  });

  it("drops dead connections after two missed probes and idle sessions after 15 minutes", async () => {
    const cfg = await effectiveSshdConfig();
    expect([cfg.get("clientaliveinterval"), cfg.get("clientalivecountmax")]).toEqual(["300", "2"]);
    expect(cfg.get("channeltimeout")).toBe("session=15m");
    expect(cfg.get("unusedconnectiontimeout")).toBe("900");
  });
});

describe("fail2ban", () => {
  it("enables an sshd jail on the journal that bans through nftables", () => {
    const jail = host.read("etc/fail2ban/jail.d/sshd.local");
    expect(jail).toMatch(/^\[sshd\]$/m);
    expect(jail).toMatch(/^enabled = true$/m);
    expect(jail).toMatch(/^backend = systemd$/m);
    expect(jail).toMatch(/^banaction = nftables-multiport$/m);
    expect(jail).toMatch(/^maxretry = 3$/m);
  });

  it("produces a configuration fail2ban itself loads with that jail", async () => {
    // -d parses every file and prints the resulting server commands without starting the server.
    const dump = await host.chroot(["fail2ban-client", "-d"]);
    expect(dump.status).toBe(0);
    expect(dump.stdout).toContain("['add', 'sshd', 'systemd']");
    expect(dump.stdout).toContain("['set', 'sshd', 'maxretry', 3]");
    expect(dump.stdout).toMatch(/\['set', 'sshd', 'addaction', 'nftables-multiport'\]/);
  });
});

describe("auditd", () => {
  it("watches identity files, sudoers and sshd_config for writes and attribute changes", () => {
    const rules = host.read("etc/audit/rules.d/50-hardening.rules");
    for (const [file, key] of [
      ["/etc/passwd", "identity"],
      ["/etc/shadow", "identity"],
      ["/etc/group", "identity"],
      ["/etc/gshadow", "identity"],
      ["/etc/sudoers", "sudoers"],
      ["/etc/sudoers.d/", "sudoers"],
      ["/etc/ssh/sshd_config", "sshd_config"],
    ]) {
      expect(rules).toContain(`-w ${file} -p wa -k ${key}\n`);
    }
  });

  it("records clock changes through every time-setting system call", () => {
    const rules = host.read("etc/audit/rules.d/50-hardening.rules");
    expect(rules).toContain("-a always,exit -F arch=b64 -S adjtimex,settimeofday -k time-change\n");
    expect(rules).toContain("-a always,exit -F arch=b64 -S clock_settime -F a0=0x0 -k time-change\n");
    expect(rules).toContain("-w /etc/localtime -p wa -k time-change\n");
  });
});

describe("nftables", () => {
  it("writes a ruleset that nft -c accepts", async () => {
    const res = await host.chroot(["/usr/sbin/nft", "-c", "-f", "/etc/nftables.conf"]);
    expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("drops inbound by default and lets established, related and loopback traffic in", () => {
    const rules = host.read("etc/nftables.conf");
    expect(rules).toMatch(/hook input priority filter; policy drop;/);
    expect(rules).toMatch(/hook forward priority filter; policy drop;/);
    expect(rules).toMatch(/^\s+ct state established,related accept$/m);
    expect(rules).toMatch(/^\s+iif "lo" accept$/m);
  });

  it("accepts exactly the inventory's nftables_allowed_inbound entries, split by address family", () => {
    const accepts = host
      .read("etc/nftables.conf")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /\b(dport|echo-request)\b/.test(l));
    expect(accepts).toEqual([
      'ip saddr { 10.0.0.0/24 } tcp dport 22 accept comment "ssh from the admin network"',
      "ip saddr { 10.0.1.10 } tcp dport 8000-8080 accept",
      "ip6 saddr { fd00:10::/64 } tcp dport 8000-8080 accept",
      "udp dport 53 accept",
      "ip saddr { 10.0.0.0/24 } icmp type echo-request limit rate 10/second accept",
    ]);
  });
});

describe("sysctl_hardening", () => {
  it("writes the network hardening settings to /etc/sysctl.d", () => {
    const settings = host.read("etc/sysctl.d/90-hardening.conf");
    for (const line of [
      "net.ipv4.conf.all.rp_filter = 1",
      "net.ipv4.conf.all.accept_redirects = 0",
      "net.ipv6.conf.all.accept_redirects = 0",
      "net.ipv4.conf.all.send_redirects = 0",
      "net.ipv4.conf.all.accept_source_route = 0",
      "net.ipv4.tcp_syncookies = 1",
      "net.ipv4.ip_forward = 0",
      "kernel.kptr_restrict = 2",
    ]) {
      expect(settings.split("\n")).toContain(line);
    }
  });
});

describe("unattended_upgrades", () => {
  it("leaves apt with Debian's security archive as the only automatic upgrade origin", async () => {
    const dump = await host.chroot(["apt-config", "dump"]);
    const origins = dump.stdout.split("\n").filter((l) => l.startsWith("Unattended-Upgrade::Origins-Pattern:: "));
    expect(origins.length).toBeGreaterThan(0);
    expect(origins.filter((l) => !l.includes("label=Debian-Security"))).toEqual([]);
    expect(dump.stdout).toContain('APT::Periodic::Unattended-Upgrade "1";');
  });
});
