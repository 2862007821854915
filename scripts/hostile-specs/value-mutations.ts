/**
 * Hostile values: wrong types, huge numbers, NaN and infinities, overlong strings, unknown keys,
 * CIDR and port edge cases, addresses a pool must not hand out, checksums, and Terraform template
 * sequences (`${…}`, `%{…}`), which are literal text in free-text fields and refused in names.
 */
import { accepted, BaseSpec, insertAfter, NamedMutation, refused, replace } from "./mutation";

const DNS_LABEL = "must be a DNS label";
const BASTION_EXPOSE = "- { tier: bastion, port: ssh, from: 203.0.113.0/24 }";

/** The bastion's `cores: 1` (the first `cores: 1` of every shipped spec) replaced by `value`. */
const bastionCores = (id: string, value: string, text: string): NamedMutation => ({
  id,
  mutate: (b) =>
    refused(`bastion cores: ${value}`, replace(b.text, "cores: 1\n", `cores: ${value}\n`, value === "" ? undefined : value), `tiers.bastion.cores: ${text}`),
});

const types: NamedMutation[] = [
  bastionCores("cores-quoted", '"1"', 'expected an integer between 1 and 128, got "1"'),
  bastionCores("cores-boolean", "true", "expected an integer between 1 and 128, got true"),
  bastionCores("cores-list", "[1]", "expected an integer between 1 and 128, got a list"),
  bastionCores("cores-mapping", "{x: 1}", "expected an integer between 1 and 128, got a mapping"),
  bastionCores("cores-fraction", "1.5", "must be a whole number between 1 and 128, got 1.5"),
  bastionCores("cores-negative", "-1", "must be between 1 and 128, got -1"),
  bastionCores("cores-zero", "0", "must be between 1 and 128, got 0"),
  bastionCores("cores-129", "129", "must be between 1 and 128, got 129"),
  bastionCores("cores-huge", "99999999999999999999", "must be between 1 and 128, got 100000000000000000000"),
  bastionCores("cores-beyond-float", "1e400", "must be a whole number between 1 and 128, got Infinity"),
  bastionCores("cores-nan", ".nan", "must be a whole number between 1 and 128, got NaN"),
  bastionCores("cores-nan-cased", ".NaN", "must be a whole number between 1 and 128, got NaN"),
  bastionCores("cores-infinity", ".inf", "must be a whole number between 1 and 128, got Infinity"),
  bastionCores("cores-minus-infinity", "-.inf", "must be a whole number between 1 and 128, got -Infinity"),
  bastionCores("cores-tilde", "~", "expected an integer between 1 and 128, got null"),
  bastionCores("cores-max-safe-plus", "9007199254740993", "must be between 1 and 128, got 9007199254740992"),
  {
    id: "cores-empty",
    mutate: (b) =>
      refused(
        "bastion cores with no value",
        replace(b.text, "    cores: 1\n", "    cores:\n", "cores"),
        "tiers.bastion.cores: expected an integer between 1 and 128, got null",
      ),
  },
  {
    id: "nodes-string",
    mutate: (b) => refused("nodes as one word", replace(b.text, "nodes: [pve1, pve2, pve3]", "nodes: pve1", "pve1"), 'nodes: expected a list, got "pve1"'),
  },
  {
    id: "nodes-number",
    mutate: (b) => refused("a node as a number", replace(b.text, "nodes: [pve1, pve2, pve3]", "nodes: [1, pve2, pve3]", "1"), "nodes[0]: expected a node name"),
  },
  {
    id: "tags-string",
    mutate: (b) => refused("tags as one word", replace(b.text, "tags: [web]", "tags: web", "web"), 'tiers.web.tags: expected a list, got "web"'),
  },
  {
    id: "template-number",
    mutate: (b) =>
      refused(
        "a template reference as a number",
        replace(b.text, "    template: debian12\n    tags: [web]", "    template: 12\n    tags: [web]", "12"),
        `tiers.web.template: expected a DNS label`,
      ),
  },
  {
    id: "stage-typo",
    mutate: (b) =>
      refused(
        "stage: production",
        replace(b.text, `\nstage: ${b.name}\n`, "\nstage: production\n", "production"),
        'stage: must be one of dev, staging, prod, got "production"',
      ),
  },
  { id: "name-number", mutate: (b) => refused("name as a number", replace(b.text, `\nname: ${b.name}\n`, "\nname: 42\n", "42"), "name: expected a DNS label") },
  {
    id: "protection-quoted",
    mutate: (b) =>
      refused('protection: "true"', insertAfter(b.text, `\nstage: ${b.name}\n`, 'protection: "true"\n', '"'), 'protection: expected true or false, got "true"'),
  },
  {
    id: "unknown-root-key",
    mutate: (b) =>
      refused(
        "placment typo",
        insertAfter(b.text, `\nstage: ${b.name}\n`, "placment: spread\n", "placment"),
        'placment: unknown key (allowed: name, stage, nodes, network, templates, containerTemplates, windowsInstallers, tiers, firewall, protection, backups, ha, placement, stateBackend, cloudInit, vmIdRange, adopted, dataProtection); did you mean "placement"?',
      ),
  },
  {
    id: "unknown-tier-key",
    mutate: (b) =>
      refused(
        "memory instead of memoryMiB",
        insertAfter(b.text, "\n  web:\n", "    memory: 1024\n", "memory"),
        "tiers.web.memory: unknown key (allowed: count, cores, memoryMiB",
      ),
  },
  {
    id: "unknown-template-key",
    mutate: (b) =>
      refused("sha256 in a template", insertAfter(b.text, "\n  debian12:\n", "    sha256: abc\n", "sha256"), "templates.debian12.sha256: unknown key"),
  },
  {
    id: "unknown-firewall-key",
    mutate: (b) =>
      refused(
        "firewall.deny",
        replace(b.text, "firewall:\n  allow:\n", "firewall:\n  deny: []\n  allow:\n", "deny"),
        "firewall.deny: unknown key (allowed: allow, expose)",
      ),
  },
  {
    id: "unknown-intent-key",
    mutate: (b) =>
      refused(
        "proto in an intent",
        replace(b.text, "- { from: web, to: app,", "- { from: web, to: app, proto: tcp,", "proto"),
        "firewall.allow[0].proto: unknown key",
      ),
  },
  {
    id: "unknown-cloud-init-key",
    mutate: (b) =>
      refused(
        "a password under cloudInit",
        insertAfter(b.text, "\ncloudInit:\n", "  password: hunter2\n", "password"),
        "cloudInit.password: unknown key (allowed: user, sshKeys, maxKeyAgeDays)",
      ),
  },
];

