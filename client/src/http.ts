import { isRetryableStatus, type ResolvedRetry, retryDelayMs, sleep } from "./retry.ts";

/** A non-2xx answer, with the server's error code and message when it sent them. */
export class EdgewiseError extends Error {
  override readonly name = "EdgewiseError";
  readonly status: number;
  readonly code: string;
  /** The parsed body, for answers that carry more than the error (422 from POST /events). */
  readonly body: unknown;
  /** How many times the request was sent. */
  readonly attempts: number;

  constructor(status: number, code: string, message: string, body: unknown, attempts: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
    this.attempts = attempts;
  }
}

export interface JsonRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Whether sending it twice does no harm: only then is it retried. */
  idempotent: boolean;
  signal?: AbortSignal;
  keepalive?: boolean;
}

export interface Transport {
  fetch: typeof fetch;
  retry: ResolvedRetry;
}

/**
 * Sends a JSON request and parses the JSON answer; an idempotent request is sent again after a network
 * failure, 429 or 5xx (see retry.ts), never after another 4xx. Throws EdgewiseError for a non-2xx answer
 * and the last network error when every attempt failed to connect.
 */
export async function requestJson<T>(transport: Transport, request: JsonRequest): Promise<T> {
  const maxAttempts = request.idempotent ? transport.retry.retries + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await transport.fetch(request.url, {
        method: request.method,
        headers:
          request.body === undefined
            ? request.headers
            : { "content-type": "application/json", ...request.headers },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.keepalive ? { keepalive: true } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted || attempt >= maxAttempts) {
        throw error;
      }
      await wait(transport, request, attempt, null, null);
      continue;
    }
    if (response.ok) {
      return (await response.json()) as T;
    }
    if (attempt < maxAttempts && isRetryableStatus(response.status)) {
      // The body is not needed; cancelling it frees the connection for the next attempt.
      await response.body?.cancel();
      await wait(transport, request, attempt, response.status, response.headers.get("retry-after"));
      continue;
    }
    throw await errorOf(response, attempt);
  }
}

function wait(
  transport: Transport,
  request: JsonRequest,
  attempt: number,
  status: number | null,
  retryAfter: string | null,
): Promise<void> {
  const delayMs = retryDelayMs(attempt - 1, transport.retry, retryAfter);
  transport.retry.onRetry({ url: request.url, attempt, delayMs, status, retryAfter });
  return sleep(delayMs, request.signal);
}

async function errorOf(response: Response, attempts: number): Promise<EdgewiseError> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page): the text itself is the message.
  }
  // Both services answer {error: {code, message}} (models/contracts/api-error.ts); anything else (a
  // proxy's page) is named by its status and text.
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `http_${response.status}`;
  const message =
    typeof error?.message === "string" ? error.message : text.slice(0, 200) || response.statusText;
  return new EdgewiseError(response.status, code, `${response.status} ${code}: ${message}`, body, attempts);
}
