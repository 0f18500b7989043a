/**
 * The published bandit policies: one artifact (`bandit`) holding every surface's and experiment arm's
 * policy file by policy id. One artifact rather than one per surface, so a learning run publishes one new
 * version and the manifest grows by one entry whatever the number of surfaces; the edge parses it once
 * per version and inverts a policy's A only when a request first needs that policy.
 */
import { z } from "zod";
import { ARTIFACT_NAMES } from "../contracts/manifest.ts";
import { BanditPolicyFile } from "./policy-file.ts";

/** The manifest's artifact name of the bundle. */
export const BANDIT_ARTIFACT = ARTIFACT_NAMES.bandit;

export const BanditPolicyBundle = z
  .object({
    format: z.literal("edgewise.bandit-policies"),
    formatVersion: z.literal(1),
    /** By policy id (models/bandit/policy-id.ts). */
    policies: z.record(z.string(), BanditPolicyFile),
  })
  .refine((b) => Object.entries(b.policies).every(([id, file]) => id === file.id), {
    message: "each policy must be stored under its own id",
  });
export type BanditPolicyBundle = z.infer<typeof BanditPolicyBundle>;

export function encodePolicyBundle(files: readonly BanditPolicyFile[]): Uint8Array {
  const bundle: BanditPolicyBundle = {
    format: "edgewise.bandit-policies",
    formatVersion: 1,
    policies: Object.fromEntries(files.map((file) => [file.id, file])),
  };
  return new TextEncoder().encode(JSON.stringify(bundle));
}

/** Throws (a ZodError or a SyntaxError) when the bytes are not a valid bundle. */
export function decodePolicyBundle(bytes: Uint8Array): BanditPolicyBundle {
  return BanditPolicyBundle.parse(JSON.parse(new TextDecoder().decode(bytes)));
}
