import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findDebianMirror, parseDeb822Sources, parseSourcesList } from "./apt-mirror";

describe("Debian mirror discovery for debootstrap", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apt-mirror-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function aptDir(files: Record<string, string>): string {
    const apt = fs.mkdtempSync(path.join(dir, "etc-apt-"));
    fs.mkdirSync(path.join(apt, "sources.list.d"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(apt, name), text);
    return apt;
  }

  it("takes the bookworm URI of a deb822 .sources file and skips the security archive", () => {
    // GIVEN Debian 12's default layout
    const apt = aptDir({
      "sources.list.d/debian.sources": [
        "Types: deb",
        "URIs: http://mirror.example/debian",
        "Suites: bookworm bookworm-updates",
        "Components: main",
        "",
        "Types: deb",
        "URIs: http://mirror.example/debian-security",
        "Suites: bookworm-security",
        "Components: main",
      ].join("\n"),
    });
    // WHEN / THEN
    expect(findDebianMirror("bookworm", apt, {})).toBe("http://mirror.example/debian");
  });

  it("reads one-line sources.list entries with bracketed options", () => {
    const sources = parseSourcesList("# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\n", "x");
    expect(sources).toEqual([{ uri: "http://m.example/debian", suites: ["bookworm"], file: "x" }]);
  });

  it("ignores deb-src entries and disabled stanzas", () => {
    expect(parseSourcesList("deb-src http://m.example/debian bookworm main\n", "x")).toEqual([]);
    expect(parseDeb822Sources("Types: deb\nURIs: http://m.example/debian\nSuites: bookworm\nEnabled: no\n", "x")).toEqual([]);
  });

  it("ignores files apt itself ignores (not .list or .sources)", () => {
    const apt = aptDir({ "sources.list.d/old.list.disabled": "deb http://old.example/debian bookworm main\n" });
    expect(() => findDebianMirror("bookworm", apt, {})).toThrow(/No apt source in .* serves Debian "bookworm".*PROXMOX_CDK_DEBIAN_MIRROR=/);
  });

  it("lets PROXMOX_CDK_DEBIAN_MIRROR override apt's configuration", () => {
    const apt = aptDir({ "sources.list": "deb http://m.example/debian bookworm main\n" });
    expect(findDebianMirror("bookworm", apt, { PROXMOX_CDK_DEBIAN_MIRROR: "http://local.example/debian" })).toBe("http://local.example/debian");
  });
});
