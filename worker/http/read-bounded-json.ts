/**
 * Reads a JSON request body within a size limit: refused from Content-Length when it declares too
 * much, and counted while streaming when it does not (chunked bodies), so an oversized body is never
 * held in memory whole.
 */
export type JsonBody =
  | { ok: true; value: unknown }
  | { ok: false; status: 400 | 413 | 415; code: string; message: string };

export async function readBoundedJson(request: Request, maxBytes: number): Promise<JsonBody> {
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
  const bytes = await readAtMost(request, maxBytes);
  if (bytes === null) {
    return tooLarge;
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

/** The body's bytes, or null as soon as they pass maxBytes. */
async function readAtMost(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (request.body === null) {
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
