import { parseEnvironment, SpecError } from "../../envspec";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl dev@example.com";
const UBUNTU = "https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img";

/** A valid spec whose one template has the given extra lines (indented under the template). */
const spec = (templateLines: string) => `name: shop
stage: dev
nodes: [pve1]
network:
  bridge:
    name: vmbr0
templates:
  ubuntu:
    url: ${UBUNTU}
    checksum: ${"ab".repeat(32)}
    checksumAlgorithm: sha256
${templateLines}tiers:
  web:
    template: ubuntu
cloudInit:
  user: ops
  sshKeys: ["${KEY}"]
`;

function problems(text: string) {
  try {
    parseEnvironment(text, "env.yaml");
  } catch (e) {
    if (e instanceof SpecError) return e.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe("template image names PVE imports", () => {
  it("refuses Ubuntu's .img URL without fileName at the url, naming the .qcow2 fileName to set", () => {
    // GIVEN a template whose URL ends in .img / WHEN loaded / THEN the url is refused with the fix
    expect(problems(spec(""))).toEqual([
      expect.stringMatching(
        /^9:10 templates\.ubuntu\.url: image file name "noble-server-cloudimg-amd64\.img" is not one PVE imports — .*set fileName to "noble-server-cloudimg-amd64\.qcow2"/,
      ),
    ]);
  });

  it("accepts the .img URL with a .qcow2 fileName", () => {
    expect(problems(spec("    fileName: noble-server-cloudimg-amd64.qcow2\n"))).toEqual([]);
  });

  it("refuses a fileName PVE does not import, at the fileName", () => {
    expect(problems(spec("    fileName: ../noble.img\n"))).toEqual([
      expect.stringMatching(/^12:15 templates\.ubuntu\.fileName: image file name "\.\.\/noble\.img" is not one PVE imports/),
    ]);
  });
});
