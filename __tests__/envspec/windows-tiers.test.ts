import * as fs from "fs";
import * as path from "path";
import { parseEnvironment, resolveDefaults } from "../../envspec";
import { exampleEditor, specProblems } from "./spec-problems";

const FILE = "environments/windev.yaml";
const TEXT = fs.readFileSync(path.join(__dirname, "windows.yaml"), "utf8");

const problems = (text: string) => specProblems(text, FILE);
const edit = exampleEditor(TEXT);

describe("Windows tiers in the environment spec", () => {
  it("accepts the example and sizes a Windows tier for Windows when the spec does not say", () => {
    // GIVEN the example WHEN parsed and resolved
    const env = resolveDefaults(parseEnvironment(TEXT, FILE));
    // THEN the desk tier is a Windows VM tier from the installer, with Windows defaults; db keeps the Linux ones
    expect(env.tiers.desk).toMatchObject({ kind: "vm", os: "windows", template: "win11", cores: 4, memoryMiB: 8192, diskGiB: 80 });
    expect(env.tiers.db).toMatchObject({ os: "linux", cores: 2 });
    expect(env.windowsInstallers.win11).toMatchObject({ osType: "win11", checksumAlgorithm: "sha256" });
  });

  it("resolves an environment without windowsInstallers to none", () => {
    const linuxOnly = edit("  desk:\n    os: windows\n    count: 2\n    template: win11\n    ipv4: 10.50.0.32/28\n    tags: [desktop]\n", "")
      .replace(/windowsInstallers:[\s\S]*?\n\ntiers:/, "tiers:")
      .replace(/firewall:[\s\S]*?\n\ncloudInit:/, "cloudInit:");
    expect(resolveDefaults(parseEnvironment(linuxOnly, FILE)).windowsInstallers).toEqual({});
  });

  it.each([
    [
      "a Windows tier naming a cloud image",
      edit("    template: win11\n", "    template: debian12\n"),
      /:29:15 tiers\.desk\.template: unknown Windows installer "debian12"; Windows installers are: win11 \("debian12" is a cloud image under templates; a Windows tier boots an installer ISO listed under windowsInstallers\)/,
    ],
    [
      "a Linux tier naming a Windows installer",
      edit("    template: debian12\n    ipv4: 10.50.0.16/28", "    template: win11\n    ipv4: 10.50.0.16/28"),
      /tiers\.db\.template: unknown template "win11"; templates are: debian12/,
    ],
    [
      "less memory than Windows 11 needs",
      edit("    count: 2\n", "    count: 2\n    memoryMiB: 2048\n"),
      /tiers\.desk\.memoryMiB: must be at least 4096 on a Windows tier \(Windows 11's minimum\), got 2048/,
    ],
    ["one core", edit("    count: 2\n", "    count: 2\n    cores: 1\n"), /tiers\.desk\.cores: must be at least 2 on a Windows tier/],
    ["a disk too small", edit("    count: 2\n", "    count: 2\n    diskGiB: 32\n"), /tiers\.desk\.diskGiB: must be at least 64 on a Windows tier/],
    [
      "VM names over the NetBIOS limit",
      edit("  desk:\n", "  desktops:\n").replace("{ from: desk,", "{ from: desktops,").replace("{ tier: desk,", "{ tier: desktops,"),
      /:26:3 tiers\.desktops: Windows VM name "windev-desktops-2" would have 17 characters, more than 15 \(a NetBIOS computer name\)/,
    ],
    [
      "custom cloud-init user data",
      edit("    count: 2\n", "    count: 2\n    userData:\n      packages: [git]\n"),
      /tiers\.desk\.userData: is not allowed on a Windows tier: custom cloud-init user data is for Linux guests/,
    ],
    [
      "data disks (encrypted in the guest by a Linux role)",
      edit("    count: 2\n", "    count: 2\n    dataDisks:\n      - { sizeGiB: 100 }\n"),
      /tiers\.desk\.dataDisks: is not allowed on a Windows tier: data disks are encrypted in the guest by the Linux luks_data_disk role/,
    ],
    [
      "extra NICs (not built on Windows tiers)",
      edit("    count: 2\n", "    count: 2\n    nics:\n      - { bridge: vmbr1 }\n"),
      /tiers\.desk\.nics: is not allowed on a Windows tier: extra NICs are not built on Windows tiers yet/,
    ],
    [
      "a DHCP Windows tier as the source of an allow intent",
      edit("    ipv4: 10.50.0.32/28\n", ""),
      /:39:15 firewall\.allow\[0\]\.from: Windows tier "desk" takes its addresses by DHCP, so no rule can name them as a source; give the tier a static ipv4 pool/,
    ],
    [
      "an installer that is not an ISO",
      edit("Win11_24H2_English_x64.iso", "Win11.qcow2"),
      /windowsInstallers\.win11\.url: installer file name "Win11\.qcow2" is not one PVE stores as ISO content/,
    ],
    [
      "an unknown Windows version",
      edit("    checksumAlgorithm: sha256\n", "    checksumAlgorithm: sha256\n    osType: winxp\n"),
      /windowsInstallers\.win11\.osType: must be one of win11, win10, got "winxp"/,
    ],
    ["a checksum of the wrong length", edit("checksum: 3f6c9d5a", "checksum: 3f6c9d5a2e"), /windowsInstallers\.win11\.checksum/],
  ])("refuses %s, at the field", (_, text, expected) => {
    expect(problems(text)).toMatch(expected);
  });

  it("accepts a DHCP Windows tier that is only a destination of intents", () => {
    const dhcp = edit("    ipv4: 10.50.0.32/28\n", "").replace("    - { from: desk, to: db, port: postgres }\n", "    - { from: db, to: desk, port: rdp }\n");
    expect(resolveDefaults(parseEnvironment(dhcp, FILE)).tiers.desk.ipv4).toEqual({ mode: "dhcp" });
  });
});
