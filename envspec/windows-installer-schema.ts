import { z } from "zod";
import { urlFileName } from "../constructs/download-checksum";
import { ISO_FILE_NAME } from "../constructs/pve-file-names";
import { WINDOWS_DEFAULTS, WINDOWS_OS_TYPES } from "../constructs/windows-requirements";
import { describeValue } from "./describe-value";
import { checksumLengthIssue, downloadUrl, hexChecksum, URL_PATTERN } from "./template-schema";

/** Why `fileName` is not an ISO name PVE stores, with the fix. */
function isoFileNameProblem(fileName: string, field: string): string {
  return `installer file name "${fileName}" is not one PVE stores as ISO content — set ${field} to a name of letters, digits and - . + = _ ending in .iso`;
}

/**
 * A Windows installer ISO that Windows tiers (`os: windows`) boot from (IsoImage + WindowsVm):
 * downloaded by PVE as `iso` content on every node a Windows tier uses, its checksum verified.
 */
export const WindowsInstallerSchema = z
  .strictObject({
    url: downloadUrl("a Windows installer ISO"),
    checksum: hexChecksum("ISO"),
    checksumAlgorithm: z.enum(["sha256", "sha512"]).describe("Algorithm of checksum."),
    fileName: z
      .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a file name, got ${describeValue(issue.input)}`) })
      .regex(ISO_FILE_NAME, { error: (issue) => isoFileNameProblem(String(issue.input), "fileName") })
      .optional()
      .describe("Name PVE stores the ISO under, ending in .iso. Default: the URL's last segment."),
    osType: z.enum(WINDOWS_OS_TYPES).optional().describe(`Windows version on the ISO (PVE ostype of the VMs). Default: ${WINDOWS_DEFAULTS.osType}.`),
  })
  .superRefine((t, ctx) => {
    // A URL refused above is not also refused for its name.
    if (t.fileName === undefined && URL_PATTERN.test(t.url) && !ISO_FILE_NAME.test(urlFileName(t.url))) {
      ctx.addIssue({ code: "custom", path: ["url"], input: t.url, message: isoFileNameProblem(urlFileName(t.url), "fileName") });
    }
    checksumLengthIssue(t, ctx);
  })
  .describe("Windows installer ISO used by Windows tiers (os: windows).");
