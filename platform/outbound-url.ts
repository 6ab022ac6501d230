import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/**
 * Where the platform may send requests on a user's say (webhook endpoints): never to itself or its
 * network. A URL is refused when its host, after DNS resolution, has ANY address that is loopback,
 * unspecified, private, shared (CGNAT), link-local (cloud metadata at 169.254.169.254), multicast or
 * reserved. Checked at registration and again before every delivery, since DNS can change between
 * the two (rebinding). OUTBOUND_ALLOW_PRIVATE_NETWORKS (development, tests) lets private addresses through.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (CGNAT; some clouds' metadata)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (embeds an IPv4 address)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (AWS metadata fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Why `address` (an IP literal) may not be called, or undefined when it is a public address. */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  // IPv4-mapped IPv6 (::ffff:127.0.0.1, or ::ffff:7f00:1 as the URL parser writes it) is the IPv4 address.
  const dotted = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (dotted) return forbiddenAddressReason(dotted);
  const hex = family === 6 ? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) : null;
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return forbiddenAddressReason(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6') ? `resolves to ${address}, a loopback, private, link-local or reserved address` : undefined;
}

export type OutboundCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

export interface OutboundOptions {
  /** OUTBOUND_ALLOW_PRIVATE_NETWORKS: development and tests call receivers on loopback. */
  allowPrivate: boolean;
  /** Resolver (tests); default: the system's, every address. */
  resolve?: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Resolves the URL's host and checks every address it has (see the file comment). */
export async function checkOutboundUrl(url: string, options: OutboundOptions): Promise<OutboundCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: 'must be http(s)' };
  if (parsed.username || parsed.password) return { ok: false, reason: 'must not carry credentials' };
  // The WHATWG parser already turned `2130706433`, `0x7f.1` and friends into dotted IPv4.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch {
      return { ok: false, reason: `host ${host} does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve` };
  }
  if (!options.allowPrivate) {
    for (const address of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) return { ok: false, reason: `host ${host} ${reason}` };
    }
  }
  return { ok: true, addresses };
}
