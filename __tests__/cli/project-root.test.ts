import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repositoryRoot } from "../../cli/project-root";

describe("repositoryRoot", () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), "repo-root-"));
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it("finds the repository above a project in a subfolder, so code scanning paths start at the repository", () => {
    // GIVEN a repository with the project in infra/proxmox
    fs.mkdirSync(path.join(top, ".git"));
    const project = path.join(top, "infra", "proxmox");
    fs.mkdirSync(path.join(project, "environments"), { recursive: true });
    // THEN the repository root is the folder with .git
    expect(repositoryRoot(project)).toBe(top);
  });

  it("is the project itself outside any repository", () => {
    const loose = fs.mkdtempSync(path.join(os.tmpdir(), "no-repo-"));
    try {
      expect(repositoryRoot(loose)).toBe(loose);
    } finally {
      fs.rmSync(loose, { recursive: true, force: true });
    }
  });
});
