import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { InternalNetwork } from './internal-network.js';

/**
 * The URL other gateways reach this one at: INTERNAL_URL when set, else this host's first non-loopback
 * address inside the internal network of the family it listens on (a wildcard listener), or the address
 * it listens on.
 */
export function internalUrl(configured: string | undefined, listening: AddressInfo, network: InternalNetwork): string {
  if (configured !== undefined) return configured;
  const wildcard = listening.address === '0.0.0.0' || listening.address === '::';
  const family = listening.address === '::' ? 'IPv6' : 'IPv4';
  const host = wildcard
    ? (Object.values(networkInterfaces())
        .flat()
        .find((nic) => nic !== undefined && !nic.internal && nic.family === family && network.allows(nic.address))
        ?.address ?? listening.address)
    : listening.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listening.port}`;
}
