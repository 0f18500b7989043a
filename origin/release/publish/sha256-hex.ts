/** The SHA-256 of some bytes as 64 lowercase hex digits, the form the manifest and the edge compare. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // slice() gives an ArrayBuffer-backed copy, which is what WebCrypto accepts.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice()));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
