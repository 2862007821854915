/**
 * Hostile YAML forms: object-internal keys, YAML 1.1-only forms, line ends and encodings,
 * anchors and aliases, tags, nesting, the shape of the document.
 */
import { accepted, BaseSpec, insertAfter, NamedMutation, refused, replace } from "./mutation";

const FORBIDDEN = ["__proto__", "constructor", "prototype"] as const;
const FORBIDDEN_TEXT = (key: string) => `"${key}" is not allowed as a key: it names a JavaScript object internal`;
const YAML11 = "in YAML 1.1; the spec refuses forms that the two read differently";

const forbiddenKeys: NamedMutation[] = FORBIDDEN.flatMap((key) => {
  const id = key.replace(/_/g, "");
  const says = FORBIDDEN_TEXT(key);
  return [
    {
      id: `${id}-root-key`,
      mutate: (b: BaseSpec) => refused(`root key ${key}`, replace(b.text, "\ntiers:\n", `\n${key}: 1\ntiers:\n`, key), `${key}: ${says}`),
    },
    {
      id: `${id}-tier`,
      mutate: (b: BaseSpec) =>
        refused(`a tier named ${key}`, insertAfter(b.text, "\ntiers:\n", `  ${key}:\n    template: debian12\n`, key), `tiers.${key}: ${says}`),
    },
    {
      id: `${id}-tier-quoted`,
      mutate: (b: BaseSpec) =>
        refused(
          `a tier named "${key}" (quoted)`,
          insertAfter(b.text, "\ntiers:\n", `  "${key}":\n    template: debian12\n`, `"${key}"`),
          `tiers.${key}: ${says}`,
        ),
    },
    {
      id: `${id}-tier-field`,
      mutate: (b: BaseSpec) => refused(`a tier field ${key}`, insertAfter(b.text, "\n  web:\n", `    ${key}: 4\n`, key), `tiers.web.${key}: ${says}`),
    },
    {
      id: `${id}-template-field`,
      mutate: (b: BaseSpec) =>
        refused(`a template field ${key}`, insertAfter(b.text, "\n  debian12:\n", `    ${key}: x\n`, key), `templates.debian12.${key}: ${says}`),
    },
    {
      id: `${id}-flow-intent`,
      mutate: (b: BaseSpec) =>
        refused(
          `${key} in a flow intent`,
          replace(b.text, "- { from: web, to: app,", `- { from: web, ${key}: x, to: app,`, key),
          `firewall.allow[0].${key}: ${says}`,
        ),
    },
    {
      id: `${id}-cloud-init`,
      mutate: (b: BaseSpec) => refused(`${key} under cloudInit`, insertAfter(b.text, "\ncloudInit:\n", `  ${key}: {}\n`, key), `cloudInit.${key}: ${says}`),
    },
    {
      id: `${id}-under-unknown-key`,
      mutate: (b: BaseSpec) =>
        refused(`${key} under an unknown key`, replace(b.text, "\ntiers:\n", `\nextras: { ${key}: 1 }\ntiers:\n`, key), `extras.${key}: ${says}`),
    },
  ];
});

const BOOL_WORDS: readonly [string, boolean][] = [
  ["yes", true],
  ["no", false],
  ["on", true],
  ["off", false],
  ["y", true],
  ["n", false],
  ["Yes", true],
  ["NO", false],
  ["On", true],
  ["OFF", false],
];

