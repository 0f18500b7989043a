/** Bytes as standard base64 with the Web-standard `btoa`, which Node and workerd both have. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  // String.fromCharCode takes its arguments on the stack: feed it chunks, not a megabyte at once.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
