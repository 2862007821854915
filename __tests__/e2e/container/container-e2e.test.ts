import { simulatorSuite } from "../harness/simulator-suite";
import type { TerraformWorkdir } from "../harness/terraform-workdir";
import { ImageServer, serveImages, sshPublicKey } from "../../sim/qemu/fixtures";

jest.setTimeout(600_000);

const TEMPLATE = "debian-13-standard_13.1-2_amd64.tar.zst";
const CT = "100";

interface CtView {
  conf: Record<string, string>;
  run: string;
  pending?: Record<string, string>;
}

/** Hand-written Terraform JSON: a template download, a pool, an unprivileged container with firewall options, an IP set and rules. */
function containerConfig(url: string, sha256: string, key: string, change: { memory: number; description: string; tags: string[] }): Record<string, unknown> {
  return {
    resource: {
      proxmox_virtual_environment_download_file: {
        debian: { content_type: "vztmpl", datastore_id: "local", node_name: "pve1", url, file_name: TEMPLATE, checksum: sha256, checksum_algorithm: "sha256" },
      },
      proxmox_virtual_environment_pool: { apps: { pool_id: "apps", comment: "containers" } },
      proxmox_virtual_environment_container: {
        web: {
          node_name: "pve1",
          vm_id: Number(CT),
          unprivileged: true,
          start_on_boot: true,
          started: true,
          pool_id: "${proxmox_virtual_environment_pool.apps.pool_id}",
          description: change.description,
          tags: change.tags,
          features: [{ nesting: false }],
          cpu: [{ cores: 1 }],
          memory: [{ dedicated: change.memory, swap: 256 }],
          disk: [{ datastore_id: "local-lvm", size: 8 }],
          network_interface: [{ name: "eth0", bridge: "vmbr0", firewall: true }],
          operating_system: [{ template_file_id: "${proxmox_virtual_environment_download_file.debian.id}", type: "debian" }],
          initialization: [
            {
              hostname: "web-1",
              ip_config: [{ ipv4: [{ address: "dhcp" }] }],
              user_account: [{ keys: [key], password: "s3cret-Passw0rd" }],
            },
          ],
        },
      },
      proxmox_virtual_environment_firewall_options: {
        web: {
          node_name: "pve1",
          container_id: "${proxmox_virtual_environment_container.web.vm_id}",
          enabled: true,
          input_policy: "DROP",
          output_policy: "ACCEPT",
        },
      },
      proxmox_virtual_environment_firewall_ipset: {
        admins: {
          node_name: "pve1",
          container_id: "${proxmox_virtual_environment_container.web.vm_id}",
          name: "admins",
          comment: "admin workstations",
          cidr: [{ name: "192.0.2.10" }],
        },
      },
      proxmox_virtual_environment_firewall_rules: {
        web: {
          node_name: "pve1",
          container_id: "${proxmox_virtual_environment_container.web.vm_id}",
          rule: [{ type: "in", action: "ACCEPT", proto: "tcp", dport: "22", source: "+admins", comment: "ssh" }],
          // PVE refuses a rule naming an IP set that does not exist yet
          depends_on: ["proxmox_virtual_environment_firewall_ipset.admins"],
        },
      },
    },
  };
}

/** Hand-written Terraform JSON: a container template and a full clone of it. */
function cloneConfig(url: string, sha256: string, key: string, cloneMemory: number): Record<string, unknown> {
  return {
    resource: {
      proxmox_virtual_environment_download_file: {
        debian: { content_type: "vztmpl", datastore_id: "local", node_name: "pve1", url, file_name: TEMPLATE, checksum: sha256, checksum_algorithm: "sha256" },
      },
      proxmox_virtual_environment_container: {
        golden: {
          node_name: "pve1",
          vm_id: 900,
          unprivileged: true,
          template: true,
          started: false,
          disk: [{ datastore_id: "local-lvm", size: 4 }],
          network_interface: [{ name: "eth0", bridge: "vmbr0", firewall: true }],
          operating_system: [{ template_file_id: "${proxmox_virtual_environment_download_file.debian.id}", type: "debian" }],
          initialization: [{ hostname: "golden", user_account: [{ keys: [key] }] }],
        },
        app: {
          node_name: "pve1",
          vm_id: 101,
          unprivileged: true,
          started: true,
          clone: [{ vm_id: "${proxmox_virtual_environment_container.golden.vm_id}" }],
          memory: [{ dedicated: cloneMemory }],
          network_interface: [{ name: "eth0", bridge: "vmbr0", firewall: true }],
          initialization: [{ hostname: "app-1", ip_config: [{ ipv4: [{ address: "10.0.20.5/24", gateway: "10.0.20.1" }] }] }],
        },
      },
    },
  };
}

