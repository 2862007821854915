import * as fs from "fs";
import * as path from "path";
import { ANSIBLE_DIR, describeRun, PlaybookRun, runPlaybook } from "./ansible-cli";
import { ChrootHost, createChrootHost, disposeChrootHost } from "./chroot-fixture";

// Each role refuses input that would lock users out, open the firewall or destroy data, with a message
// naming the bad value and the fix. Runs in check mode against a private Debian root: nothing changes.
jest.setTimeout(10 * 60_000);

const SSH_FROM_ADMIN_NET = { proto: "tcp", port: 22, from: "10.0.0.0/24" };

let host: ChrootHost;

beforeAll(async () => {
  host = await createChrootHost({ nftables_allowed_inbound: [SSH_FROM_ADMIN_NET], ssh_hardening_require_group_member: false });
}, 40 * 60_000);

afterAll(() => disposeChrootHost(host));

/** Applies one role in check mode with the given extra vars. */
async function applyRole(role: string, vars: Record<string, unknown>): Promise<PlaybookRun> {
  const playbook = path.join(host.workDir, `${role}.yml`);
  const play = [{ name: `Apply ${role}`, hosts: "all", gather_facts: false, roles: [{ role: path.join(ANSIBLE_DIR, "roles", role) }] }];
  fs.writeFileSync(playbook, JSON.stringify(play));
  return runPlaybook(["-i", host.inventory, "--check", ...host.extraVars(role, vars), playbook]);
}

function failureOf(run: PlaybookRun): string {
  const failed = run.results.filter((r) => r.failed);
  if (run.status === 0 || failed.length === 0) throw new Error(`expected a failed task:\n${describeRun(run)}`);
  return failed.map((r) => `${r.task}: ${r.msg}`).join("\n");
}

describe("nftables guards", () => {
  it("accepts a valid allow list (so the refusals below are about the bad entry)", async () => {
    const run = await applyRole("nftables", {
      nftables_allowed_inbound: [SSH_FROM_ADMIN_NET, { proto: "udp", port: "60000-61000", from: ["::/0"] }],
    });
    expect({ status: run.status, run: describeRun(run) }).toMatchObject({ status: 0 });
  });

  it("rejects a port outside 1-65535 and names the entry", async () => {
    const run = await applyRole("nftables", { nftables_allowed_inbound: [SSH_FROM_ADMIN_NET, { proto: "tcp", port: 70000 }] });
    expect(failureOf(run)).toMatch(/nftables_allowed_inbound\[1\] = \{"proto": "tcp", "port": 70000\} is invalid/);
  });

  it("rejects an empty source list instead of opening the port to everyone", async () => {
    const run = await applyRole("nftables", {
      nftables_allowed_inbound: [SSH_FROM_ADMIN_NET, { proto: "tcp", port: 5432, from: [] }],
    });
    expect(failureOf(run)).toMatch(/nftables_allowed_inbound\[1\].*never \[\]/);
  });

  it("rejects an unknown protocol through the argument spec", async () => {
    const run = await applyRole("nftables", { nftables_allowed_inbound: [SSH_FROM_ADMIN_NET, { proto: "sctp", port: 9 }] });
    expect(failureOf(run)).toMatch(/proto must be one of: tcp, udp, icmp/);
  });

  it("refuses a ruleset without an SSH entry, which would lock Ansible out", async () => {
    const run = await applyRole("nftables", { nftables_allowed_inbound: [{ proto: "tcp", port: 443 }] });
    expect(failureOf(run)).toMatch(/no tcp entry for the SSH port 22.*Add \{proto: tcp, port: 22/s);
  });
});

describe("ssh_hardening guards", () => {
  it("refuses AllowGroups that no user belongs to", async () => {
    const run = await applyRole("ssh_hardening", {
      ssh_hardening_allow_groups: ["nobody-logs-in"],
      ssh_hardening_require_group_member: true,
    });
    expect(failureOf(run)).toMatch(/no user is a member of AllowGroups nobody-logs-in.*ssh_hardening_group_members/s);
  });

  it("refuses to admit a user that does not exist instead of creating it", async () => {
    const run = await applyRole("ssh_hardening", { ssh_hardening_group_members: ["ghost"] });
    expect(failureOf(run)).toMatch(/ssh_hardening_group_members lists users that do not exist on the host: ghost\./);
  });
});

describe("luks_data_disk guards", () => {
  it("does nothing while disabled, which is the default", async () => {
    const run = await applyRole("luks_data_disk", {});
    expect(run.status).toBe(0);
    expect(run.results.filter((r) => !r.skipped && !/Validating arguments/.test(r.task)).map((r) => r.task)).toEqual([]);
  });

  it("refuses to run when enabled without a device", async () => {
    const run = await applyRole("luks_data_disk", { luks_data_disk_enabled: true });
    expect(failureOf(run)).toMatch(/luks_data_disk_enabled is true but luks_data_disk_device=""/);
  });

  const TANG = { url: "http://127.0.0.1:7500", thp: "00OdHqOZrOUeq5w-aWF8MmNqHWrhuQI1sk4mRgNIOT4" };
  const ENABLED = { luks_data_disk_enabled: true, luks_data_disk_device: "/dev/disk/by-id/virtio-data" };

  it("unlocks with tang by default, so a key file next to the data is never chosen silently", async () => {
    const run = await applyRole("luks_data_disk", { ...ENABLED, luks_data_disk_passphrase: "x".repeat(32) });
    expect(failureOf(run)).toMatch(/luks_data_disk_tang_servers=\[\] .* is invalid.*thumbprint/s);
  });

  it("refuses a tang server without a pinned thumbprint (no trust on first use)", async () => {
    const run = await applyRole("luks_data_disk", {
      ...ENABLED,
      luks_data_disk_passphrase: "x".repeat(32),
      luks_data_disk_tang_servers: [TANG, { url: "http://127.0.0.2:7500" }],
    });
    expect(failureOf(run)).toMatch(/missing required arguments: thp/);
  });

  it("refuses a threshold larger than the number of tang servers", async () => {
    const run = await applyRole("luks_data_disk", {
      ...ENABLED,
      luks_data_disk_passphrase: "x".repeat(32),
      luks_data_disk_tang_servers: [TANG],
      luks_data_disk_tang_threshold: 2,
    });
    expect(failureOf(run)).toMatch(/luks_data_disk_tang_threshold=2 is invalid/);
  });

  it("refuses clevis unlock without a recovery passphrase from the vault", async () => {
    const run = await applyRole("luks_data_disk", { ...ENABLED, luks_data_disk_unlock: "tpm2" });
    expect(failureOf(run)).toMatch(/luks_data_disk_unlock=tpm2 needs luks_data_disk_passphrase.*it has 0\./s);
  });

  it("refuses keyfile unlock without a vaulted key file", async () => {
    const run = await applyRole("luks_data_disk", { ...ENABLED, luks_data_disk_unlock: "keyfile" });
    expect(failureOf(run)).toMatch(/luks_data_disk_unlock=keyfile but luks_data_disk_keyfile_src is empty/);
  });

  it("rejects an unsupported filesystem through the argument spec", async () => {
    const run = await applyRole("luks_data_disk", { luks_data_disk_filesystem: "btrfs" });
    expect(failureOf(run)).toMatch(/luks_data_disk_filesystem must be one of: ext4, xfs/);
  });
});
