import { lookup } from "node:dns/promises";
import { open, realpath } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { extname, sep } from "node:path";
import { fileURLToPath } from "node:url";
// The accepted types and extensions are the ingestion contract's, so a stored image_url is one this reads.
import {
  IMAGE_CONTENT_TYPES,
  IMAGE_FILE_EXTENSIONS,
  type ImageContentType,
  imageContentType as knownImageType,
} from "../../../../models/contracts/index.ts";
import { isPrivateAddress } from "./private-addresses.ts";

export interface ImageFetchPolicy {
  /** largest image accepted, as sent; a larger one is refused before or while it arrives */
  maxBytes: number;
  /** the whole fetch (every redirect, headers and body) must finish in this time */
  timeoutMs: number;
  /** reach loopback, link-local and private addresses (an intranet image server); off by default */
  allowPrivateNetworks: boolean;
  /** the folder `file:` URLs must point inside (symlinks resolved); unset refuses every `file:` URL */
  fileRoot?: string;
  /** redirects followed, each one checked like the first URL */
  maxRedirects: number;
}

export const DEFAULT_IMAGE_FETCH_POLICY: ImageFetchPolicy = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 10_000,
  allowPrivateNetworks: false,
  maxRedirects: 3,
};

export type ImageFetchFailure =
  | "bad-url"
  | "scheme"
  | "private-address"
  | "dns"
  | "file-outside-root"
  | "too-large"
  | "timeout"
  | "content-type"
  | "http-status"
  | "network";

/** Why an image was not fetched; `reason` is what a run's report counts. */
export class ImageFetchError extends Error {
  readonly reason: ImageFetchFailure;
  constructor(reason: ImageFetchFailure, message: string) {
    super(message);
    this.name = "ImageFetchError";
    this.reason = reason;
  }
}

export interface FetchedImage {
  bytes: Uint8Array;
  contentType: ImageContentType;
  /** What an HTTP answer said about keeping the image (absent for `file:` and `data:`). */
  freshness?: ImageFreshness;
}

/** An HTTP image's validators and lifetime, from ETag, Last-Modified, Cache-Control and Expires. */
export interface ImageFreshness {
  etag?: string;
  lastModified?: string;
  /** seconds the answer may be reused without asking again (max-age, or Expires − Date); 0 for no-cache */
  maxAgeSeconds?: number;
  /** Cache-Control: no-store: the URL's answer must not be kept */
  noStore: boolean;
}

/** A conditional fetch: the image, or word that it has not changed since the validators were given. */
export type ConditionalImage =
  | { changed: true; image: FetchedImage }
  | { changed: false; freshness: ImageFreshness };

/**
 * Fetches an item's image from an `http(s):`, `file:` or `data:` URL within the policy's limits. For HTTP the
 * host name is resolved first and the connection goes to that resolved, checked address (the request's
 * own lookup is pinned to it), so a DNS answer that changes between check and connect cannot reach a
 * private address.
 */
export async function fetchImage(
  url: string,
  policy: ImageFetchPolicy = DEFAULT_IMAGE_FETCH_POLICY,
): Promise<FetchedImage> {
  const result = await fetchImageIfChanged(url, policy, {});
  if (!result.changed) {
    throw new ImageFetchError("http-status", "answered 304 Not Modified to an unconditional request");
  }
  return result.image;
}

/**
 * fetchImage with HTTP validators from an earlier answer (If-None-Match, If-Modified-Since): a 304 comes
 * back as `changed: false` with the answer's freshness, without a body. `file:` and `data:` URLs are read.
 */
export async function fetchImageIfChanged(
  url: string,
  policy: ImageFetchPolicy,
  known: Pick<ImageFreshness, "etag" | "lastModified">,
): Promise<ConditionalImage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImageFetchError("bad-url", `not a URL: ${url.slice(0, 80)}`);
  }
  switch (parsed.protocol) {
    case "data:":
      return { changed: true, image: readDataUrl(parsed.href, policy) };
    case "file:":
      return { changed: true, image: await readFileUrl(parsed, policy) };
    case "http:":
    case "https:":
      return withDeadline(policy.timeoutMs, (signal) => fetchHttp(parsed, policy, signal, 0, known));
    default:
      throw new ImageFetchError(
        "scheme",
        `scheme ${parsed.protocol} is not fetched (http, https, file, data)`,
      );
  }
}

