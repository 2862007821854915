import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshKeyFingerprint } from "../../constructs/ssh-key-fingerprint";
import { keyRedactor } from "../../deploy/authorized-keys-push";
import { KeyRotationRefused, prepareKeyRotation } from "../../deploy/key-rotation";
import { minimalSpec } from "../envspec/minimal-spec";

const K1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl one@example.com";
const K2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC two@example.com";
const K3 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBUSxhe0lHz/qM0kV7SBeSwWJjqhQPPbkLU532KPH6vE three@example.com";
const NOW = new Date("2026-12-02T10:00:00Z");

const SPEC = minimalSpec({
  header: "# The shop.\n",
  cloudInit: `  user: ops # the login user\n  sshKeys:\n    # Alice's laptop\n    - ${K1}\n    - { key: "${K2}", added: "2026-01-15" } # CI\n`,
});

describe("prepareKeyRotation", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "key-rotation-"));
  const file = path.join(root, "environments", "shop.yaml");
  fs.mkdirSync(path.dirname(file));
  beforeEach(() => fs.writeFileSync(file, SPEC));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const refused = (add: string[], remove: string[]) => {
    expect(() => prepareKeyRotation(root, "shop", { add, remove }, NOW)).toThrow(KeyRotationRefused);
    try {
      prepareKeyRotation(root, "shop", { add, remove }, NOW);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };

  it("computes the new spec with the new key dated today, the removed one gone, and every comment kept, writing nothing", () => {
    // WHEN K1 is replaced by K3
    const rotation = prepareKeyRotation(root, "shop", { add: [K3], remove: [sshKeyFingerprint(K1)] }, NOW);

    // THEN the new text lists K2 and K3, keeps the comments, and the file is unchanged
    expect(rotation.keys).toEqual([K2, K3]);
    expect(rotation.added).toEqual([sshKeyFingerprint(K3)]);
    expect(rotation.removed).toEqual([sshKeyFingerprint(K1)]);
    expect(rotation.after).toContain(`- { key: "${K3}", added: "2026-12-02" }`);
    expect(rotation.after).not.toContain(K1);
    for (const comment of ["# The shop.", "# the login user", "# CI"]) expect(rotation.after).toContain(comment);
    expect(fs.readFileSync(file, "utf8")).toBe(SPEC);
  });

  it.each([
    ["a private key", ["-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjE="], [], /--add #1: this is a PRIVATE key/],
    ["a DSA key", ["ssh-dss AAAAB3NzaC1kc3MAAACBAP"], [], /--add #1: DSA \(ssh-dss\) keys are insecure/],
    ["a truncated key", ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8"], [], /--add #1: .*(truncated|base64)/],
    ["a key already in the spec (other comment)", [K2.replace("two@", "laptop@")], [], /key SHA256:\S+ is already cloudInit\.sshKeys\[1\]/],
    ["the same key twice", [K3, K3], [], /--add #2: key SHA256:\S+ is given twice/],
    ["a fingerprint in another form", [K3], ["MD5:aa:bb"], /--remove takes a key's fingerprint as `ssh-keygen -lf key.pub` prints it/],
    ["a fingerprint of no key of the spec", [K3], [sshKeyFingerprint(K3)], /no key of environments\/shop\.yaml has this fingerprint/],
    ["removing every key", [], [sshKeyFingerprint(K1), sshKeyFingerprint(K2)], /would remove the last key/],
    ["nothing to do", [], [], /Nothing to rotate: .* or --push to push the spec's current keys again/],
  ])("refuses %s before touching anything", (_name, add, remove, expected) => {
    expect(refused(add, remove)).toMatch(expected);
    expect(fs.readFileSync(file, "utf8")).toBe(SPEC);
  });

  it("never echoes a private key it refuses", () => {
    expect(refused(["-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjE="], [])).not.toContain("b3BlbnNzaC1rZXktdjE");
  });

  it("refuses an environment with container tiers: PVE writes their keys only at create", () => {
    // GIVEN a container tier next to the VM tier
    const withContainers = SPEC.replace("    name: vmbr0\n", "    name: vmbr0\n    subnet: 10.40.0.0/24\n    gateway: 10.40.0.1\n").replace(
      "tiers:\n",
      `containerTemplates:\n  debian12ct:\n    url: http://download.proxmox.com/images/system/debian-12-standard_12.7-1_amd64.tar.zst\n    checksum: ${"cd".repeat(64)}\n    checksumAlgorithm: sha512\ntiers:\n  cache:\n    kind: container\n    template: debian12ct\n    ipv4: 10.40.0.32/28\n`,
    );
    fs.writeFileSync(file, withContainers);
    // THEN the rotation is refused, naming the tier and the way to change such keys
    expect(refused([K3], [])).toMatch(
      /PVE writes a container's keys only when it is created \(tier cache\)\. Edit cloudInit\.sshKeys and run `proxmox-cdk up shop`/,
    );
  });

  it.each([
    [
      "an adopted VM",
      "legacy-201: { vmid: 201, node: pve1, cores: 2, memoryMiB: 1024, disk: { storage: fast, sizeGiB: 12 }, network: { bridge: vmbr0 } }",
      /legacy-201: vm 201/,
    ],
    [
      "an adopted container",
      "legacy-ct: { kind: container, vmid: 206, node: pve1, cores: 1, memoryMiB: 512, disk: { storage: local-lvm, sizeGiB: 4 }, network: { bridge: vmbr0 }, ipv4: 10.40.0.50/24 }",
      /legacy-ct: container 206/,
    ],
  ])("refuses an environment with %s before touching anything: the inventory does not manage its keys", (_name, guest, named) => {
    // GIVEN the spec adopts a running guest next to its tier
    const withAdopted = `${SPEC}adopted:\n  ${guest}\n`;
    fs.writeFileSync(file, withAdopted);
    // WHEN a key is rotated THEN it is refused, naming the guest, saying why and what to do, and the file is unchanged
    const message = refused([K3], [sshKeyFingerprint(K1)]);
    expect(message).toMatch(named);
    expect(message).toMatch(/not managed by the inventory yet/);
    expect(message).toMatch(/Rotate their keys by hand, or remove them from adopted:/);
    expect(fs.readFileSync(file, "utf8")).toBe(withAdopted);
  });

  it("re-pushes the current keys with push: the same key list, nothing added or removed, the spec text unchanged", () => {
    const rotation = prepareKeyRotation(root, "shop", { add: [], remove: [], push: true }, NOW);
    expect(rotation.keys).toEqual([K1, K2]);
    expect([rotation.added, rotation.removed]).toEqual([[], []]);
    expect(rotation.after).toBe(SPEC);
  });

  it("refuses push together with a key to add or remove", () => {
    expect(() => prepareKeyRotation(root, "shop", { add: [K3], remove: [], push: true }, NOW)).toThrow(
      /--push re-pushes the spec's current keys; give it without --add and --remove/,
    );
  });
});

describe("keyRedactor", () => {
  it("replaces each key's base64 body by its fingerprint", () => {
    const hide = keyRedactor([K1]);
    expect(hide(`failed: ${K1}`)).toBe(`failed: ssh-ed25519 [key ${sshKeyFingerprint(K1)}] one@example.com`);
  });
});
