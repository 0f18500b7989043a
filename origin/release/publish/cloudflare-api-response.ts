/**
 * The Cloudflare API's JSON envelope (`{ success, errors, result, result_info }`) and the results the
 * KV writer reads from it, parsed at the boundary.
 */
import { z } from "zod";

export const ApiEnvelope = z.object({
  success: z.boolean(),
  errors: z.array(z.object({ code: z.number(), message: z.string() })).default([]),
  result: z.unknown(),
  result_info: z.object({ cursor: z.string().nullish() }).nullish(),
});
export type ApiEnvelope = z.infer<typeof ApiEnvelope>;
export const BulkResult = z.object({ unsuccessful_keys: z.array(z.string()).nullish() }).nullish();
export const KeyList = z.array(
  z.object({ name: z.string(), expiration: z.number().optional(), metadata: z.unknown().optional() }),
);

/** A 4xx other than 429: retrying the same request cannot help. */
export class ApiRejection extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function readEnvelope(response: Response): Promise<ApiEnvelope> {
  const text = await response.text();
  const parsed = ApiEnvelope.safeParse(safeJson(text));
  if (!response.ok || !parsed.success || !parsed.data.success) {
    throw new ApiRejection(response.status, `HTTP ${response.status}: ${describeApiErrors(text)}`);
  }
  return parsed.data;
}

/** The API's `errors` as "code message; …", or the start of the body when it is not the JSON envelope. */
export function describeApiErrors(text: string): string {
  const parsed = ApiEnvelope.safeParse(safeJson(text));
  if (parsed.success && parsed.data.errors.length > 0) {
    return parsed.data.errors.map((error) => `${error.code} ${error.message}`).join("; ");
  }
  return text.slice(0, 300) || "(empty body)";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
