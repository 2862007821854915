import { App } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseEnvironment } from "../../envspec";
import { formatIpv4, parseCidr, poolHosts } from "../../envspec/ipv4";
import { addEnvironmentStacks } from "../../stacks/environment-app";

const PROD = fs.readFileSync(path.resolve(__dirname, "..", "..", "environments", "prod.yaml"), "utf8");

/** The addresses the environment stack synthesises for each VM, by VM name. */
function synthesisedAddresses(specText: string): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pool-hosts-"));
  fs.mkdirSync(path.join(dir, "environments"));
  fs.writeFileSync(path.join(dir, "environments", "prod.yaml"), specText);
  const app = new App({ outdir: path.join(dir, "cdktf.out") });
  addEnvironmentStacks(app, { dir: path.join(dir, "environments") });
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json"), "utf8"));
  fs.rmSync(dir, { recursive: true, force: true });
  const out = new Map<string, string>();
  for (const vm of Object.values<Record<string, any>>(json.resource.proxmox_virtual_environment_vm)) {
    const address = vm.initialization?.ip_config?.[0]?.ipv4?.address as string | undefined;
    if (address !== undefined && address !== "dhcp") out.set(vm.name, address.split("/")[0]);
  }
  return out;
}

/** The addresses poolHosts says each VM of each tier gets. */
function predictedAddresses(specText: string): Map<string, string> {
  const spec = parseEnvironment(specText, "environments/prod.yaml");
  const out = new Map<string, string>();
  for (const [tierName, tier] of Object.entries(spec.tiers)) {
    if (tier.ipv4 === undefined || tier.ipv4 === "dhcp") continue;
    const hosts = poolHosts(parseCidr(tier.ipv4)!);
    for (let n = 1; n <= (tier.count ?? 1); n++) out.set(`${spec.name}-${tierName}-${n}`, formatIpv4(hosts.first + n - 1));
  }
  return out;
}

describe("static pool addresses", () => {
  it("are the ones the environment stack synthesises, for prod as shipped", () => {
    // GIVEN prod.yaml with its four static pools
    // WHEN it is synthesised
    const synthesised = synthesisedAddresses(PROD);
    // THEN every VM has the address the spec check assumes
    expect(synthesised.size).toBe(9);
    expect(synthesised).toEqual(predictedAddresses(PROD));
  });

  it("are the ones the environment stack synthesises when a tier fills its pool exactly", () => {
    // GIVEN a /29 pool (6 usable addresses: .17 to .22) holding 6 web VMs
    const full = PROD.replace("count: 3\n    cores: 2", "count: 6\n    cores: 2").replace("ipv4: 10.30.0.16/28", "ipv4: 10.30.0.16/29");
    expect(full).not.toBe(PROD);
    // WHEN it is synthesised
    const synthesised = synthesisedAddresses(full);
    // THEN the last web VM takes the pool's second-to-last address, as predicted
    expect(synthesised.get("prod-web-6")).toBe("10.30.0.22");
    expect(synthesised).toEqual(predictedAddresses(full));
  });
});