const overlong: NamedMutation[] = [
  {
    id: "name-64-chars",
    mutate: (b) => refused("a 64-character name", replace(b.text, `\nname: ${b.name}\n`, `\nname: ${"a".repeat(64)}\n`, "a".repeat(64)), `name: ${DNS_LABEL}`),
  },
  {
    id: "tier-name-64-chars",
    mutate: (b) => refused("a 64-character tier name", insertAfter(b.text, "\ntiers:\n", `  ${"t".repeat(64)}:\n    template: debian12\n`, "ttt"), DNS_LABEL),
  },
  {
    id: "tag-65-chars",
    mutate: (b) => refused("a 65-character tag", replace(b.text, "tags: [web]", `tags: [web, ${"t".repeat(65)}]`, "ttt"), "tiers.web.tags[1]: must be a tag"),
  },
  {
    id: "comment-129-chars",
    mutate: (b) =>
      refused(
        "a 129-character comment",
        replace(b.text, BASTION_EXPOSE, `- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: ${"c".repeat(129)} }`, "ccc"),
        "firewall.expose[1].comment: must be a single line of at most 128 characters",
      ),
  },
  {
    id: "comment-128-chars",
    mutate: (b) =>
      accepted(
        "a 128-character comment",
        replace(b.text, BASTION_EXPOSE, `- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: ${"c".repeat(128)} }`).text,
        { path: "firewall.expose[1].comment", value: "c".repeat(128) },
      ),
  },
  {
    id: "url-2049-chars",
    mutate: (b) =>
      refused(
        "a 2049-character url",
        replace(b.text, "https://cloud.debian.org/images/", `https://cloud.debian.org/${"a".repeat(2030)}/`, "https"),
        "templates.debian12.url: must be at most 2048 characters long",
      ),
  },
];

