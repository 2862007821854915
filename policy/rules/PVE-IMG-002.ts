import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { bool, raw } from "../values";

/** PVE-IMG-002: downloads check the server's TLS certificate. */
export const rule: PolicyRule = {
  id: "PVE-IMG-002",
  severity: "warning",
  description: "Downloads keep TLS certificate verification on.",
  remediation: "Remove verify = false; fix the server's certificate or the node's CA store instead.",
  mappings: [],
  terraformOnly: "PVE keeps no record of whether a download verified TLS.",
  check(ctx) {
    return ctx.each(ctx.ofType(T.download), (d) =>
      bool(d.config, "verify") === false
        ? [
            {
              subject: d.construct,
              message: `download ${JSON.stringify(raw(d.config, "url") ?? d.address)} has verify = false: any server can answer for the host.`,
            },
          ]
        : [],
    );
  },
};