function imageContentType(value: string | undefined): ImageContentType {
  const known = knownImageType(value ?? "");
  if (known === undefined) {
    const type = (value ?? "").split(";")[0]!.trim().toLowerCase();
    throw new ImageFetchError(
      "content-type",
      `content type '${type || "none"}' is not an accepted image type`,
    );
  }
  return known;
}

function tooLarge(sizeBytes: number | string, policy: ImageFetchPolicy): ImageFetchError {
  return new ImageFetchError(
    "too-large",
    `image of ${sizeBytes} bytes exceeds the ${policy.maxBytes}-byte limit`,
  );
}

function readDataUrl(href: string, policy: ImageFetchPolicy): FetchedImage {
  const comma = href.indexOf(",");
  if (comma < 0) {
    throw new ImageFetchError("bad-url", "data: URL without a comma");
  }
  const header = href.slice(5, comma);
  const body = href.slice(comma + 1);
  const base64 = header.endsWith(";base64");
  // base64 decodes to 3 bytes per 4 characters: refuse a body too large before decoding it
  const estimate = base64 ? Math.floor((body.length * 3) / 4) : body.length;
  if (estimate > policy.maxBytes + 2) {
    throw tooLarge(`about ${estimate}`, policy);
  }
  const contentType = imageContentType(base64 ? header.slice(0, -7) : header);
  let bytes: Buffer;
  try {
    bytes = base64 ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "latin1");
  } catch {
    throw new ImageFetchError("bad-url", "data: URL with a malformed percent escape");
  }
  if (bytes.length > policy.maxBytes) {
    throw tooLarge(bytes.length, policy);
  }
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), contentType };
}

async function readFileUrl(url: URL, policy: ImageFetchPolicy): Promise<FetchedImage> {
  if (policy.fileRoot === undefined) {
    throw new ImageFetchError("file-outside-root", "file: URLs are refused: no image folder is configured");
  }
  let path: string;
  let root: string;
  try {
    root = await realpath(policy.fileRoot);
    path = await realpath(fileURLToPath(url));
  } catch (error) {
    throw new ImageFetchError("network", `cannot read ${url.pathname}: ${(error as Error).message}`);
  }
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new ImageFetchError("file-outside-root", `${url.pathname} is outside the configured image folder`);
  }
  const contentType = IMAGE_FILE_EXTENSIONS[extname(path).toLowerCase()];
  if (contentType === undefined) {
    throw new ImageFetchError("content-type", `${extname(path) || "no extension"} is not an image file type`);
  }
  const handle = await open(path, "r");
  try {
    const { size, isFile } = await handle.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) {
      throw new ImageFetchError("bad-url", `${url.pathname} is not a file`);
    }
    if (size > policy.maxBytes) {
      throw tooLarge(size, policy);
    }
    const bytes = new Uint8Array(size);
    await handle.read(bytes, 0, size, 0);
    return { bytes, contentType };
  } finally {
    await handle.close();
  }
}

