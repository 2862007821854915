import { parseEnvironment, resolveDefaults, SpecError } from "../../envspec";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";

/** A minimal dev spec whose web tier has the given YAML (indented under the tier). */
function specText(tierExtra: string): string {
  return `
name: shop
stage: dev
nodes: [pve1]
network: { bridge: { name: vmbr0 } }
templates:
  debian12:
    url: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2
    checksum: ${"ab".repeat(32)}
    checksumAlgorithm: sha256
tiers:
  web:
    template: debian12
${tierExtra}
cloudInit: { user: ops, sshKeys: ["${KEY}"] }
`;
}

function problems(tierExtra: string): string {
  try {
    parseEnvironment(specText(tierExtra), "environments/dev.yaml");
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error("the spec was accepted");
}

describe("tier userData in the spec", () => {
  it("is absent by default: the tier stays API-only", () => {
    // GIVEN a tier without userData WHEN resolved THEN it has none
    expect(resolveDefaults(parseEnvironment(specText(""), "environments/dev.yaml")).tiers.web.userData).toBeUndefined();
  });

  it("carries packages, runcmd and writeFiles through to the resolved tier", () => {
    // GIVEN a tier with user data
    const extra = `    userData:
      packages: [nginx]
      runcmd: [["systemctl", "enable", "--now", "nginx"], "echo \${HOME}"]
      writeFiles: [{ path: /etc/motd, content: "hi\\n" }]`;
    // WHEN parsed and resolved THEN the values are unchanged literals
    expect(resolveDefaults(parseEnvironment(specText(extra), "environments/dev.yaml")).tiers.web.userData).toEqual({
      packages: ["nginx"],
      runcmd: [["systemctl", "enable", "--now", "nginx"], "echo ${HOME}"],
      writeFiles: [{ path: "/etc/motd", content: "hi\n" }],
    });
  });

  it("refuses a password key with the reason and the place in the file", () => {
    // GIVEN userData with a password WHEN parsed THEN the error points at it and says secrets never go into a snippet
    expect(problems(`    userData: { password: hunter2 }`)).toMatch(
      /environments\/dev\.yaml:\d+:\d+.*tiers\.web\.userData\.password.*secrets never go into a cloud-init snippet/s,
    );
  });

  it("refuses a private key in a written file", () => {
    const extra = `    userData:
      writeFiles: [{ path: /root/.ssh/id_ed25519, content: "-----BEGIN OPENSSH PRIVATE KEY-----\\nx\\n" }]`;
    expect(problems(extra)).toMatch(/tiers\.web\.userData\.writeFiles\[0\]\.content.*private key/s);
  });

  it("refuses a package name with shell syntax", () => {
    expect(problems(`    userData: { packages: ["nginx; reboot"] }`)).toMatch(/tiers\.web\.userData\.packages\[0\].*package name/s);
  });
});
