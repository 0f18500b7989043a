/**
 * Reads a Web-standard request body within a size and a time limit, in Node and in workerd alike:
 * refused from Content-Length when it declares too much and counted while streaming when it does not
 * (chunked bodies), so an oversized body is never held whole; and cut off when it has not all arrived
 * `timeoutMs` after the first read, so a body trickled a byte at a time does not hold a request for
 * minutes. Throws an ApiError: 413 body_too_large, 408 body_timeout, 400 bad_body.
 */
import { ApiError } from "../contracts/api-error.ts";

export interface BodyReadLimits {
  maxBytes: number;
  /** The whole body must arrive within this many milliseconds of the first read; none when absent. */
  timeoutMs?: number;
}

export async function readBoundedBody(request: Request, limits: BodyReadLimits): Promise<Uint8Array> {
  const { maxBytes, timeoutMs } = limits;
  const tooLarge = () => new ApiError(413, "body_too_large", `the request body exceeds ${maxBytes} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) {
    throw tooLarge();
  }
  if (request.body === null) {
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  // One deadline for the whole body: a per-read idle timeout would let a byte every second through.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    }
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === "timeout") {
        // Not awaited: the client may never send the rest, and cancelling needs nothing from it.
        reader.cancel().catch(() => {});
        throw new ApiError(
          408,
          "body_timeout",
          `the request body did not arrive within ${(timeoutMs ?? 0) / 1000} s; send it again, faster`,
        );
      }
      if (next.done) {
        break;
      }
      total += next.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(next.value);
    }
  } catch (error) {
    if (error instanceof ApiError) {
      throw error;
    }
    // The client went away or broke the framing mid-body: nothing to store, and nothing of ours failed.
    throw new ApiError(400, "bad_body", `the request body could not be read: ${(error as Error).message}`);
  } finally {
    if (timer !== undefined) {
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