async function withDeadline<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // the race also ends steps that take no signal (the DNS lookup) when the time is up
  const deadline = new Promise<never>((_, reject) =>
    controller.signal.addEventListener("abort", () => reject(new Error("deadline")), { once: true }),
  );
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const work = run(controller.signal);
  // a late failure of the abandoned work is nobody's to handle
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ImageFetchError("timeout", `image fetch took longer than ${timeoutMs} ms`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The address to connect to: the host resolved and checked (every address it resolves to, for IP literals the literal). */
async function checkedAddress(
  hostname: string,
  policy: ImageFetchPolicy,
): Promise<{ address: string; family: 4 | 6 }> {
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  let candidates: { address: string; family: number }[];
  if (isIP(bare) !== 0) {
    candidates = [{ address: bare, family: isIP(bare) }];
  } else {
    try {
      candidates = await lookup(bare, { all: true, verbatim: true });
    } catch (error) {
      throw new ImageFetchError("dns", `cannot resolve ${bare}: ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  // Any private answer refuses the host: a name that mixes public and private records is not an image CDN.
  const refused = policy.allowPrivateNetworks
    ? undefined
    : candidates.find((c) => isPrivateAddress(c.address));
  if (refused !== undefined || candidates.length === 0) {
    throw new ImageFetchError(
      "private-address",
      `${bare} resolves to ${refused?.address ?? "nothing"}, a loopback, link-local or private address`,
    );
  }
  const chosen = candidates[0]!;
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

async function fetchHttp(
  url: URL,
  policy: ImageFetchPolicy,
  signal: AbortSignal,
  redirects: number,
  known: Pick<ImageFreshness, "etag" | "lastModified">,
): Promise<ConditionalImage> {
  const { address, family } = await checkedAddress(url.hostname, policy);
  // The request resolves nothing itself: every lookup it makes answers with the checked address.
  const pinned = ((_host, options, callback) => {
    if (options.all) {
      callback(null, [{ address, family }]);
    } else {
      callback(null, address, family);
    }
  }) as LookupFunction;
  const options: RequestOptions = {
    method: "GET",
    lookup: pinned,
    signal,
    headers: {
      accept: IMAGE_CONTENT_TYPES.join(", "),
      "user-agent": "edgewise-origin/image-features",
      ...(known.etag === undefined ? {} : { "if-none-match": known.etag }),
      ...(known.lastModified === undefined ? {} : { "if-modified-since": known.lastModified }),
    },
  };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, options, resolve);
    req.on("error", (error) =>
      reject(signal.aborted ? error : new ImageFetchError("network", `${url.host}: ${error.message}`)),
    );
    req.end();
  });

  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400 && response.headers.location !== undefined) {
    response.resume();
    if (redirects >= policy.maxRedirects) {
      throw new ImageFetchError("http-status", `more than ${policy.maxRedirects} redirects`);
    }
    const next = new URL(response.headers.location, url);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new ImageFetchError("scheme", `redirect to ${next.protocol} refused`);
    }
    return fetchHttp(next, policy, signal, redirects + 1, known);
  }
  if (status === 304 && (known.etag !== undefined || known.lastModified !== undefined)) {
    response.resume();
    return { changed: false, freshness: freshnessOf(response) };
  }
  if (status !== 200) {
    response.resume();
    throw new ImageFetchError("http-status", `${url.host} answered ${status}`);
  }
  let contentType: FetchedImage["contentType"];
  try {
    contentType = imageContentType(response.headers["content-type"]);
    const declared = Number(response.headers["content-length"] ?? Number.NaN);
    if (declared > policy.maxBytes) {
      throw tooLarge(declared, policy);
    }
  } catch (error) {
    response.destroy();
    throw error;
  }
  const freshness = freshnessOf(response);
  return { changed: true, image: { bytes: await readLimited(response, policy), contentType, freshness } };
}

/** The answer's validators and lifetime (RFC 9111: max-age first, then Expires against Date). */
function freshnessOf(response: IncomingMessage): ImageFreshness {
  const header = (name: string) => {
    const value = response.headers[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const directives = (header("cache-control") ?? "")
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  const maxAge = directives.find((d) => d.startsWith("max-age="));
  let maxAgeSeconds: number | undefined;
  if (directives.includes("no-cache")) {
    maxAgeSeconds = 0;
  } else if (maxAge !== undefined && /^max-age=\d+$/.test(maxAge)) {
    maxAgeSeconds = Number(maxAge.slice(8));
  } else {
    const expires = Date.parse(header("expires") ?? "");
    const date = Date.parse(header("date") ?? "") || Date.now();
    if (Number.isFinite(expires)) {
      maxAgeSeconds = Math.max(0, Math.floor((expires - date) / 1000));
    }
  }
  const etag = header("etag");
  const lastModified = header("last-modified");
  return {
    ...(etag === undefined ? {} : { etag }),
    ...(lastModified === undefined ? {} : { lastModified }),
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    noStore: directives.includes("no-store"),
  };
}

/** The body, refused (and the connection dropped) as soon as it passes the limit, whatever Content-Length said. */
async function readLimited(response: IncomingMessage, policy: ImageFetchPolicy): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > policy.maxBytes) {
        throw tooLarge(`more than ${policy.maxBytes}`, policy);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    response.destroy();
    if (error instanceof ImageFetchError) {
      throw error;
    }
    throw new ImageFetchError("network", `body interrupted: ${(error as Error).message}`);
  }
  const body = Buffer.concat(chunks);
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}
