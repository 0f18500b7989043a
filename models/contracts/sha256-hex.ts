/**
 * The SHA-256 of bytes or of a string's UTF-8 as 64 lowercase hex digits: the form the manifest, the
 * publisher's unchanged-key metadata and API key records hold. Web Crypto, so it runs unchanged in Node
 * and in workerd.
 */
export async function sha256Hex(input: Uint8Array | string): Promise<string> {
  // slice() gives an ArrayBuffer-backed copy, the BufferSource Web Crypto's types accept.
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input.slice();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
