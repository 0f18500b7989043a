import { BlockList, isIP } from "node:net";

/**
 * Addresses an image fetch must not reach unless the operator allows it: loopback, link-local (cloud
 * metadata services live at 169.254.169.254 and fd00:ec2::254), private and shared ranges, and everything
 * that is not unicast on the public internet. Node's BlockList also matches IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) against the IPv4 rules; NAT64 and 6to4 addresses carry an IPv4 address inside them,
 * which `isPrivateAddress` unwraps and checks the same way.
 */
const IPV4_RANGES: readonly [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
];

const IPV6_RANGES: readonly [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // IPv4-compatible (deprecated)
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const blocked = new BlockList();
for (const [address, prefix] of IPV4_RANGES) {
  blocked.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of IPV6_RANGES) {
  blocked.addSubnet(address, prefix, "ipv6");
}

/** True for an address outside the public unicast internet (and for anything that is not an IP address). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) {
    return blocked.check(address, "ipv4");
  }
  if (family !== 6) {
    return true;
  }
  if (blocked.check(address, "ipv6")) {
    return true;
  }
  const embedded = embeddedIpv4(address);
  return embedded !== null && blocked.check(embedded, "ipv4");
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address, else null. */
function embeddedIpv4(address: string): string | null {
  const words = ipv6Words(address);
  if (words === null) {
    return null;
  }
  const quad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) {
    return quad(words[6]!, words[7]!);
  }
  if (words[0] === 0x2002) {
    return quad(words[1]!, words[2]!);
  }
  return null;
}

/** The eight 16-bit words of an IPv6 address (already known to be valid), a trailing dotted quad included. */
function ipv6Words(address: string): number[] | null {
  let text = address.split("%")[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((w) => Number.parseInt(w, 16)));
  const first = parse(head);
  if (tail === undefined) {
    return first.length === 8 ? first : null;
  }
  const last = parse(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}
