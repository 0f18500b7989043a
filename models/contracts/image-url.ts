/**
 * Which `image_url`s an item record may carry: the ones the origin's image fetcher
 * (origin/train/enrichment/images/fetch-image.ts) would read, so a record is refused at the door rather
 * than stored and skipped by every training run. `http(s):` as any URL; `data:` carrying one of the raster
 * types the descriptors decode; `file:` only inside the folder the origin names in IMAGE_FILE_ROOT, with
 * an image file extension. The folder is compared by path here; the fetcher also resolves symlinks.
 */

/** The raster formats image features decode. SVG is left out: librsvg would follow references inside it. */
export const IMAGE_CONTENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
  "image/avif",
] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** A `file:` image's type, by its extension (lower-cased). */
export const IMAGE_FILE_EXTENSIONS: Readonly<Record<string, ImageContentType>> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".avif": "image/avif",
};

export const IMAGE_URL_LIMITS = {
  /** An http(s) or file URL. */
  urlChars: 2048,
  /** A whole `data:` URL: a thumbnail of about 190 KB in base64; larger images belong on a server. */
  dataUrlChars: 262_144,
} as const;

export interface ImageUrlRules {
  /** The absolute folder `file:` URLs must lie inside (the origin's IMAGE_FILE_ROOT); unset refuses them. */
  fileRoot?: string;
}

/** The accepted type an image MIME type names (parameters after `;` ignored), or undefined. */
export function imageContentType(value: string): ImageContentType | undefined {
  const type = value.split(";")[0]!.trim().toLowerCase();
  return IMAGE_CONTENT_TYPES.find((t) => t === type);
}

/** The lower-cased extension of a path's last segment, with its dot ("" when it has none). */
export function pathExtension(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

const BASE64_BODY = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Why an item's `image_url` would never be fetched, or null when it is one the fetcher reads. */
export function imageUrlProblem(value: string, rules: ImageUrlRules = {}): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === "data") {
    return dataUrlProblem(value);
  }
  if (value.length > IMAGE_URL_LIMITS.urlChars) {
    return `image_url is longer than ${IMAGE_URL_LIMITS.urlChars} characters`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "image_url is not a URL";
  }
  switch (url.protocol) {
    case "http:":
    case "https:":
      return url.hostname === "" ? "image_url has no host" : null;
    case "file:":
      return fileUrlProblem(url, rules);
    default:
      return `image_url must be an http(s), data: or file: URL, not ${url.protocol}`;
  }
}

function dataUrlProblem(value: string): string | null {
  if (value.length > IMAGE_URL_LIMITS.dataUrlChars) {
    return `a data: image_url is longer than ${IMAGE_URL_LIMITS.dataUrlChars} characters: put the image on a server`;
  }
  const comma = value.indexOf(",");
  if (comma < 0) {
    return "a data: image_url needs a comma before its data";
  }
  const header = value.slice(5, comma);
  const base64 = /;base64$/i.test(header);
  if (imageContentType(base64 ? header.slice(0, -7) : header) === undefined) {
    return `a data: image_url must carry one of ${IMAGE_CONTENT_TYPES.join(", ")}`;
  }
  const body = value.slice(comma + 1);
  if (base64 ? !BASE64_BODY.test(body) : !isPercentDecodable(body)) {
    return `a data: image_url's data is not valid ${base64 ? "base64" : "percent-encoding"}`;
  }
  return null;
}

function isPercentDecodable(body: string): boolean {
  try {
    decodeURIComponent(body);
    return true;
  } catch {
    return false;
  }
}

function fileUrlProblem(url: URL, rules: ImageUrlRules): string | null {
  if (rules.fileRoot === undefined) {
    return "file: image URLs are refused: the origin names no image folder (IMAGE_FILE_ROOT)";
  }
  if (url.hostname !== "" && url.hostname !== "localhost") {
    return "a file: image_url must name a local path (file:///…), not a host";
  }
  // An encoded "/" or NUL would make the decoded path differ from the one compared here.
  if (/%2f|%00|%5c/i.test(url.pathname)) {
    return "a file: image_url must not encode '/', '\\' or NUL";
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return "a file: image_url has a malformed percent escape";
  }
  const root = rules.fileRoot.endsWith("/") ? rules.fileRoot : `${rules.fileRoot}/`;
  if (!path.startsWith(root)) {
    return `a file: image_url must lie inside the image folder ${rules.fileRoot}`;
  }
  if (IMAGE_FILE_EXTENSIONS[pathExtension(path)] === undefined) {
    return `a file: image_url must end in ${Object.keys(IMAGE_FILE_EXTENSIONS).join(", ")}`;
  }
  return null;
}
