/**
 * Reads a JSON request body within a size limit and a time limit: refused from Content-Length when it
 * declares too much, and counted while streaming when it does not (chunked bodies), so an oversized
 * body is never held in memory whole; a body still arriving after `timeoutMs` (a client trickling it
 * byte by byte holds the request, and its memory, for as long as it likes otherwise) is cut off with
 * a 408.
 */
export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 408 | 413 | 415; code: string; message: string };

export interface BodyLimits {
  maxBytes: number;
  /** From the handler's first read of the body to its last byte. */
  timeoutMs: number;
}

export async function readBoundedJson(request: Request, limits: BodyLimits): Promise<JsonBody> {
  const { maxBytes, timeoutMs } = limits;
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    return {
      ok: false,
      status: 415,
      code: "unsupported_encoding",
      message: `Content-Encoding '${encoding}' is not supported; send the JSON uncompressed`,
    };
  }
  const tooLarge = {
    ok: false,
    status: 413,
    code: "body_too_large",
    message: `the request body exceeds ${maxBytes} bytes`,
  } as const;
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    return tooLarge;
  }
  const bytes = await readAtMost(request, maxBytes, timeoutMs);
  if (bytes === "too_large") {
    return tooLarge;
  }
  if (bytes === "timeout") {
    return {
      ok: false,
      status: 408,
      code: "body_timeout",
      message: `the request body did not arrive within ${timeoutMs / 1000} seconds`,
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { ok: false, status: 400, code: "malformed_json", message: "the body is not valid UTF-8" };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 400,
      code: "malformed_json",
      message: `the body is not valid JSON: ${reason}`,
    };
  }
}

/** The body's bytes, or why not: more than maxBytes, or not all there within timeoutMs. */
async function readAtMost(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | "too_large" | "timeout"> {
  if (request.body === null) {
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === "timeout") {
        // Not awaited: the client may never send the rest, and cancelling needs nothing from it.
        reader.cancel().catch(() => {});
        return "timeout";
      }
      if (next.done) {
        break;
      }
      total += next.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return "too_large";
      }
      chunks.push(next.value);
    }
  } finally {
    if (timer !== null) {
      clearTimeout(timer);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
