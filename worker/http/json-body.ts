import type { Context } from "hono";
import { z } from "zod";
import { apiError } from "./api-error.ts";

/**
 * Reads and validates a JSON body of at most `maxBytes`: 413 past the limit, 400 for malformed
 * JSON or a body the schema refuses (with the schema's message). Returns the parsed value or the
 * error response to send.
 */
export async function readJsonBody<T>(
  c: Context,
  schema: z.ZodType<T>,
  maxBytes: number,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > maxBytes) {
    return { ok: false, response: apiError(c, 413, "body_too_large", `the body exceeds ${maxBytes} bytes`) };
  }
  const text = await c.req.text();
  if (new TextEncoder().encode(text).length > maxBytes) {
    return { ok: false, response: apiError(c, 413, "body_too_large", `the body exceeds ${maxBytes} bytes`) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: apiError(c, 400, "malformed_json", "the body is not valid JSON") };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, response: apiError(c, 400, "invalid_body", z.prettifyError(parsed.error)) };
  }
  return { ok: true, value: parsed.data };
}
