import { Command, UsageError } from "../command";
import { stringFlag } from "../args";
import { TARGET_OPTIONS } from "../target-option";
import { projectRoot } from "../project-root";
import { ensureCliToolchain } from "../ensure-toolchain";

/** `proxmox-cdk ui [--port N]`: the local web console. */
export const uiCommand: Command = {
  name: "ui",
  summary: "local web console: environments, flows, policy, plan and deploy in a browser",
  args: { options: { port: { type: "string", valueName: "N", description: "port on 127.0.0.1 (default: a free one)" }, ...TARGET_OPTIONS } },
  description: `Serves the web console on 127.0.0.1 only and prints its URL, which holds a random access
token: open it in a browser on this machine. Pages: environments (stage, target, last run), one
environment (tiers, guests, firewall flow diagram, policy findings, backups and HA, plan review),
the audit log, and a form to create an environment or add a tier. Deploys use the same workflow and
consent rule as \`up\`: a plan that destroys or replaces anything needs the environment name typed.
Stop it with Ctrl-C. See docs/console.md.`,
  async run(args) {
    const portText = stringFlag(args, "port");
    const port = portText === undefined ? 0 : Number(portText);
    if (!/^[0-9]{1,5}$/.test(portText ?? "0") || port > 65535) throw new UsageError(`--port must be a port number (0..65535), got "${portText}".`);
    // The toolchain first: the modules loaded below reach the generated bindings it creates.
    await ensureCliToolchain();
    const { startConsole } = require("../../ui/console-server") as typeof import("../../ui/console-server");
    const console_ = await startConsole({ root: projectRoot(), port, sim: args.flags.sim === true });
    console.log(`proxmox-cdk console: ${console_.url}`);
    console.log("The URL holds the access token: do not share it. Ctrl-C stops the console.");
    await new Promise<void>((resolve) => {
      const stop = () => void console_.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};
