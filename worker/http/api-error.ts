import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error the edge returns has this shape: a stable code for programs, a message for people. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

export function apiError(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  return c.json({ error: { code, message } } satisfies ApiErrorBody, status);
}
