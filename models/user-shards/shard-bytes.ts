/**
 * A shard's KV value is its text compressed with raw DEFLATE (RFC 1951): users' records repeat their keys,
 * item ids and base64 alphabet, so a shard of 32 KiB holds about 2.5 times the users it would hold as text.
 * The publisher compresses with Node's zlib (deflateRawSync); this side uses DecompressionStream, which
 * both workerd and Node provide, so the edge and the tests read shards with the same code.
 */

/** The shard's text, or the reason the bytes are not a compressed shard. */
export async function inflateUserShard(bytes: Uint8Array): Promise<{ text: string } | { error: string }> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("deflate-raw"));
    return { text: await new Response(stream).text() };
  } catch (error) {
    return { error: `not raw DEFLATE: ${error instanceof Error ? error.message : String(error)}` };
  }
}