describe("LXC container with the real bpg/proxmox provider", () => {
  const suite = simulatorSuite({ latency: { vzcreate: 200, vzstart: 100, vzshutdown: 100, vzdestroy: 100, download: 100 } });
  let server: ImageServer;
  let wd: TerraformWorkdir;
  const key = sshPublicKey("admin@ci");
  beforeAll(async () => {
    server = await serveImages({ [TEMPLATE]: Buffer.from("not really a tarball, but bytes with a checksum") });
  });
  afterAll(async () => server?.close());

  const state = () =>
    suite.sim.state.toJSON() as {
      lxc?: { cts: Record<string, CtView> };
      pools?: { pools: Record<string, { vms: number[] }> };
      firewall?: { guests: Record<string, { options: Record<string, unknown>; rules: Array<Record<string, unknown>>; ipsets: Record<string, unknown> }> };
      storage?: { volumes: Record<string, Record<string, Record<string, unknown>>> };
    };
  const config = (change: { memory: number; description: string; tags: string[] }) =>
    containerConfig(server.url(TEMPLATE), server.sha256(TEMPLATE), key, change);

  it("applies a container from a downloaded template, re-plans empty, updates in place and destroys to an empty simulator", async () => {
    // GIVEN a checksummed vztmpl download, a pool and an unprivileged, firewalled container
    wd = await suite.workdir(config({ memory: 512, description: "web tier", tags: ["web", "prod"] }));

    // WHEN it is applied
    await wd.apply();

    // THEN the container runs, is unprivileged, in the pool, with PVE's stored form of its options
    const ct = state().lxc?.cts[CT] as CtView;
    expect(ct.run).toBe("running");
    expect(ct.conf).toMatchObject({
      unprivileged: "1",
      onboot: "1",
      hostname: "web-1",
      memory: "512",
      swap: "256",
      cores: "1",
      ostype: "debian",
      arch: "amd64",
      tags: "prod;web",
      rootfs: "local-lvm:vm-100-disk-0,size=8G",
      net0: expect.stringMatching(/^name=eth0,bridge=vmbr0,firewall=1,host-managed=0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/),
    });
    expect(ct.conf.lock).toBeUndefined();
    // the root password and the SSH keys go into the container only, never into its config
    expect(JSON.stringify(ct.conf)).not.toMatch(/s3cret|ssh-ed25519/);
    expect(state().pools?.pools.apps.vms).toEqual([100]);
    expect(state().firewall?.guests[CT].options).toMatchObject({ enable: 1, policy_in: "DROP" });
    expect(state().firewall?.guests[CT].rules).toEqual([
      expect.objectContaining({ type: "in", action: "ACCEPT", dport: "22", proto: "tcp", source: "+admins" }),
    ]);
    expect(Object.keys(state().firewall?.guests[CT].ipsets ?? {})).toEqual(["admins"]);
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN memory, description and tags change
    wd.write(config({ memory: 1024, description: "web tier v2", tags: ["web"] }));
    expect((await wd.plan()).output).toMatch(/0 to add, 1 to change, 0 to destroy/);
    await wd.apply();

    // THEN the same running container carries them (hot-plugged, nothing pending)
    const updated = state().lxc?.cts[CT] as CtView;
    expect(updated.run).toBe("running");
    expect(updated.conf).toMatchObject({ memory: "1024", description: "web tier v2\n", tags: "web" });
    expect(updated.pending).toBeUndefined();
    expect((await wd.plan()).exitCode).toBe(0);

    // WHEN everything is destroyed THEN no container, pool, firewall config or volume is left but the storage root
    await wd.destroy();
    expect(state().lxc?.cts).toEqual({});
    expect(state().pools?.pools).toEqual({});
    expect(state().firewall?.guests[CT]).toBeUndefined();
    expect(Object.keys(state().storage?.volumes.pve1?.["local-lvm"] ?? {})).toEqual([]);
    expect(Object.keys(state().storage?.volumes.pve1?.local ?? {})).toEqual([]);
  });

  it("refuses the provider's update after a container clone as PVE does: its repeated `delete` keys arrive as an ARRAY", async () => {
    // GIVEN a container template and a clone of it (bpg/proxmox 0.111.1 sends the clone's follow-up
    // PUT …/config with `delete=cpulimit&delete=net1&…`: its container types lack go-querystring's
    // `comma` option; pve-http-server's decode_urlencoded turns repeated keys into an ARRAY and
    // JSONSchema's check_type refuses it for the string parameter `delete`)
    wd = await suite.workdir(cloneConfig(server.url(TEMPLATE), server.sha256(TEMPLATE), key, 512));

    // WHEN it is applied THEN the template is created, the clone task succeeds, the update is refused
    const result = await wd.run("apply", "-no-color", "-input=false", "-auto-approve");
    expect(result.code).toBe(1);
    expect(result.output).toContain("delete: type check ('string') failed - got ARRAY");
    const cts = state().lxc?.cts as Record<string, CtView>;
    expect(cts["900"]).toMatchObject({ run: "stopped", conf: { template: "1", hostname: "golden" } });
    expect(cts["101"].conf).toMatchObject({ rootfs: "local-lvm:vm-101-disk-0,size=4G" });
    expect(cts["101"].conf.lock).toBeUndefined();

    // WHEN destroyed THEN the tainted clone and the template are gone
    await wd.destroy();
    expect(state().lxc?.cts).toEqual({});
    expect(Object.keys(state().storage?.volumes.pve1?.["local-lvm"] ?? {})).toEqual([]);
  });
});
