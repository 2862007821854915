import { Testing } from "cdktf";
import { RunningSimulator, startSimulator } from "../../../sim/index";
import { TerraformWorkdir, terraformWorkdir } from "../harness/terraform-workdir";
import { adminStack, environmentStack, ImageSource } from "./environment";
import { apiGet } from "./sim-api";

/** Role id TerraformAccess creates by default. */
export const ROLE = "ProxmoxCdkTerraform";

/** A simulator where the admin stack made the Terraform identity, and the environment's workdirs. */
export interface AccessLane {
  readonly sim: RunningSimulator;
  /** The admin stack (role, user, token, ACLs), applied with the simulator's root token. */
  readonly admin: TerraformWorkdir;
  /** The environment, driven with the derived token. */
  readonly env: TerraformWorkdir;
  /** The same folder driven with the root token (to clean up after a refused run). */
  readonly envAsRoot: TerraformWorkdir;
  /** The role's privileges as the simulator stores them after the admin apply. */
  readonly privileges: string[];
  /** The role's privileges as the construct derived them at synth time. */
  readonly derived: string[];
  stop(): Promise<void>;
}

/** Reads the token value from the admin stack's sensitive output (never printed). */
async function tokenOutput(admin: TerraformWorkdir): Promise<string> {
  const outputs = await admin.cli.outputs();
  const names = Object.keys(outputs).filter((n) => n.includes("api-token"));
  if (names.length !== 1 || !outputs[names[0]].sensitive) throw new Error(`expected one sensitive api-token output, found ${Object.keys(outputs).join(", ")}`);
  return String(outputs[names[0]].value);
}

/**
 * Starts a simulator, applies the admin stack of TerraformAccess({ manages: [env] }) with the root
 * token and prepares the environment's workdir with the token it created.
 */
export async function startAccessLane(image: ImageSource, sshKey: string, webCount: number): Promise<AccessLane> {
  const sim = await startSimulator();
  try {
    const app = Testing.app();
    const env = environmentStack({ app, image, sshKey, webCount });
    const { stack, access } = adminStack(app, [env.stack]);
    const admin = await terraformWorkdir(stack, { sim });
    await admin.apply();
    const token = await tokenOutput(admin);
    const envWd = await terraformWorkdir(env.stack, { sim: { endpoint: sim.endpoint, apiToken: token } });
    const envAsRoot = new TerraformWorkdir(envWd.dir, { sim });
    const privileges = Object.keys(await apiGet(sim, `/access/roles/${ROLE}`)).sort();
    const derived = access.derivePrivileges({ manages: [env.stack] });
    return {
      sim,
      admin,
      env: envWd,
      envAsRoot,
      privileges,
      derived,
      stop: async () => {
        envWd.cleanup();
        admin.cleanup();
        await sim.stop();
      },
    };
  } catch (e) {
    await sim.stop();
    throw e;
  }
}