const urls: NamedMutation[] = [
  {
    id: "url-javascript",
    mutate: (b) =>
      refused(
        "a javascript: url",
        replace(b.text, "https://cloud.debian.org/images/", "javascript:alert(1)//", "javascript"),
        "templates.debian12.url: must be an http:// or https:// URL",
      ),
  },
  {
    id: "url-file",
    mutate: (b) =>
      refused(
        "a file: url",
        replace(b.text, "https://cloud.debian.org/images/", "file:///etc/passwd#", "file"),
        "templates.debian12.url: must be an http:// or https:// URL",
      ),
  },
  {
    id: "url-credentials",
    mutate: (b) =>
      refused(
        "credentials in the url",
        replace(b.text, "https://cloud.debian.org/images/", "https://user:secret@cloud.debian.org/images/", "https"),
        "templates.debian12.url: must not contain credentials",
      ),
  },
  {
    id: "checksum-upper-case",
    mutate: (b) =>
      refused(
        "an upper-case checksum",
        replace(b.text, "checksum: ab297f", "checksum: AB297F", "AB297F"),
        "templates.debian12.checksum: must be written in lower case",
      ),
  },
  {
    id: "checksum-one-upper-letter",
    mutate: (b) =>
      refused(
        "one upper-case letter in the checksum",
        replace(b.text, "checksum: ab297f", "checksum: ab297F", "ab297F"),
        "templates.debian12.checksum: must be written in lower case",
      ),
  },
  {
    id: "checksum-algorithm-upper",
    mutate: (b) =>
      refused(
        "SHA512 in capitals",
        replace(b.text, "checksumAlgorithm: sha512", "checksumAlgorithm: SHA512", "SHA512"),
        'templates.debian12.checksumAlgorithm: must be one of sha256, sha512, got "SHA512"',
      ),
  },
];

/**
 * Mutations of one field: `find` in the base becomes `write(value)`; a refused value is reported
 * at the value, an accepted one loads as the value at `path`.
 */
function fieldMutations(label: string, find: string, write: (value: string) => string, path: string) {
  return {
    refuse: (id: string, value: string, text: string): NamedMutation => ({
      id,
      mutate: (b) => refused(`${label} ${value}`, replace(b.text, find, write(value), value), text),
    }),
    accept: (id: string, value: string): NamedMutation => ({
      id,
      mutate: (b) => accepted(`${label} ${value}`, replace(b.text, find, write(value)).text, { path, value }),
    }),
  };
}

const CIDR_TEXT = "firewall.expose[1].from: must be an IPv4 network in CIDR form like 10.0.0.0/24";
const from = fieldMutations("expose from", BASTION_EXPOSE, (v) => `- { tier: bastion, port: ssh, from: ${v} }`, "firewall.expose[1].from");
const exposeFrom = (id: string, value: string, text = CIDR_TEXT) => from.refuse(id, value, text);
const exposeFromOk = from.accept;

