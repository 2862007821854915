import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environmentPolicy } from "../../deploy/environment-policy";
import { toSarif } from "../../policy/report-sarif";

const EXPOSED = fs.readFileSync(path.join(__dirname, "..", "cli", "fixtures", "exposed.yaml"), "utf8");

describe("environmentPolicy", () => {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), "env-policy-"));
  const project = path.join(top, "infra", "proxmox");
  fs.mkdirSync(path.join(project, "environments"), { recursive: true });
  fs.writeFileSync(path.join(project, "environments", "exposed.yaml"), EXPOSED);
  afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

  it("reports an error-level finding without failing, at the spec position, relative to the folder asked for", () => {
    // GIVEN a project in a subfolder of its repository WHEN its policy is checked relative to the repository
    const result = environmentPolicy(project, "exposed", { relativeTo: top });
    // THEN the SSH finding is there, and code scanning gets the path from the repository root
    const ssh = result.findings.find((f) => f.ruleId === "PVE-FW-006");
    expect(ssh?.source?.file).toBe("infra/proxmox/environments/exposed.yaml");
    const location = toSarif(result, { baseDirectory: top }).runs[0].results.find((r) => r.ruleId === "PVE-FW-006")?.locations[0];
    expect(location?.physicalLocation?.artifactLocation.uri).toBe("infra/proxmox/environments/exposed.yaml");
  });

  it("names the missing spec file", () => {
    expect(() => environmentPolicy(project, "nosuch")).toThrow('No environment "nosuch": environments/nosuch.yaml does not exist');
  });
});
