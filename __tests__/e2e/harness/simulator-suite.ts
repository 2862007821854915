import { RunningSimulator, SimulatorOptions, startSimulator } from "../../../sim/index";
import { StackSource, TerraformWorkdir, terraformWorkdir } from "./terraform-workdir";

/** One simulator shared by the tests of a describe block. */
export interface SimulatorSuite {
  /** The running simulator; available in tests and in hooks registered after the suite. */
  readonly sim: RunningSimulator;
  /** A `terraform init`-ed workdir for `source` against the simulator, removed after the suite. */
  workdir(source: StackSource): Promise<TerraformWorkdir>;
}

/**
 * Registers the jest hooks of an end-to-end describe block: a simulator started before its tests
 * and stopped after them, and every workdir made through {@link SimulatorSuite.workdir} deleted.
 */
export function simulatorSuite(options: SimulatorOptions = {}): SimulatorSuite {
  let running: RunningSimulator | undefined;
  const workdirs: TerraformWorkdir[] = [];
  beforeAll(async () => {
    running = await startSimulator(options);
  });
  afterAll(async () => {
    for (const wd of workdirs.splice(0)) wd.cleanup();
    await running?.stop();
    running = undefined;
  });
  const suite: SimulatorSuite = {
    get sim(): RunningSimulator {
      if (!running) throw new Error("simulatorSuite: the simulator runs only while the describe block's tests run");
      return running;
    },
    async workdir(source: StackSource): Promise<TerraformWorkdir> {
      const wd = await terraformWorkdir(source, { sim: suite.sim });
      workdirs.push(wd);
      return wd;
    },
  };
  return suite;
}
