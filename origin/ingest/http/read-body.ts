/**
 * Reads a request body within limits: the size as sent and the time it takes to arrive (the shared
 * bounded read, models/http/read-bounded-body.ts), and for gzip the size after decompression, so a
 * small gzip bomb is refused without being inflated. Throws an ApiError for a body it refuses.
 */
import { gunzip } from "node:zlib";
import { ApiError } from "../../../models/contracts/index.ts";
import { readBoundedBody } from "../../../models/http/read-bounded-body.ts";

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** The whole body must arrive within this many milliseconds of the handler asking for it; else 408. */
  bodyTimeoutMs?: number;
}

function gunzipLimited(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: maxBytes }, (error, result) => {
      if (!error) {
        resolve(result);
      } else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        reject(new ApiError(413, "body_too_large", `decompressed body exceeds ${maxBytes} bytes`));
      } else {
        reject(new ApiError(400, "bad_encoding", `body is not valid gzip: ${error.message}`));
      }
    });
  });
}

/** The body as text: read within limits, gunzipped when Content-Encoding says gzip, decoded as UTF-8. */
export async function readBodyText(request: Request, limits: BodyLimits): Promise<string> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(
      415,
      "unsupported_encoding",
      `Content-Encoding '${encoding}' is not supported; use gzip or none`,
    );
  }
  const raw = await readBoundedBody(request, {
    maxBytes: limits.maxBodyBytes,
    ...(limits.bodyTimeoutMs === undefined ? {} : { timeoutMs: limits.bodyTimeoutMs }),
  });
  const bytes = encoding === "gzip" ? await gunzipLimited(raw, limits.maxDecompressedBytes) : raw;
  if (bytes.byteLength > limits.maxDecompressedBytes) {
    throw new ApiError(413, "body_too_large", `body exceeds ${limits.maxDecompressedBytes} bytes`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "bad_encoding", "body is not valid UTF-8");
  }
}
