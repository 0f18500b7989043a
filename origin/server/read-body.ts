/**
 * Reads a request body within limits: the size as sent (checked from Content-Length and while streaming)
 * and, for gzip, the size after decompression, so a small gzip bomb is refused without being inflated.
 */
import { gunzip } from "node:zlib";
import { type HttpProblem, problem } from "./http-problem.ts";

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | HttpProblem> {
  const tooLarge = problem(413, "payload_too_large", `request body exceeds ${maxBytes} bytes`);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    return tooLarge;
  }
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
      return tooLarge;
    }
    chunks.push(value);
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
  const raw = await readLimited(request, limits.maxBodyBytes);
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