const yaml11: NamedMutation[] = [
  {
    id: "yaml-directive-1-1",
    mutate: (b) => refused("%YAML 1.1 directive", { text: `%YAML 1.1\n---\n${b.text}`, offset: 0 }, "%YAML 1.1: the spec is YAML 1.2 core"),
  },
  {
    id: "yaml-directive-1-3",
    mutate: (b) => refused("%YAML 1.3 directive", { text: `%YAML 1.3\n---\n${b.text}`, offset: 0 }, "%YAML 1.3: the spec is YAML 1.2 core"),
  },
  {
    id: "yaml-directive-1-2",
    mutate: (b) => accepted("%YAML 1.2 directive is the spec's own version", `%YAML 1.2\n---\n${b.text}`, { path: "name", value: b.name }),
  },
  {
    id: "merge-key-flow",
    mutate: (b) =>
      refused("<< merge of a flow mapping", insertAfter(b.text, "\n  web:\n", "    <<: {cores: 4}\n", "<<"), 'tiers.web["<<"]: merge keys (<<) are YAML 1.1'),
  },
  {
    id: "merge-key-alias",
    mutate: (b) => {
      const anchored = replace(b.text, "\n  bastion:\n", "\n  bastion: &base\n").text;
      return refused(
        "<< merge of an anchored tier",
        insertAfter(anchored, "\n  web:\n", "    <<: *base\n", "<<"),
        'tiers.web["<<"]: merge keys (<<) are YAML 1.1',
      );
    },
  },
  {
    id: "merge-key-root",
    mutate: (b) =>
      refused("<< merge at the root", replace(b.text, "\ntiers:\n", "\n<<: {protection: true}\ntiers:\n", "<<"), '["<<"]: merge keys (<<) are YAML 1.1'),
  },
  ...BOOL_WORDS.map(([word, bool]): NamedMutation => ({
    id: `bool-word-tag-${word.toLowerCase()}${word === word.toLowerCase() ? "" : "-cased"}`,
    mutate: (b) =>
      refused(
        `${word} as a tag`,
        replace(b.text, "tags: [web]", `tags: [web, ${word}]`, word),
        `tiers.web.tags[1]: ${word} is text in YAML 1.2 but ${bool} ${YAML11}: write true or false`,
      ),
  })),
  ...["yes", "off"].map((word): NamedMutation => ({
    id: `bool-word-protection-${word}`,
    mutate: (b) =>
      refused(`protection: ${word}`, insertAfter(b.text, `\nstage: ${b.name}\n`, `protection: ${word}\n`, word), `protection: ${word} is text in YAML 1.2`),
  })),
  {
    id: "bool-word-uefi-on",
    mutate: (b) =>
      refused(
        "uefi: on",
        b.text.includes("uefi: true")
          ? replace(b.text, "uefi: true", "uefi: on", "on")
          : insertAfter(b.text, "    checksumAlgorithm: sha512\n", "    uefi: on\n", "on"),
        `templates.debian12.uefi: on is text in YAML 1.2 but true ${YAML11}`,
      ),
  },
  ...["on", "no", "yes", "off"].map((word): NamedMutation => ({
    id: `bool-word-tier-name-${word}`,
    mutate: (b) =>
      refused(
        `a tier named ${word}`,
        insertAfter(b.text, "\ntiers:\n", `  ${word}:\n    template: debian12\n`, word),
        `tiers.${word}: ${word} is text in YAML 1.2`,
      ),
  })),
  {
    id: "bool-word-quoted",
    mutate: (b) => accepted('"yes" quoted is text', replace(b.text, "tags: [web]", 'tags: [web, "yes"]').text, { path: "tiers.web.tags[1]", value: "yes" }),
  },
  {
    id: "bool-word-str-tag",
    mutate: (b) => accepted("!!str on is text", replace(b.text, "tags: [web]", "tags: [web, !!str on]").text, { path: "tiers.web.tags[1]", value: "on" }),
  },
  {
    id: "octal-cores",
    mutate: (b) =>
      refused(
        "cores: 017",
        replace(b.text, "cores: 1\n", "cores: 017\n", "017"),
        `tiers.bastion.cores: 017 is the number 17 in YAML 1.2 but the number 15 ${YAML11}`,
      ),
  },
  {
    id: "octal-memory",
    mutate: (b) =>
      refused(
        "memoryMiB: 01024",
        replace(b.text, "memoryMiB: 1024", "memoryMiB: 01024", "01024"),
        `01024 is the number 1024 in YAML 1.2 but the number 532 ${YAML11}`,
      ),
  },
  {
    id: "octal-0o-cores",
    mutate: (b) =>
      refused("cores: 0o7", replace(b.text, "cores: 1\n", "cores: 0o7\n", "0o7"), `tiers.bastion.cores: 0o7 is the number 7 in YAML 1.2 but text ${YAML11}`),
  },
  {
    id: "underscore-cores",
    mutate: (b) =>
      refused("cores: 1_0", replace(b.text, "cores: 1\n", "cores: 1_0\n", "1_0"), `tiers.bastion.cores: 1_0 is text in YAML 1.2 but the number 10 ${YAML11}`),
  },
  {
    id: "underscore-memory",
    mutate: (b) =>
      refused("memoryMiB: 1_024", replace(b.text, "memoryMiB: 1024", "memoryMiB: 1_024", "1_024"), `1_024 is text in YAML 1.2 but the number 1024 ${YAML11}`),
  },
  {
    id: "binary-cores",
    mutate: (b) =>
      refused(
        "cores: 0b11",
        replace(b.text, "cores: 1\n", "cores: 0b11\n", "0b11"),
        `tiers.bastion.cores: 0b11 is text in YAML 1.2 but the number 3 ${YAML11}`,
      ),
  },
  {
    id: "sexagesimal-cores",
    mutate: (b) =>
      refused(
        "cores: 1:30",
        replace(b.text, "cores: 1\n", "cores: 1:30\n", "1:30"),
        `tiers.bastion.cores: 1:30 is text in YAML 1.2 but the number 90 ${YAML11}`,
      ),
  },
  {
    id: "sexagesimal-schedule",
    mutate: (b) => {
      if (b.name === "dev") return undefined;
      const edit = b.text.includes('schedule: "02:00"')
        ? replace(b.text, 'schedule: "02:00"', "schedule: 22:00", "22:00")
        : insertAfter(b.text, "\nbackups:\n", "  schedule: 22:00\n", "22:00");
      return refused("schedule: 22:00 unquoted", edit, `backups.schedule: 22:00 is text in YAML 1.2 but the number 1320 ${YAML11}`);
    },
  },
  {
    id: "timestamp-comment",
    mutate: (b) =>
      refused(
        "a date as a comment",
        replace(
          b.text,
          "- { tier: bastion, port: ssh, from: 203.0.113.0/24 }",
          "- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: 2001-12-14 }",
          "2001-12-14",
        ),
        `firewall.expose[1].comment: 2001-12-14 is text in YAML 1.2 but a timestamp`,
      ),
  },
  {
    id: "hex-cores",
    mutate: (b) =>
      accepted("cores: 0x2 is 2 in YAML 1.1 and 1.2", replace(b.text, "cores: 1\n", "cores: 0x2\n").text, { path: "tiers.bastion.cores", value: 2 }),
  },
  {
    id: "exponent-memory",
    mutate: (b) =>
      accepted("memoryMiB: 1.024e+3 is 1024 in YAML 1.1 and 1.2", replace(b.text, "memoryMiB: 1024", "memoryMiB: 1.024e+3").text, {
        path: `tiers.${b.name === "dev" ? "web" : "bastion"}.memoryMiB`,
        value: 1024,
      }),
  },
];