const cidrs: NamedMutation[] = [
  exposeFrom("cidr-prefix-33", "203.0.113.0/33"),
  exposeFrom("cidr-prefix-negative", "203.0.113.0/-1"),
  exposeFrom("cidr-prefix-leading-zero", "203.0.113.0/024"),
  exposeFrom("cidr-octet-256", "256.0.113.0/24"),
  exposeFrom("cidr-octet-leading-zero", "0203.0.113.0/24"),
  exposeFrom("cidr-no-prefix", "203.0.113.0"),
  exposeFrom("cidr-three-octets", "203.0.113/24"),
  exposeFrom("cidr-ipv6", '"::/0"'),
  exposeFrom("cidr-trailing-space", '"203.0.113.0/24 "'),
  exposeFrom(
    "cidr-host-bits",
    "203.0.113.5/24",
    "firewall.expose[1].from: host bits must be zero: 203.0.113.5/24 is not a network address; did you mean 203.0.113.0/24?",
  ),
  exposeFrom("cidr-number", "3405803776", "firewall.expose[1].from: must be an IPv4 network in CIDR form like 10.0.0.0/24, got 3405803776"),
  exposeFromOk("cidr-single-host", "203.0.113.7/32"),
  exposeFromOk("cidr-everything", "0.0.0.0/0"),
  exposeFromOk("cidr-half-internet", "128.0.0.0/1"),
];

const PORT_TEXT = "firewall.allow[0].port: must be a port preset";
const port = fieldMutations("port", "port: tcp/8080", (v) => `port: ${v}`, "firewall.allow[0].port");
const allowPort = port.refuse;
const allowPortOk = port.accept;

const ports: NamedMutation[] = [
  allowPort("port-zero", "tcp/0", 'firewall.allow[0].port: ports must be between 1 and 65535, got "tcp/0"'),
  allowPort("port-65536", "tcp/65536", 'firewall.allow[0].port: ports must be between 1 and 65535, got "tcp/65536"'),
  allowPort("port-99999", "tcp/99999", 'firewall.allow[0].port: ports must be between 1 and 65535, got "tcp/99999"'),
  allowPort("port-six-digits", "tcp/123456", PORT_TEXT),
  allowPort(
    "port-range-reversed",
    "tcp/8080-80",
    'firewall.allow[0].port: a port range must go from low to high, got "tcp/8080-80"; did you mean "tcp/80-8080"?',
  ),
  allowPort("port-range-to-65536", "tcp/1-65536", 'firewall.allow[0].port: ports must be between 1 and 65535, got "tcp/1-65536"'),
  allowPort("port-udp-zero", "udp/0", 'firewall.allow[0].port: ports must be between 1 and 65535, got "udp/0"'),
  allowPort("port-upper-case", "TCP/8080", PORT_TEXT),
  allowPort("port-colon", "tcp:8080", PORT_TEXT),
  allowPort("port-sctp", "sctp/22", PORT_TEXT),
  allowPort("port-negative", "tcp/-1", PORT_TEXT),
  allowPort("port-icmp-type", "icmp/8", PORT_TEXT),
  allowPort("port-number", "8080", "firewall.allow[0].port: expected a port preset such as https or a port like tcp/8080, got 8080"),
  allowPort("port-list", "[tcp/22]", "firewall.allow[0].port: expected a port preset such as https or a port like tcp/8080, got a list"),
  allowPort("port-preset-typo", "postgress", 'did you mean "postgres"?'),
  allowPortOk("port-65535", "tcp/65535"),
  allowPortOk("port-full-range", "tcp/1-65535"),
  allowPortOk("port-icmp", "icmp"),
];

