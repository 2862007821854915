import { z } from "zod";
import { CONTAINER_OS_TYPES, osTypeOfFileName } from "../constructs/container-os-type";
import { urlFileName } from "../constructs/download-checksum";
import { VZTMPL_FILE_NAME, vztmplFileNameProblem } from "../constructs/pve-file-names";
import { describeValue } from "./describe-value";
import { checksumLengthIssue, downloadUrl, hexChecksum, URL_PATTERN } from "./template-schema";

/**
 * An LXC OS template that container tiers are created from (ContainerTemplate): downloaded by PVE
 * as `vztmpl` content on every node a container tier uses, its checksum verified.
 */
export const ContainerTemplateSchema = z
  .strictObject({
    url: downloadUrl("an LXC template archive (.tar.gz, .tar.xz or .tar.zst)"),
    checksum: hexChecksum("template archive"),
    checksumAlgorithm: z.enum(["sha256", "sha512"]).describe("Algorithm of checksum."),
    fileName: z
      .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a file name, got ${describeValue(issue.input)}`) })
      .regex(VZTMPL_FILE_NAME, { error: (issue) => vztmplFileNameProblem(String(issue.input), "fileName") })
      .optional()
      .describe("Name PVE stores the archive under, ending in .tar.gz, .tar.xz or .tar.zst. Default: the URL's last segment."),
    osType: z
      .enum(CONTAINER_OS_TYPES)
      .optional()
      .describe(
        "Distribution inside the archive; PVE sets up root's keys, hostname and network with its scripts for it. Default: the file name's first segment (debian-12-standard_… → debian).",
      ),
  })
  .superRefine((t, ctx) => {
    // A URL refused above is not also refused for its name.
    const fileName = t.fileName ?? (URL_PATTERN.test(t.url) ? urlFileName(t.url) : undefined);
    const nameProblem = t.fileName === undefined && fileName !== undefined ? vztmplFileNameProblem(fileName, "fileName") : undefined;
    if (nameProblem) ctx.addIssue({ code: "custom", path: ["url"], input: t.url, message: nameProblem });
    else if (fileName !== undefined && t.osType === undefined && osTypeOfFileName(fileName) === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [],
        input: t,
        message: `file name "${fileName}" names no OS type; set osType to one of ${CONTAINER_OS_TYPES.join(", ")}`,
      });
    }
    checksumLengthIssue(t, ctx);
  })
  .describe("LXC OS template (vztmpl) used by container tiers.");
