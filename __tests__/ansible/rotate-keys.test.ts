import * as fs from "fs";
import * as path from "path";
import { pushAuthorizedKeys } from "../../deploy/authorized-keys-push";
import { ChrootHost, createChrootHost, disposeChrootHost } from "./chroot-fixture";
import { runChecked } from "./run-command";

// The push of `proxmox-cdk rotate-keys`, for real: pushAuthorizedKeys (the function the command calls)
// runs ansible/rotate-keys.yml through the chroot connection against a debootstrapped Debian 12 root
// whose login user has the old key (and one nobody listed).
jest.setTimeout(10 * 60_000);

const USER = "ops";
const OLD = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4zXkFHbms+x4apDPXCoTPCpCKulrz9Nm+CY6wswxdC old@example.com";
const STRAY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvvnX30D3YiuSGPt7WbhtRVFbhkntkSqr6gNxqMmwaf stray@example.com";
const NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKpD8RvMj1R2dzTMsmiMLF+EEe+Ia8EyGar8wo7IlHDl new@example.com";
// A comment is data: Jinja in it must reach the file as written, never run on the controller.
const JINJA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBUSxhe0lHz/qM0kV7SBeSwWJjqhQPPbkLU532KPH6vE {{ lookup('pipe', 'touch /tmp/pcdk-rotate-pwned') }}";

let host: ChrootHost;
const authorizedKeys = () => host.read(path.join("home", USER, ".ssh", "authorized_keys"));
const output: string[] = [];

beforeAll(async () => {
  fs.rmSync("/tmp/pcdk-rotate-pwned", { force: true });
  host = await createChrootHost({});
  // GIVEN the login user, as cloud-init created it, with the old key and a stray one
  await runChecked("chroot", [host.root, "useradd", "--create-home", "--shell", "/bin/bash", USER]);
  const ssh = path.join(host.root, "home", USER, ".ssh");
  fs.mkdirSync(ssh, { mode: 0o700 });
  fs.writeFileSync(path.join(ssh, "authorized_keys"), `${OLD}\n${STRAY}\n`, { mode: 0o600 });
  await runChecked("chroot", [host.root, "chown", "-R", `${USER}:${USER}`, `/home/${USER}/.ssh`]);

  // WHEN the rotation pushes the new key list
  await pushAuthorizedKeys({ inventory: host.inventory, user: USER, keys: [NEW, JINJA], hide: [OLD], log: (l) => output.push(l) });
}, 15 * 60_000);

afterAll(() => disposeChrootHost(host));

describe("rotate-keys.yml on a Debian 12 root", () => {
  it("leaves exactly the new keys in the login user's authorized_keys: the old and the stray key are gone", () => {
    const lines = authorizedKeys()
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(lines).toEqual([NEW, JINJA]);
    expect(authorizedKeys()).not.toContain(OLD.split(" ")[1]);
    expect(authorizedKeys()).not.toContain(STRAY.split(" ")[1]);
  });

  it("passes a key comment holding Jinja through as text and never runs it", () => {
    expect(authorizedKeys()).toContain("{{ lookup('pipe', 'touch /tmp/pcdk-rotate-pwned') }}");
    expect(fs.existsSync("/tmp/pcdk-rotate-pwned")).toBe(false);
  });

  it("keeps the file private to the user", async () => {
    const mode = (await runChecked("chroot", [host.root, "stat", "-c", "%a %U", `/home/${USER}/.ssh/authorized_keys`])).stdout.trim();
    expect(mode).toBe(`600 ${USER}`);
  });

  it("shows Ansible's progress without key material", () => {
    const text = output.join("\n");
    expect(text).toMatch(/changed: \[debian-root\]/);
    for (const key of [OLD, NEW, JINJA]) expect(text).not.toContain(key.split(" ")[1]);
  });

  it("changes nothing on a second run (idempotent)", async () => {
    const again: string[] = [];
    await pushAuthorizedKeys({ inventory: host.inventory, user: USER, keys: [NEW, JINJA], log: (l) => again.push(l) });
    expect(again.join("\n")).toMatch(/debian-root\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/);
  });
});
