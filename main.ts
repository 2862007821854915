/**
 * The cdktf app (`cdktf synth`, `cdktf deploy dev`, `cdktf diff prod`): one stack per
 * `environments/*.yaml`. A broken spec prints every error with file:line:col and writes nothing.
 */
import { App } from "cdktf";
import { addEnvironmentStacks } from "./stacks/environment-app";
import { withFastSynth } from "./stacks/fast-synth";

try {
  withFastSynth(() => {
    const app = new App();
    addEnvironmentStacks(app);
    app.synth();
  });
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
