/**
 * Reads a JSON request body within a size limit and a time limit (the shared bounded read,
 * models/http/read-bounded-body.ts: 413 past the limit, 408 when it is still arriving after
 * `timeoutMs`), then decodes it. Throws an ApiError for a body it refuses, which the app's onError
 * answers.
 */
import { ApiError } from "../../models/contracts/index.ts";
import { readBoundedBody } from "../../models/http/read-bounded-body.ts";

export interface BodyLimits {
  maxBytes: number;
  /** From the handler's first read of the body to its last byte. */
  timeoutMs: number;
}

export async function readBoundedJson(request: Request, limits: BodyLimits): Promise<unknown> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    throw new ApiError(
      415,
      "unsupported_encoding",
      `Content-Encoding '${encoding}' is not supported; send the JSON uncompressed`,
    );
  }
  const bytes = await readBoundedBody(request, limits);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError(400, "malformed_json", "the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${reason}`);
  }
}