const lineEnds: NamedMutation[] = [
  {
    id: "cr-only",
    mutate: (b) => ({
      about: "CR-only line ends (classic Mac)",
      body: b.text,
      crOnly: true,
      problems: [{ offset: b.text.indexOf("\n"), text: "a carriage return (CR) alone ends this line" }],
    }),
  },
  {
    id: "cr-once",
    mutate: (b) => refused("one lone CR among LF line ends", replace(b.text, "\n  web:\n", "\r  web:\n"), "a carriage return (CR) alone ends this line"),
  },
  {
    id: "crlf",
    mutate: (b) => accepted("CRLF line ends", b.text.replace(/\n/g, "\r\n"), { path: "name", value: b.name }, { path: "tiers.web.tags[0]", value: "web" }),
  },
  { id: "bom", mutate: (b) => ({ ...accepted("a byte order mark before the first line", b.text, { path: "name", value: b.name }), bom: true }) },
  {
    id: "bom-in-name",
    mutate: (b) =>
      refused("a byte order mark inside the name", replace(b.text, `name: ${b.name}\n`, `name: "\uFEFF${b.name}"\n`, '"'), `name: must be a DNS label`),
  },
  {
    id: "zero-width-node",
    mutate: (b) =>
      refused(
        "a zero-width space in a node name",
        replace(b.text, "[pve1, pve2, pve3]", "[pve1, pve\u200b2, pve3]", "pve\u200b2"),
        'nodes[1]: must be a node name (letters, digits and "-", at most 63 characters), got "pve\\u200b2"',
      ),
  },
  {
    id: "cyrillic-tier",
    mutate: (b) =>
      refused("a Cyrillic letter in a tier name", insertAfter(b.text, "\ntiers:\n", "  w\u0435b:\n    template: debian12\n", "w"), 'got "w\\u0435b"'),
  },
  {
    id: "nbsp-tag",
    mutate: (b) =>
      refused(
        "a non-breaking space in a tag",
        replace(b.text, "tags: [web]", "tags: [web\u00a0x]", "web"),
        'tiers.web.tags[0]: must be a tag (lowercase letters, digits, "_", "+", "." and "-", at most 64 characters), got "web\\u00a0x"',
      ),
  },
  {
    id: "emoji-tag",
    mutate: (b) =>
      refused(
        "an emoji tag",
        replace(b.text, "tags: [web]", "tags: [web, \u{1F525}]", "\u{1F525}"),
        'tiers.web.tags[1]: must be a tag (lowercase letters, digits, "_", "+", "." and "-", at most 64 characters), got "\\ud83d\\udd25"',
      ),
  },
  {
    id: "nul-in-name",
    mutate: (b) =>
      refused(
        "a NUL escape in the name",
        replace(b.text, `name: ${b.name}\n`, `name: "${b.name}\\0"\n`, '"'),
        `name: must be a DNS label (lowercase letters, digits and "-", starting with a letter, not ending with "-", at most 63 characters), got "${b.name}\\u0000"`,
      ),
  },
  {
    id: "fullwidth-port",
    mutate: (b) =>
      refused(
        "a full-width letter in a port",
        replace(b.text, "port: tcp/8080", "port: \uff54cp/8080", "\uff54"),
        "firewall.allow[0].port: must be a port preset",
      ),
  },
  {
    id: "bidi-comment",
    mutate: (b) =>
      accepted(
        "a right-to-left override in a comment is kept as written",
        replace(
          b.text,
          "- { tier: bastion, port: ssh, from: 203.0.113.0/24 }",
          '- { tier: bastion, port: ssh, from: 203.0.113.0/24, comment: "admin \u202enimda" }',
        ).text,
        { path: "firewall.expose[1].comment", value: "admin \u202enimda" },
      ),
  },
  {
    id: "tab-indentation",
    mutate: (b) =>
      refused(
        "a tab as indentation",
        replace(b.text, "\ncloudInit:\n  user: ops\n", "\ncloudInit:\n\tuser: ops\n", "\t"),
        "YAML syntax error: Tabs are not allowed as indentation",
      ),
  },
  {
    id: "tab-after-colon",
    mutate: (b) =>
      accepted("a tab after a colon separates like a space", replace(b.text, "cores: 1\n", "cores:\t1\n").text, { path: "tiers.bastion.cores", value: 1 }),
  },
  {
    id: "tab-in-tag",
    mutate: (b) =>
      refused(
        "a tab inside a tag",
        replace(b.text, "tags: [web]", 'tags: ["we\\tb"]', '"'),
        'tiers.web.tags[0]: must be a tag (lowercase letters, digits, "_", "+", "." and "-", at most 64 characters), got "we\\tb"',
      ),
  },
];

