/**
 * Reads a request body within limits: the size as sent (checked from Content-Length and while streaming),
 * for gzip the size after decompression, so a small gzip bomb is refused without being inflated, and the
 * time it takes to arrive, so a body trickled a byte at a time does not hold a connection for minutes.
 */
import { gunzip } from "node:zlib";
import { type HttpProblem, problem } from "./http-problem.ts";

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** The whole body must arrive within this many milliseconds of the handler asking for it; else 408. */
  bodyTimeoutMs?: number;
}

type ReadOutcome = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>> | "timeout";

async function readLimited(
  request: Request,
  maxBytes: number,
  timeoutMs: number | undefined,
): Promise<Uint8Array | HttpProblem> {
  const tooLarge = problem(413, "payload_too_large", `request body exceeds ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    return tooLarge;
  }
  if (request.body === null) {
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  // One deadline for the whole body: a per-read idle timeout would let a byte every second through.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    }
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const outcome: ReadOutcome = await Promise.race([reader.read(), deadline]);
      if (outcome === "timeout") {
        reader.cancel().catch(() => {});
        return problem(
          408,
          "request_timeout",
          `the request body did not arrive within ${(timeoutMs ?? 0) / 1000} s; send it again, faster`,
        );
      }
      if (outcome.done) {
        break;
      }
      total += outcome.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return tooLarge;
      }
      chunks.push(outcome.value);
    }
  } catch (error) {
    // The client went away or broke the framing mid-body: nothing to store, and nothing of ours failed.
    return problem(400, "bad_body", `the request body could not be read: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks, total);
}

function gunzipLimited(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array | HttpProblem> {
  return new Promise((resolve) => {
    gunzip(bytes, { maxOutputLength: maxBytes }, (error, result) => {
      if (!error) {
        resolve(result);
      } else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        resolve(problem(413, "payload_too_large", `decompressed body exceeds ${maxBytes} bytes`));
      } else {
        resolve(problem(400, "bad_encoding", `body is not valid gzip: ${error.message}`));
      }
    });
  });
}

/** The body as text: read within limits, gunzipped when Content-Encoding says gzip, decoded as UTF-8. */
export async function readBodyText(request: Request, limits: BodyLimits): Promise<string | HttpProblem> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    return problem(
      415,
      "unsupported_encoding",
      `Content-Encoding '${encoding}' is not supported; use gzip or none`,
    );
  }
  const raw = await readLimited(request, limits.maxBodyBytes, limits.bodyTimeoutMs);
  if (!(raw instanceof Uint8Array)) {
    return raw;
  }
  const bytes = encoding === "gzip" ? await gunzipLimited(raw, limits.maxDecompressedBytes) : raw;
  if (!(bytes instanceof Uint8Array)) {
    return bytes;
  }
  if (bytes.byteLength > limits.maxDecompressedBytes) {
    return problem(413, "payload_too_large", `body exceeds ${limits.maxDecompressedBytes} bytes`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return problem(400, "bad_encoding", "body is not valid UTF-8");
  }
}
