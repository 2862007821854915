import { z } from "zod";
import { holdsPrivateKey, isSecretKeyName, PACKAGE_NAME } from "../constructs/user-data-checks";

/** Refuses secret-looking keys with a message saying why, before the strict object reports them as unknown. */
function noSecretKeys(value: unknown, ctx: z.RefinementCtx): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (isSecretKeyName(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `"${key}" is refused: secrets never go into a cloud-init snippet (a plain file on the node); users log in with SSH keys`,
      });
    }
  }
}

const WriteFileSchema = z
  .strictObject({
    path: z
      .string()
      .regex(/^\/(?!.*(^|\/)\.\.(\/|$))[^\0]*$/, { error: "must be an absolute guest path without .." })
      .describe("Absolute path in the guest."),
    content: z
      .string()
      .max(64 * 1024)
      .refine((c) => !holdsPrivateKey(c), { error: "holds a private key: secrets never go into a snippet" })
      .describe("File content (never a secret)."),
    permissions: z
      .string()
      .regex(/^0?[0-7]{3}$/, { error: "must be octal like 0644" })
      .optional()
      .describe("Octal permissions. Default: 0644."),
    owner: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$/, { error: "must be user:group" })
      .optional()
      .describe("Owner user:group. Default: root:root."),
  })
  .describe("A file cloud-init writes at first boot.");

/**
 * Custom cloud-init user data of a tier's VMs. Opt-in: it is uploaded as a snippet over SSH to the
 * node (root SSH access needed, reported by PVE-CI-004); without it the deployment is API-only.
 */
export const UserDataSchema = z
  .preprocess(
    (v, ctx) => {
      noSecretKeys(v, ctx);
      if (v !== null && typeof v === "object" && Array.isArray((v as { writeFiles?: unknown }).writeFiles)) {
        (v as { writeFiles: unknown[] }).writeFiles.forEach((f, i) => {
          if (f !== null && typeof f === "object") {
            for (const key of Object.keys(f)) {
              if (isSecretKeyName(key))
                ctx.addIssue({ code: "custom", path: ["writeFiles", i, key], message: `"${key}" is refused: secrets never go into a cloud-init snippet` });
            }
          }
        });
      }
      return v;
    },
    z.strictObject({
      packages: z
        .array(z.string().regex(PACKAGE_NAME, { error: "must be a package name (letters, digits, + . : = ~ -)" }))
        .max(100)
        .optional()
        .describe("Packages installed at first boot; openssh-server is always added. Default: none."),
      runcmd: z
        .array(z.union([z.string().regex(/\S/, { error: "must not be empty" }), z.array(z.string()).min(1)]))
        .max(100)
        .optional()
        .describe("Commands run once at first boot: a string runs through sh -c, a list is an argv. Default: none."),
      writeFiles: z.array(WriteFileSchema).max(50).optional().describe("Files written at first boot. Default: none."),
    }),
  )
  .describe("Custom cloud-init user data, uploaded as a snippet over SSH (opt-in). Default: none (API-only).");

/** Parsed user data of a tier. */
export type UserDataSpec = z.infer<typeof UserDataSchema>;
