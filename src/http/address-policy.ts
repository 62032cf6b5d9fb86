import dns from 'node:dns';
import net from 'node:net';
import { Agent } from 'undici';

/**
 * Upstream URLs come from people (Arrow settings) and operators (WALDUR_API_URL): unless
 * ALLOW_PRIVATE_UPSTREAMS says otherwise, the gateway connects to none on loopback, private,
 * link-local or otherwise non-public addresses, whatever spelling the URL used (`2130706433`,
 * `0x7f.1`: the URL parser writes them as 127.0.0.1) and whatever a name resolves to at the
 * moment of connecting (so a DNS answer that changes after a check cannot slip through).
 */
export class PrivateAddressRefused extends Error {
  override name = 'PrivateAddressRefused';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host === address ? host : `${host} (${address})`} is a loopback, private or link-local address, which the gateway does not call (ALLOW_PRIVATE_UPSTREAMS=true allows it)`);
  }
}

const V4_PRIVATE: [number, number][] = [
  [0x00000000, 8], // "this" network
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10, carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata services)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // benchmarking
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Whether an IP address is anything but a public unicast one. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (net.isIPv4(bare)) {
    const n = v4Number(bare);
    return V4_PRIVATE.some(([base, bits]) => n >>> (32 - bits) === base >>> (32 - bits));
  }
  if (!net.isIPv6(bare)) return false;
  const lower = bare.toLowerCase();
  const mapped = lower.match(/^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/) ?? lower.match(/^::(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const hex = lower.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (hex) return isPrivateAddress([parseInt(hex[1]!, 16) >> 8, parseInt(hex[1]!, 16) & 255, parseInt(hex[2]!, 16) >> 8, parseInt(hex[2]!, 16) & 255].join('.'));
  if (lower === '::' || lower === '::1') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 /* unique local */ || (first & 0xffc0) === 0xfe80 /* link-local */ || (first & 0xff00) === 0xff00 /* multicast */;
}

/** Refuses a URL whose host is written as a private address (names are checked when connecting). */
export function checkUrlAddress(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && isPrivateAddress(host)) throw new PrivateAddressRefused(host, host);
  if (host === 'localhost' || host.endsWith('.localhost')) throw new PrivateAddressRefused(host, '127.0.0.1');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that fails for a name resolving to any private address. */
function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback) {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) return callback(new PrivateAddressRefused(hostname, refused.address) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

let agent: Agent | undefined;
/** The connection pool whose every connection goes to a public address only. */
export function publicOnlyDispatcher(): Agent {
  return (agent ??= new Agent({ connect: { lookup: publicOnlyLookup as never } }));
}
export const publicOnlyLookupForTests = publicOnlyLookup;