/** The root and body of the document: empty, not a mapping, nested too deep. */
const shape: NamedMutation[] = [
  {
    id: "document-comments-only",
    mutate: (b) => ({
      about: "only the comments are left",
      body:
        b.text
          .split("\n")
          .filter((l) => l.startsWith("#"))
          .join("\n") + "\n",
      problems: [{ offset: 0, fileStart: true, text: "(document): expected a mapping, got null" }],
    }),
  },
  {
    id: "document-null",
    mutate: (b) =>
      refused("the document is ~", { text: `${b.text.split("\n")[0]}\n~\n`, offset: b.text.indexOf("\n") + 1 }, "(document): expected a mapping, got null"),
  },
  {
    id: "document-scalar",
    mutate: (b) =>
      refused(
        "the document is one word",
        { text: `${b.text.split("\n")[0]}\n${b.name}\n`, offset: b.text.indexOf("\n") + 1 },
        `(document): expected a mapping, got "${b.name}"`,
      ),
  },
  {
    id: "document-number",
    mutate: (b) =>
      refused(
        "the document is a number",
        { text: `${b.text.split("\n")[0]}\n42\n`, offset: b.text.indexOf("\n") + 1 },
        "(document): expected a mapping, got 42",
      ),
  },
  {
    id: "document-list",
    mutate: (b) => {
      const text = b.text.replace(/^name: /m, "- name: ");
      const at = text.indexOf("- name: ");
      return refused("the root is a list", { text: text.slice(0, at) + `- ${b.name}\n`, offset: at }, "(document): expected a mapping, got a list");
    },
  },
  {
    id: "document-twice",
    mutate: (b) => refused("a second document", { text: `${b.text}---\n${b.text}`, offset: b.text.length }, "Source contains multiple documents"),
  },
  {
    id: "deep-flow-sequence",
    mutate: (b) => {
      // root, tiers and web are levels 1-3: the 14th bracket opens level 17.
      const edit = replace(b.text, "tags: [web]", `tags: ${"[".repeat(1000)}web${"]".repeat(1000)}`, "[");
      return refused("1000 nested flow lists", { text: edit.text, offset: edit.offset + 13 }, "nesting deeper than 16 levels of mappings and lists");
    },
  },
  {
    id: "deep-flow-mapping",
    mutate: (b) => {
      const edit = replace(b.text, "tags: [web]", `tags: ${"{a: ".repeat(500)}1${"}".repeat(500)}`, "{");
      return refused("500 nested flow mappings", { text: edit.text, offset: edit.offset + 13 * 4 }, "nesting deeper than 16 levels of mappings and lists");
    },
  },
  {
    id: "deep-block-sequence",
    mutate: (b) => {
      const edit = replace(b.text, "tags: [web]", `tags:\n      ${"- ".repeat(200)}web`, "- ");
      return refused(
        "200 nested block lists on one line",
        { text: edit.text, offset: edit.offset + 13 * 2 },
        "nesting deeper than 16 levels of mappings and lists",
      );
    },
  },
  {
    id: "deep-block-mapping",
    mutate: (b) => {
      const levels = Array.from({ length: 20 }, (_, i) => `${" ".repeat(6 + 2 * i)}k${i}:`).join("\n");
      const edit = replace(b.text, "tags: [web]", `tags:\n${levels} 1`, "k13:");
      return refused("20 nested block mappings", edit, "nesting deeper than 16 levels of mappings and lists");
    },
  },
];