const GATEWAY_IN_POOL = "the gateway of";
/** The edit's text with the problem at the first `value` (the field the loader reports, not the one changed). */
const atPool = (text: string, value: string) => ({ text, offset: text.indexOf(value) });
const networks: NamedMutation[] = [
  {
    id: "pool-holds-gateway",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "the bastion pool starts at the subnet",
            replace(b.text, "ipv4: 10.30.0.8/29", "ipv4: 10.30.0.0/29", "10.30.0.0/29"),
            `tiers.bastion.ipv4: VM 1 of the tier would get 10.30.0.1, ${GATEWAY_IN_POOL} 10.30.0.0/24`,
          ),
  },
  {
    id: "pool-holds-gateway-later",
    mutate: (b) => {
      if (b.name !== "staging") return undefined;
      const moved = replace(b.text, "gateway: 10.20.0.1", "gateway: 10.20.0.2").text;
      return refused(
        "a pool whose second VM would get the gateway",
        insertAfter(moved, "    tags: [web]\n", "    ipv4: 10.20.0.0/29\n", "10.20"),
        "tiers.web.ipv4: VM 2 of the tier would get 10.20.0.2, the gateway of 10.20.0.0/24",
      );
    },
  },
  {
    id: "pool-whole-subnet",
    mutate: (b) =>
      b.name !== "staging"
        ? undefined
        : refused(
            "a pool that is the whole subnet",
            insertAfter(b.text, "    tags: [db, postgres]\n", "    ipv4: 10.20.0.0/24\n", "10.20"),
            `tiers.db.ipv4: VM 1 of the tier would get 10.20.0.1, ${GATEWAY_IN_POOL} 10.20.0.0/24`,
          ),
  },
  {
    id: "pool-too-small",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "three web VMs in a /30",
            replace(b.text, "ipv4: 10.30.0.16/28", "ipv4: 10.30.0.16/30", "10.30.0.16/30"),
            "tiers.web.ipv4: pool 10.30.0.16/30 gives its VMs 2 addresses (10.30.0.17 to 10.30.0.18), a pool's first and last address being unused, but the tier has 3 VMs",
          ),
  },
  {
    id: "pool-slash-31",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "a /31 pool",
            replace(b.text, "ipv4: 10.30.0.8/29", "ipv4: 10.30.0.8/31", "10.30.0.8/31"),
            "tiers.bastion.ipv4: pool 10.30.0.8/31 gives its VMs no addresses",
          ),
  },
  {
    id: "pool-slash-32",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "a /32 pool",
            replace(b.text, "ipv4: 10.30.0.8/29", "ipv4: 10.30.0.8/32", "10.30.0.8/32"),
            "tiers.bastion.ipv4: pool 10.30.0.8/32 gives its VMs no addresses",
          ),
  },
  {
    id: "pool-one-too-many",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "15 web VMs in a /28",
            atPool(replace(b.text, "count: 3\n    cores: 2", "count: 15\n    cores: 2").text, "10.30.0.16/28"),
            "tiers.web.ipv4: pool 10.30.0.16/28 gives its VMs 14 addresses (10.30.0.17 to 10.30.0.30)",
          ),
  },
  {
    id: "pool-exactly-full",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : accepted("14 web VMs fill a /28", replace(b.text, "count: 3\n    cores: 2", "count: 14\n    cores: 2").text, { path: "tiers.web.count", value: 14 }),
  },
  {
    id: "pool-at-subnet-end",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : accepted("a pool at the end of the subnet never reaches its broadcast address", replace(b.text, "ipv4: 10.30.0.48/28", "ipv4: 10.30.0.240/28").text, {
            path: "tiers.db.ipv4",
            value: "10.30.0.240/28",
          }),
  },
  {
    id: "pool-on-bare-bridge",
    mutate: (b) =>
      b.name !== "dev"
        ? undefined
        : refused(
            "a pool on a bridge without subnet",
            insertAfter(b.text, "    tags: [web]\n", "    ipv4: 10.10.0.16/28\n", "10.10"),
            "tiers.web.ipv4: a static pool needs network.bridge.subnet and network.bridge.gateway",
          ),
  },
  {
    id: "pool-dhcp-upper",
    mutate: (b) =>
      refused(
        "DHCP in capitals",
        b.name === "prod" ? replace(b.text, "ipv4: 10.30.0.16/28", "ipv4: DHCP", "DHCP") : insertAfter(b.text, "    tags: [web]\n", "    ipv4: DHCP\n", "DHCP"),
        'tiers.web.ipv4: must be "dhcp" or an IPv4 pool in CIDR form like 10.30.0.16/28, got "DHCP"',
      ),
  },
  ...(["gateway-network", "gateway-broadcast", "gateway-outside", "gateway-leading-zero"] as const).map((id): NamedMutation => ({
    id,
    mutate: (b: BaseSpec) => {
      if (b.name === "dev") return undefined;
      const net = b.name === "prod" ? "10.30" : "10.20";
      const value = {
        "gateway-network": `${net}.0.0`,
        "gateway-broadcast": `${net}.0.255`,
        "gateway-outside": "10.99.0.1",
        "gateway-leading-zero": `${net}.0.01`,
      }[id];
      const says = {
        "gateway-network": `must not be the network address of ${net}.0.0/24`,
        "gateway-broadcast": `must not be the broadcast address of ${net}.0.0/24`,
        "gateway-outside": `must be inside the subnet ${net}.0.0/24`,
        "gateway-leading-zero": "must be an IPv4 address like 10.0.0.1",
      }[id];
      return refused(id, replace(b.text, `gateway: ${net}.0.1`, `gateway: ${value}`, value), `network.sdn.gateway: ${says}`);
    },
  })),
  {
    id: "subnet-prefix-33",
    mutate: (b) => {
      if (b.name === "dev") return undefined;
      const subnet = b.name === "prod" ? "10.30.0.0" : "10.20.0.0";
      return refused(
        "a /33 subnet",
        atPool(replace(b.text, `subnet: ${subnet}/24`, `subnet: ${subnet}/33`).text, `${subnet}/33`),
        "network.sdn.subnet: must be an IPv4 network in CIDR form",
      );
    },
  },
  {
    id: "vlan-4095",
    mutate: (b) => refused("VLAN 4095", replace(b.text, /vlan: (10|20|30)\n/.exec(b.text)![0], "vlan: 4095\n", "4095"), "must be between 1 and 4094, got 4095"),
  },
];

