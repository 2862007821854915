import { PolicyRule } from "../rule";
import { T } from "../resource-types";
import { isSet, raw } from "../values";

/** PVE-IMG-001: downloaded images are verified. */
export const rule: PolicyRule = {
  id: "PVE-IMG-001",
  severity: "error",
  description: "Every image or ISO downloaded by PVE is verified against a checksum.",
  remediation: "Set checksum and checksum_algorithm (sha256/sha512) from the publisher's SUMS file (VmTemplate requires image.checksum).",
  mappings: [],
  terraformOnly: "PVE keeps no record of the checksum a file was downloaded with.",
  check(ctx) {
    // A checksum from a variable is verified all the same: being set is what counts.
    return ctx.each(ctx.ofType(T.download), (d) =>
      isSet(raw(d.config, "checksum"))
        ? []
        : [
            {
              subject: d.construct,
              message: `download ${JSON.stringify(raw(d.config, "url") ?? d.address)} has no checksum: a tampered or truncated image would be used.`,
            },
          ],
    );
  },
};
