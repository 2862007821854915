import { z } from "zod";
import { boundedInt } from "./bounded-int";
import { patterned } from "./identifiers";
import { LIMITS } from "./limits";

/**
 * A tang server the guests reach at boot (never this tool: nothing here connects to it). http is
 * normal for tang — what the guest fetches is public and the thumbprint pins the signing key.
 */
export const TANG_URL = /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;

/** A JWK thumbprint in base64url (SHA-1: 27 characters, SHA-256: 43, SHA-512: 86), as `tang-show-keys` prints it. */
export const TANG_THUMBPRINT = /^[A-Za-z0-9_-]{27,86}$/;

const TangServerSchema = z
  .strictObject({
    url: patterned(
      TANG_URL,
      "an http(s) URL of a tang server like http://tang1.example.net:7500 (host and optional port and path; no user, query or fragment)",
      "URL the guests reach the tang server at during boot.",
    ),
    thumbprint: patterned(
      TANG_THUMBPRINT,
      "a tang signing-key thumbprint (27 to 86 base64url characters, as tang-show-keys prints it)",
      "Thumbprint of the server's signing key: pinned, so no trust on first use.",
    ),
  })
  .describe("A tang server with its pinned signing key.");

/**
 * How the guests of the environment unlock their encrypted data disks at boot, without a human and
 * without a key next to the data: tang (network-bound, clevis + tang servers) or tpm2 (the VM's
 * vTPM, which the VMs then get). docs/data-protection.md compares the two.
 */
export const DataProtectionSchema = z
  .strictObject({
    diskUnlock: z
      .enum(["tang", "tpm2"])
      .optional()
      .describe(
        "tang: unlock where the tang servers answer; tpm2: unlock on the VM's own virtual TPM (added to each VM with an encrypted disk). Default: tang.",
      ),
    tang: z
      .array(TangServerSchema)
      .min(1, { error: "must list at least one tang server" })
      .max(LIMITS.tangServers, { error: `must list at most ${LIMITS.tangServers} tang servers` })
      .optional()
      .describe("tang servers (diskUnlock: tang); required when a VM tier has an encrypted data disk."),
    threshold: boundedInt(
      1,
      LIMITS.tangServers,
      `How many tang servers must answer to unlock (1..${LIMITS.tangServers}, at most the number listed). Default: 1.`,
    ).optional(),
  })
  .refine((p) => p.diskUnlock !== "tpm2" || (p.tang === undefined && p.threshold === undefined), {
    error: "tang and threshold belong to diskUnlock: tang; remove them for tpm2",
    path: ["diskUnlock"],
  })
  .refine((p) => p.threshold === undefined || p.tang === undefined || p.threshold <= p.tang.length, {
    error: "must be at most the number of tang servers listed",
    path: ["threshold"],
  })
  .describe("Unlock of encrypted data disks at boot. Default: tang, no servers (required once a tier has an encrypted data disk).");

/** A `dataProtection` block as validated. */
export type DataProtectionSpec = z.infer<typeof DataProtectionSchema>;