const TF = '${file("/etc/hostname")}';
const templates: NamedMutation[] = [
  {
    id: "tf-template-in-url",
    mutate: (b) =>
      accepted("${…} in a url is literal text", replace(b.text, "https://cloud.debian.org/images/", `https://a.example/${TF}/`).text, {
        path: "templates.debian12.url",
        value: `https://a.example/${TF}/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2`,
      }),
  },
  {
    id: "tf-directive-in-url",
    mutate: (b) =>
      accepted("%{…} in a url is literal text", replace(b.text, "https://cloud.debian.org/images/", "https://a.example/%{if(true)}x%{endif}/").text, {
        path: "templates.debian12.url",
        value: "https://a.example/%{if(true)}x%{endif}/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2",
      }),
  },
  {
    id: "tf-template-in-comment",
    mutate: (b) =>
      accepted(
        "${…} and %{…} in a comment are literal text",
        replace(b.text, BASTION_EXPOSE, '- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: "${var.x} %{ if true }y%{ endif }" }').text,
        { path: "firewall.expose[1].comment", value: "${var.x} %{ if true }y%{ endif }" },
      ),
  },
  {
    id: "tf-escaped-in-comment",
    mutate: (b) =>
      accepted(
        "$${…} in a comment is literal text",
        replace(b.text, BASTION_EXPOSE, '- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: "$${x}" }').text,
        { path: "firewall.expose[1].comment", value: "$${x}" },
      ),
  },
  {
    id: "tf-template-in-ssh-key-comment",
    mutate: (b) =>
      accepted("${…} in an ssh key comment is literal text", replace(b.text, "@example.com", "@example.com ${path.cwd}").text, {
        path: "cloudInit.sshKeys[0].key",
        value: /key: "(ssh-ed25519 [^"]*)"/.exec(b.text)![1] + " ${path.cwd}",
      }),
  },
  {
    id: "tf-template-tier-name",
    mutate: (b) =>
      refused("${…} as a tier name", insertAfter(b.text, "\ntiers:\n", "  ${x}:\n    template: debian12\n", "$"), `tiers["\${x}"]: name ${DNS_LABEL}`),
  },
  {
    id: "tf-template-env-name",
    mutate: (b) => refused("${…} as the name", replace(b.text, `\nname: ${b.name}\n`, '\nname: "${x}"\n', '"'), `name: ${DNS_LABEL}`),
  },
  { id: "tf-template-node", mutate: (b) => refused("${…} as a node", replace(b.text, "[pve1,", '["${x}",', '"'), "nodes[0]: must be a node name") },
  {
    id: "tf-template-template-ref",
    mutate: (b) =>
      refused(
        "${…} as a template reference",
        replace(b.text, "    template: debian12\n    tags: [web]", '    template: "${x}"\n    tags: [web]', '"'),
        `tiers.web.template: ${DNS_LABEL}`,
      ),
  },
  {
    id: "tf-template-template-name",
    mutate: (b) =>
      refused(
        "%{…} as a template name",
        insertAfter(
          b.text,
          "\ntemplates:\n",
          '  "%{x}": {url: "https://a.example/x.img", checksum: "' + "0".repeat(64) + '", checksumAlgorithm: sha256}\n',
          '"',
        ),
        `name ${DNS_LABEL}`,
      ),
  },
  {
    id: "tf-template-tag",
    mutate: (b) => refused("${…} as a tag", replace(b.text, "tags: [web]", 'tags: [web, "${x}"]', '"'), "tiers.web.tags[1]: must be a tag"),
  },
  {
    id: "tf-template-intent-tier",
    mutate: (b) =>
      refused("${…} as an intent tier", replace(b.text, "- { from: web, to: app,", '- { from: "${x}", to: app,', '"'), `firewall.allow[0].from: ${DNS_LABEL}`),
  },
  {
    id: "tf-template-user",
    mutate: (b) =>
      refused("${…} as the cloud-init user", replace(b.text, "  user: ops\n", '  user: "${x}"\n', '"'), "cloudInit.user: must be a Linux user name"),
  },
  { id: "tf-template-port", mutate: (b) => refused("${…} as a port", replace(b.text, "port: tcp/8080", 'port: "tcp/${x}"', '"'), PORT_TEXT) },
  {
    id: "tf-template-storage",
    mutate: (b) =>
      b.name === "dev"
        ? undefined
        : refused("${…} as the backup storage", replace(b.text, "  storage: pbs\n", '  storage: "${x}"\n', '"'), "backups.storage: must be a storage id"),
  },
  {
    id: "tf-template-schedule",
    mutate: (b) =>
      b.name !== "prod"
        ? undefined
        : refused(
            "${…} as the backup schedule",
            replace(b.text, 'schedule: "02:00"', 'schedule: "${x}"', '"'),
            "backups.schedule: must be a PVE calendar event",
          ),
  },
  {
    id: "tf-template-bridge",
    mutate: (b) =>
      b.name !== "dev"
        ? undefined
        : refused("${…} as the bridge", replace(b.text, "    name: vmbr0\n", '    name: "${x}"\n', '"'), "network.bridge.name: must be a bridge name"),
  },
  {
    id: "tf-template-zone",
    mutate: (b) =>
      b.name === "dev"
        ? undefined
        : refused("${…} as the SDN zone", replace(b.text, `    zone: ${b.name}\n`, '    zone: "${x}"\n', '"'), "network.sdn.zone: must be an SDN id"),
  },
];

/** Every value-level mutation. */
export const VALUE_MUTATIONS: readonly NamedMutation[] = [...types, ...overlong, ...urls, ...cidrs, ...ports, ...networks, ...templates];
