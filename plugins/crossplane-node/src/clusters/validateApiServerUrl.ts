import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses that are not public unicast: loopback, private, link-local,
 * shared, multicast, documentation and other reserved ranges, and IPv6's
 * equivalents (IPv4-mapped addresses included, whatever they map to).
 */
const NON_PUBLIC_V4 = new BlockList();
// Apart: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules.
const NON_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC_V4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

function isNonPublic(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4
    ? NON_PUBLIC_V4.check(address, 'ipv4')
    : NON_PUBLIC_V6.check(address, 'ipv6');
}

function matches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase();
  const wanted = pattern.toLowerCase();
  if (wanted.startsWith('*.')) {
    return host.endsWith(wanted.slice(1)) || host === wanted.slice(2);
  }
  return host === wanted;
}

/**
 * Options of a catalog locator (`kubernetes.clusterLocatorMethods[]` of
 * `type: catalog`), named as Backstage's kubernetes plugin names them.
 */
export interface CatalogLocatorOptions {
  /** Hostnames (`*.example.com` patterns) exempt from the URL checks. */
  dangerouslyAllowClusterUrls?: string[];
  /** Honour an entity's `kubernetes.io/skip-tls-verify: "true"`. */
  dangerouslyAllowSkipTLSVerify?: boolean;
}

/**
 * Checks an API server URL that came from a catalog entity, which anyone who
 * may register entities writes: an `https` URL without credentials whose
 * host is (and resolves only to) public addresses, unless the host is
 * explicitly allowed. The same rules as Backstage's kubernetes plugin, so
 * that a cluster it refuses is refused here too. Throws an Error saying why.
 */
export async function validateApiServerUrl(
  apiServerUrl: string | undefined,
  options: CatalogLocatorOptions,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(apiServerUrl ?? '');
  } catch {
    throw new Error('is not a valid URL');
  }
  if (url.username || url.password) {
    throw new Error('must not contain credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('must use the HTTP or HTTPS scheme');
  }
  // URL keeps IPv6 literals in brackets.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = (options.dangerouslyAllowClusterUrls ?? []).some(pattern =>
    matches(hostname, pattern),
  );
  if (allowed) return url;
  if (url.protocol !== 'https:') {
    throw new Error('must use the HTTPS scheme');
  }
  if (isIP(hostname)) {
    if (isNonPublic(hostname)) {
      throw new Error('must not use a non-public IP address');
    }
    return url;
  }
  const addresses = await lookup(hostname, { all: true });
  if (addresses.some(({ address }) => isNonPublic(address))) {
    throw new Error(`hostname "${hostname}" resolves to a non-public address`);
  }
  return url;
}
