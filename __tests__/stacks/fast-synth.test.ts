import { App, Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { TOKEN_TRACES_ENV, withFastSynth } from "../../stacks/fast-synth";
import { addEnvironmentStacks } from "../../stacks/environment-app";

/** The creation trace cdktf records for a new lazy value (empty when none was taken). */
function creationStackOf(): string[] {
  return (Lazy.anyValue({ produce: () => "x" }) as unknown as { creationStack: string[] }).creationStack;
}

describe("withFastSynth", () => {
  const saved = process.env[TOKEN_TRACES_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[TOKEN_TRACES_ENV];
    else process.env[TOKEN_TRACES_ENV] = saved;
  });

  it("skips cdktf's per-token creation traces inside, and only inside", () => {
    delete process.env[TOKEN_TRACES_ENV];
    expect(creationStackOf().length).toBeGreaterThan(0);
    expect(withFastSynth(() => creationStackOf())).toEqual([]);
    expect(creationStackOf().length).toBeGreaterThan(0);
  });

  it("keeps the traces when PROXMOX_CDK_TOKEN_TRACES is set, and not when it is 0 or false", () => {
    process.env[TOKEN_TRACES_ENV] = "1";
    expect(withFastSynth(() => creationStackOf()).length).toBeGreaterThan(0);
    for (const off of ["0", "false", ""]) {
      process.env[TOKEN_TRACES_ENV] = off;
      expect(withFastSynth(() => creationStackOf())).toEqual([]);
    }
  });

  it("leaves the stack of an Error intact and restores everything when the work throws", () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
    const capture = Error.captureStackTrace;
    const sourceMaps = process.sourceMapsEnabled;
    let thrown: Error | undefined;
    try {
      withFastSynth(() => {
        throw new Error("spec broken");
      });
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.stack).toMatch(/spec broken\n\s+at /);
    const custom = {} as { stack?: string };
    withFastSynth(() => Error.captureStackTrace(custom));
    expect(custom.stack).toMatch(/\n\s+at /);
    expect(custom.stack?.split("\n")[1]).not.toMatch(/captureStackTrace/);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
    expect(Error.captureStackTrace).toBe(capture);
    expect(process.sourceMapsEnabled).toBe(sourceMaps);
  });

  it("changes nothing in the synthesised configuration", () => {
    const build = () => {
      const app = Testing.app();
      const [stack] = addEnvironmentStacks(app, { dir: "environments", only: ["prod"] });
      new TerraformOutput(stack, "extra", { value: Lazy.stringValue({ produce: () => "lazy" }) });
      return Testing.synth(stack);
    };
    expect(withFastSynth(build)).toEqual(build());
  });

  it("lets a token that cannot be resolved fail as clearly as before, only without its creation trace", () => {
    const synth = () => {
      const app = new App({ outdir: Testing.app().outdir });
      const stack = new TerraformStack(app, "broken");
      new TerraformOutput(stack, "bad", {
        value: Lazy.anyValue({
          produce: () => {
            throw new Error("no value for this output");
          },
        }),
      });
      app.synth();
    };
    expect(() => withFastSynth(synth)).toThrow(/no value for this output/);
  });
});
