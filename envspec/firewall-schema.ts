import { z } from "zod";
import { LIMITS } from "./limits";
import { comment, dnsLabel } from "./identifiers";
import { ipv4Network } from "./ipv4";
import { portSchema } from "./port";

/** Traffic allowed from one tier to another; inbound traffic not allowed by an intent is dropped. */
export const AllowIntentSchema = z
  .strictObject({
    from: dnsLabel("Source tier."),
    to: dnsLabel("Destination tier."),
    port: portSchema(),
    comment: comment().optional(),
  })
  .describe("Allow traffic from one tier to another.");

/**
 * A tier port opened to an outside network. Exposing ssh, rdp or a database port to 0.0.0.0/0
 * is valid here and reported by the policy pack: the spec states intent, policy judges it.
 */
export const ExposeIntentSchema = z
  .strictObject({
    tier: dnsLabel("Tier whose port is opened."),
    port: portSchema(),
    from: ipv4Network("Source network in CIDR form (0.0.0.0/0 is the whole internet)."),
    comment: comment().optional(),
  })
  .describe("Open a tier port to an outside network.");

const intents = <T extends z.ZodType>(item: T, description: string) =>
  z
    .array(item)
    .max(LIMITS.firewallIntents, { error: `must have at most ${LIMITS.firewallIntents} entries` })
    .optional()
    .describe(description);

/** Firewall intents of the environment: inbound traffic to a VM that no intent allows is dropped. */
export const FirewallSchema = z
  .strictObject({
    allow: intents(AllowIntentSchema, "Tier-to-tier traffic to allow. Default: none."),
    expose: intents(ExposeIntentSchema, "Tier ports to open to outside networks. Default: none."),
  })
  .describe("Firewall intents; inbound traffic no intent allows is dropped.");
