import { z } from "zod";
import { urlFileName } from "../constructs/download-checksum";
import { IMPORT_FILE_NAME, importFileNameProblem } from "../constructs/pve-file-names";
import { describeValue } from "./describe-value";

/** Hex digits of each supported checksum algorithm. */
export const CHECKSUM_HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

export const URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[^\s]*)?$/;

/** An http(s) URL of a file PVE downloads (`what`: "a cloud image"), without credentials. */
export function downloadUrl(what = "a cloud image") {
  const problem = (input: unknown): string => {
    if (typeof input === "string" && /^https?:\/\/[^/]*@/.test(input)) return "must not contain credentials (user:password@); serve the file without them";
    return `must be an http:// or https:// URL of ${what}, got ${describeValue(input)}`;
  };
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : problem(issue.input)) })
    .max(2048, { error: "must be at most 2048 characters long" })
    .regex(URL_PATTERN, { error: (issue) => problem(issue.input) })
    .describe("http(s) URL of the cloud image (qcow2/raw/vmdk); its checksum is verified after download.");
}

/** The lower-case hex digest of a downloaded file (sha256 or sha512). */
export function hexChecksum(what = "image") {
  return (
    z
      .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a hex checksum, got ${describeValue(issue.input)}`) })
      // Lower case only, as sha256sum/sha512sum print it and as the constructs require.
      .regex(/^([0-9a-f]{64}|[0-9a-f]{128})$/, {
        error: (issue) =>
          typeof issue.input === "string" && /^([0-9a-fA-F]{64}|[0-9a-fA-F]{128})$/.test(issue.input)
            ? "must be written in lower case, as sha256sum and sha512sum print it"
            : `must be the hex digest of the ${what} (64 hex digits for sha256, 128 for sha512), got ${describeValue(issue.input)}`,
      })
      .describe(`Hex digest of the ${what} file in lower case (64 hex digits for sha256, 128 for sha512).`)
  );
}

/** Reports a checksum whose length does not fit its algorithm, at `checksum`. */
export function checksumLengthIssue(
  t: { readonly checksum: string; readonly checksumAlgorithm: keyof typeof CHECKSUM_HEX_LENGTH },
  ctx: z.RefinementCtx,
): void {
  const expected = CHECKSUM_HEX_LENGTH[t.checksumAlgorithm];
  if (t.checksum.length !== expected) {
    ctx.addIssue({
      code: "custom",
      path: ["checksum"],
      input: t.checksum,
      message: `a ${t.checksumAlgorithm} checksum has ${expected} hex digits, got ${t.checksum.length}; fix the checksum or checksumAlgorithm`,
    });
  }
}

/** A cloud image that tiers clone their VMs from. */
export const TemplateSchema = z
  .strictObject({
    url: downloadUrl(),
    checksum: hexChecksum(),
    checksumAlgorithm: z.enum(["sha256", "sha512"]).describe("Algorithm of checksum."),
    fileName: z
      .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a file name, got ${describeValue(issue.input)}`) })
      .regex(IMPORT_FILE_NAME, { error: (issue) => importFileNameProblem(String(issue.input), "fileName") })
      .optional()
      .describe(
        "Name PVE stores the image under, ending in its real format: .qcow2, .raw or .vmdk (Ubuntu's .img images are qcow2). Default: the URL's last segment.",
      ),
    uefi: z.boolean().optional().describe("Boot with UEFI (OVMF) instead of SeaBIOS. Default: true."),
  })
  .superRefine((template, ctx) => {
    // A URL refused above is not also refused for its name.
    const nameProblem =
      template.fileName === undefined && URL_PATTERN.test(template.url) ? importFileNameProblem(urlFileName(template.url), "fileName") : undefined;
    if (nameProblem) ctx.addIssue({ code: "custom", path: ["url"], input: template.url, message: nameProblem });
    checksumLengthIssue(template, ctx);
  })
  .describe("Cloud image used as a VM template.");
