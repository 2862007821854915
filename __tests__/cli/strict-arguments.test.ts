import { parseArgs, UsageError } from "../../cli/args";
import { commandHelp } from "../../cli/command";
import { EXIT_CODES_HELP } from "../../cli/exit-codes";
import { COMMANDS, main } from "../../cli/main";

/** Runs main() in this process with console output captured; every command's run() is watched. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; ran: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const ran: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const runs = COMMANDS.map((c) =>
    jest.spyOn(c, "run").mockImplementation(() => {
      ran.push(c.name);
      return Promise.resolve(0);
    }),
  );
  try {
    const code = await main(argv);
    return { code, out: out.join("\n"), err: err.join("\n"), ran };
  } finally {
    [log, error, ...runs].forEach((s) => s.mockRestore());
  }
}

describe("strict command-line arguments", () => {
  it.each([
    [["up", "dev", "--no-such-flag"], "Unknown option '--no-such-flag'"],
    [["destroy", "dev", "--dry-run-typo"], "Unknown option '--dry-run-typo'"],
    [["plan", "dev", "extra"], 'unexpected argument "extra"'],
    [["plan", "--stack"], "argument missing"],
    [["inventory", "dev", "--out"], "argument missing"],
    [["up", "dev", "--sim=yes"], "does not take an argument"],
    [["doctor", "-x"], "Unknown option '-x'"],
    [["sim", "--no-such-flag"], "Unknown option '--no-such-flag'"],
  ])("refuses %j with exit 64 and runs nothing", async (argv, message) => {
    // WHEN a command is called with an unknown flag, a missing or extra argument
    const r = await cli(...argv);

    // THEN it exits 64 naming the mistake, shows the command's help, and its run() never started
    expect(r.code).toBe(64);
    expect(r.err).toContain(message);
    expect(r.err).toContain(`Usage: proxmox-cdk ${argv[0]}`);
    expect(r.ran).toEqual([]);
  });

  it("runs a command whose arguments match its declaration", async () => {
    const r = await cli("up", "dev", "--sim");
    expect([r.code, r.ran]).toEqual([0, ["up"]]);
  });

  it("exits 64 on an unknown command and on no command at all", async () => {
    expect((await cli("deploy", "dev")).code).toBe(64);
    expect((await cli()).code).toBe(64);
  });

  it("parses declared options into flags and keeps the positionals", () => {
    const spec = {
      usage: "<env>",
      minPositionals: 1,
      maxPositionals: 1,
      options: { out: { type: "string", short: "o", description: "file" }, sim: { type: "boolean", description: "sim" } },
    } as const;
    expect(parseArgs(["dev", "-o", "x.md", "--sim"], spec)).toEqual({ positionals: ["dev"], flags: { out: "x.md", sim: true } });
    expect(parseArgs(["dev", "--out=y.md"], spec)).toEqual({ positionals: ["dev"], flags: { out: "y.md" } });
    expect(() => parseArgs(["dev", "--outt", "x"], spec)).toThrow(UsageError);
  });
});

describe("--help", () => {
  it.each(COMMANDS.map((c) => [c.name]))("%s --help lists every declared option and the shared exit codes", async (name) => {
    // WHEN asking a command for help
    const r = await cli(name, "--help");

    // THEN it exits 0 without running, and the text is the one generated from the declaration
    const command = COMMANDS.find((c) => c.name === name)!;
    expect([r.code, r.ran, r.out]).toEqual([0, [], commandHelp(command)]);
    for (const [option, spec] of Object.entries(command.args.options ?? {})) {
      expect(r.out).toMatch(new RegExp(`--${option}\\b.*${spec.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    }
    expect(r.out).toContain("--help");
    expect(r.out).toContain(EXIT_CODES_HELP);
    expect(EXIT_CODES_HELP).toBe("Exit codes: 0 ok, 1 failure, 2 changes / drift / error-level findings, 64 usage error (nothing ran).");
  });

  it("lists every command and the exit codes in the top-level help", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${c.name} +${c.summary.slice(0, 10)}`, "m"));
    expect(r.out).toContain(EXIT_CODES_HELP);
  });
});
