import type { Context } from "hono";
import { z } from "zod";
import { apiError } from "./api-error.ts";
import type { EdgeContext } from "./edge-context.ts";
import { readBoundedJson } from "./read-bounded-json.ts";

/**
 * Reads a JSON body of at most `maxBytes` (counted while streaming, so a chunked body cannot
 * exceed it) and validates it: 413 past the limit, 408 when it takes longer than
 * BODY_TIMEOUT_SECONDS to arrive, 400 for malformed JSON or a body the schema refuses (with the
 * schema's message). Returns the parsed value or the error response to send.
 */
export async function readJsonBody<T>(
  c: Context<EdgeContext>,
  schema: z.ZodType<T>,
  maxBytes: number,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const body = await readBoundedJson(c.req.raw, {
    maxBytes,
    timeoutMs: c.var.state.settings.BODY_TIMEOUT_SECONDS * 1000,
  });
  if (!body.ok) {
    return { ok: false, response: apiError(c, body.status, body.code, body.message) };
  }
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    return { ok: false, response: apiError(c, 400, "invalid_body", z.prettifyError(parsed.error)) };
  }
  return { ok: true, value: parsed.data };
}
