import { lookup as resolve } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Loopback, the RFC 1918 ranges and IPv6 unique local addresses (Railway's private network among them). */
export const PRIVATE_NETWORK = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7'];

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** `10.0.0.0/8` → its parts; throws saying what is wrong. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', bits, ...rest] = cidr.split('/');
  const prefix = Number(bits);
  const max = isIP(address) === 6 ? 128 : 32;
  if (isIP(address) === 0 || rest.length > 0 || !/^\d{1,3}$/.test(bits ?? '') || prefix > max) {
    throw new Error(`"${cidr}" is not an address block such as 10.0.0.0/8 or fc00::/7`);
  }
  return { address, prefix, family: familyOf(address) };
}

/**
 * Where gateways may forward a client's requests, its token with them (INTERNAL_NETWORK). Peers' URLs
 * come from Redis, and whoever can write there could otherwise send them anywhere: a URL is taken only
 * as an http or https origin whose host is inside the network, by address or once resolved.
 */
export class InternalNetwork {
  readonly #blocks = new BlockList();

  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const { address, prefix, family } = parseCidr(cidr);
      this.#blocks.addSubnet(address, prefix, family);
    }
  }

  allows(address: string): boolean {
    return isIP(address) !== 0 && this.#blocks.check(address, familyOf(address));
  }

  /** The origin a peer's `url` may be forwarded to, or why it may not. */
  originOf(url: string): { origin: string } | { refused: string } {
    const parsed = URL.parse(url);
    if (parsed === null) return { refused: 'not a URL' };
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { refused: `${parsed.protocol} is not http: or https:` };
    }
    if (parsed.username !== '' || parsed.password !== '' || parsed.pathname !== '/' || parsed.search || parsed.hash) {
      return { refused: 'not an origin (scheme://host:port, nothing more)' };
    }
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0 && !this.allows(host)) return { refused: `${host} is outside INTERNAL_NETWORK` };
    return { origin: parsed.origin };
  }

  /** Resolves like `dns.lookup`, but a name with an address outside the network fails to connect. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, '', 0);
      const outside = addresses.find(({ address }) => !this.allows(address));
      if (outside !== undefined || addresses.length === 0) {
        const refused = new Error(`${hostname} resolves to ${outside?.address ?? 'nothing'}, outside INTERNAL_NETWORK`);
        return callback(Object.assign(refused, { code: 'ERR_OUTSIDE_INTERNAL_NETWORK' }), '', 0);
      }
      if (options.all === true) return (callback as (err: null, all: typeof addresses) => void)(null, addresses);
      const [first] = addresses as [(typeof addresses)[number]];
      callback(null, first.address, first.family);
    });
  };
}
