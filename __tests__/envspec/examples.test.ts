import * as fs from "fs";
import * as path from "path";
import { loadEnvironment, parseEnvironment, resolveDefaults } from "../../envspec";

const example = (name: string) => path.join(__dirname, "..", "..", "environments", `${name}.yaml`);

describe("shipped example environments", () => {
  it.each(["dev", "staging", "prod"])("environments/%s.yaml loads and validates", (name) => {
    const spec = loadEnvironment(example(name));
    expect(spec.name).toBe(name);
    expect(spec.stage).toBe(name);
    expect(spec.nodes).toEqual(["pve1", "pve2", "pve3"]);
    expect(Object.keys(spec.tiers).sort()).toEqual(["app", "bastion", "db", "web"]);
  });

  it.each(["dev", "staging", "prod"])("environments/%s.yaml opens only the intended paths", (name) => {
    // GIVEN the example's firewall intents
    const { firewall } = resolveDefaults(loadEnvironment(example(name)));

    // THEN web is public on https, ssh reaches the bastion only from the admin network and every
    // other tier only from the bastion, app is reached from web on 8080 and db only from app on postgres
    expect(firewall.expose.map((e) => `${e.tier} ${e.port} ${e.from}`).sort()).toEqual(["bastion ssh 203.0.113.0/24", "web https 0.0.0.0/0"]);
    expect(firewall.allow.map((a) => `${a.from}->${a.to} ${a.port}`).sort()).toEqual([
      "app->db postgres",
      "bastion->app ssh",
      "bastion->db ssh",
      "bastion->web ssh",
      "web->app tcp/8080",
    ]);
  });

  it("dev is smaller than prod in every tier", () => {
    const dev = resolveDefaults(loadEnvironment(example("dev")));
    const prod = resolveDefaults(loadEnvironment(example("prod")));
    for (const tier of Object.keys(prod.tiers)) {
      expect(dev.tiers[tier].count).toBeLessThanOrEqual(prod.tiers[tier].count);
      expect(dev.tiers[tier].memoryMiB).toBeLessThanOrEqual(prod.tiers[tier].memoryMiB);
    }
  });

  it("the example in docs/environment-spec.md validates", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "environment-spec.md"), "utf8");
    const yaml = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    expect(resolveDefaults(parseEnvironment(yaml!, "docs/environment-spec.md")).backups.enabled).toBe(true);
  });
});
