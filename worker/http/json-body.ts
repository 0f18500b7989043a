import type { Context } from "hono";
import { z } from "zod";
import { ApiError } from "../../models/contracts/index.ts";
import type { EdgeContext } from "./edge-context.ts";
import { readBoundedJson } from "./read-bounded-json.ts";

/**
 * Reads a JSON body of at most `maxBytes` (counted while streaming, so a chunked body cannot
 * exceed it) and validates it. Throws an ApiError the app's onError answers: 413 past the limit, 408
 * when it takes longer than BODY_TIMEOUT_SECONDS to arrive, 400 for malformed JSON or a body the
 * schema refuses (with the schema's message).
 */
export async function readJsonBody<T>(
  c: Context<EdgeContext>,
  schema: z.ZodType<T>,
  maxBytes: number,
): Promise<T> {
  const body = await readBoundedJson(c.req.raw, {
    maxBytes,
    timeoutMs: c.var.state.settings.BODY_TIMEOUT_SECONDS * 1000,
  });
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(400, "invalid_body", z.prettifyError(parsed.error));
  }
  return parsed.data;
}
