/**
 * Pure IP address helpers for checks: parse IPv4/IPv6 literals (incl. `::ffff:a.b.c.d`),
 * CIDR containment, and the private-address test of CHECKS.md §2 (intro). No DNS here: the
 * collector resolves host names (KubeconfigInfo.serverAddresses); checks only classify.
 */

export interface IpAddress {
  readonly version: 4 | 6;
  /** 32-bit (v4) or 128-bit (v6) value. */
  readonly value: bigint;
}

export interface Cidr {
  readonly address: IpAddress;
  readonly prefix: number;
}

const V4_PART = /^(?:0|[1-9][0-9]{0,2})$/;

/** Dotted-quad IPv4 (`10.0.0.1`); no octal, hex or shortened forms. */
export function parseIPv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!V4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return { version: 4, value };
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** IPv6 text form (RFC 4291 §2.2) incl. `::` and a trailing dotted IPv4; a `%zone` is ignored. */
export function parseIPv6(text: string): IpAddress | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (s.length === 0 || !s.includes(':')) return undefined;

  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? '';
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else if (HEXTET.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 is only allowed at the very end.
  if (halves.length === 2 && (halves[0] ?? '').split(':').some((g) => g.includes('.'))) return undefined;

  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { version: 6, value };
}

/** An IPv4 or IPv6 literal; `[::1]` brackets are accepted. */
export function parseIp(text: string): IpAddress | undefined {
  const s = text.trim();
  const unbracketed = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  return parseIPv4(unbracketed) ?? parseIPv6(unbracketed);
}

export function isIpAddress(text: string): boolean {
  return parseIp(text) !== undefined;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** `::ffff:a.b.c.d` → the IPv4 address it carries; anything else unchanged. */
export function unmapIPv4(address: IpAddress): IpAddress {
  if (address.version === 6 && address.value >> 32n === 0xffffn) {
    return { version: 4, value: address.value - MAPPED_PREFIX };
  }
  return address;
}

/** `10.0.0.0/8`, `fc00::/7`; a bare address is a host route (/32, /128). */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const address = parseIp(slash >= 0 ? s.slice(0, slash) : s);
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  if (slash < 0) return { address, prefix: max };
  const prefixText = s.slice(slash + 1);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix };
}

/** True when `address` lies in `cidr`; an IPv4-mapped IPv6 address is compared as IPv4. */
export function cidrContains(cidr: Cidr | string, address: IpAddress | string): boolean {
  const range = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const parsed = typeof address === 'string' ? parseIp(address) : address;
  if (!range || !parsed) return false;
  const ip = unmapIPv4(parsed);
  const net = unmapIPv4(range.address);
  // A mapped network (`::ffff:10.0.0.0/104`) is an IPv4 network with 96 fewer prefix bits.
  const prefix = net.version === 4 && range.address.version === 6 ? Math.max(0, range.prefix - 96) : range.prefix;
  if (ip.version !== net.version) return false;
  const bits = ip.version === 4 ? 32 : 128;
  const shift = BigInt(bits - prefix);
  return ip.value >> shift === net.value >> shift;
}

/** CHECKS.md §2: the private ranges; anything else is public. */
export const PRIVATE_RANGES: readonly string[] = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16',
  '::1/128', 'fc00::/7', 'fe80::/10',
];
const PRIVATE_CIDRS: readonly Cidr[] = PRIVATE_RANGES.map((r) => parseCidr(r) as Cidr);

/** True for an IP literal inside one of PRIVATE_RANGES; false for public addresses and non-IPs. */
export function isPrivateAddress(text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && PRIVATE_CIDRS.some((cidr) => cidrContains(cidr, ip));
}

/** True for an IP literal outside PRIVATE_RANGES; false for private addresses and non-IPs (host names). */
export function isPublicAddress(text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && !PRIVATE_CIDRS.some((cidr) => cidrContains(cidr, ip));
}

/** A range that matches every address of its family (`0.0.0.0/0`, `::/0`): no restriction at all. */
export function isAnyAddressRange(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && (cidr.prefix === 0 || (cidr.address.version === 6 && unmapIPv4(cidr.address).version === 4 && cidr.prefix <= 96));
}

/** Host part of a URL or `host:port` (brackets of IPv6 literals removed). */
export function hostOf(server: string): string {
  const s = server.trim();
  try {
    const url = new URL(s.includes('://') ? s : `https://${s}`);
    return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  } catch {
    return s;
  }
}