const aliases: NamedMutation[] = [
  {
    id: "alias-shared-tags",
    mutate: (b) =>
      accepted("an alias reuses a list", replace(replace(b.text, "tags: [web]", "tags: &t [web]").text, "tags: [app]", "tags: *t").text, {
        path: "tiers.app.tags",
        value: ["web"],
      }),
  },
  {
    id: "alias-unknown",
    mutate: (b) =>
      refused("an alias without anchor", replace(b.text, "tags: [web]", "tags: *nothing", "*"), "unknown alias *nothing: no anchor &nothing before it"),
  },
  {
    id: "alias-billion-laughs",
    mutate: (b) => {
      const rows = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
      for (let i = 1; i < 9; i++)
        rows.push(
          `laugh${i}: &l${i} [${Array(9)
            .fill(`*l${i - 1}`)
            .join(", ")}]`,
        );
      const edit = replace(b.text, "\ntiers:\n", `\n${rows.join("\n")}\ntiers:\n`, "*l0");
      return refused("billion laughs", edit, "aliases expand to too much data");
    },
  },
  {
    id: "alias-as-key",
    mutate: (b) => {
      const anchored = replace(b.text, "\n  debian12:\n", "\n  &k debian12:\n").text;
      return refused(
        "an alias as a tier name",
        insertAfter(anchored, "\ntiers:\n", "  *k : {template: debian12}\n", "*k"),
        "tiers: a key must be plain text, not a list, mapping or alias",
      );
    },
  },
  {
    id: "complex-key",
    mutate: (b) =>
      refused(
        "a list as a key",
        insertAfter(b.text, "\ntiers:\n", "  ? [a, b]\n  : {template: debian12}\n", "["),
        "tiers: a key must be plain text, not a list, mapping or alias",
      ),
  },
  {
    id: "number-key",
    mutate: (b) =>
      refused(
        "a number as a tier name",
        insertAfter(b.text, "\ntiers:\n", "  42:\n    template: debian12\n", "42"),
        "tiers.42: a key must be text; 42 is read as the number 42",
      ),
  },
  {
    id: "null-key",
    mutate: (b) =>
      refused("null as a tier name", insertAfter(b.text, "\ntiers:\n", "  ~:\n    template: debian12\n", "~"), "a key must be text; ~ is read as null"),
  },
  {
    id: "tag-unknown",
    mutate: (b) => refused("an unknown tag", replace(b.text, "cores: 1\n", "cores: !env CORES\n", "!env"), "YAML tag error: Unresolved tag: !env"),
  },
  {
    id: "tag-js-function",
    mutate: (b) =>
      refused(
        "a js/function tag",
        replace(b.text, "cores: 1\n", "cores: !!js/function 'function(){}'\n", "!!js/function"),
        "YAML tag error: Unresolved tag: tag:yaml.org,2002:js/function",
      ),
  },
  {
    id: "duplicate-root-key",
    mutate: (b) => refused("name twice", insertAfter(b.text, `\nstage: ${b.name}\n`, "name: other\n", "name"), 'name: duplicate key "name"'),
  },
  {
    id: "duplicate-tier",
    mutate: (b) =>
      refused("tier web twice", replace(b.text, "\n  app:\n", "\n  web:\n    template: debian12\n  app:\n", "web"), 'tiers.web: duplicate key "web"'),
  },
  {
    id: "duplicate-field",
    mutate: (b) =>
      refused(
        "tags twice in a tier",
        replace(b.text, "    tags: [web]", "    tags: [web]\n    tags: [x]", "tags: [x]"),
        'tiers.web.tags: duplicate key "tags"',
      ),
  },
  {
    id: "duplicate-flow-key",
    mutate: (b) =>
      refused(
        "from twice in a flow intent",
        replace(b.text, "- { from: web, to: app,", "- { from: web, from: app, to: app,", "from: app"),
        'firewall.allow[0].from: duplicate key "from"',
      ),
  },
];

/** Every YAML-level mutation. */
export const YAML_MUTATIONS: readonly NamedMutation[] = [...forbiddenKeys, ...yaml11, ...lineEnds, ...shape, ...aliases];
