/**
 * IP addresses, CIDRs and IPv4 `a-b` ranges, once, on top of ipaddr.js. Two readers use it:
 * - NetworkAllowlist entries (`parseIpOrRange`): strict. A leading zero in an octet (`010.0.0.1`,
 *   octal to some parsers) and a zone id (`fe80::1%eth0`, local to one host) are errors; a prefix
 *   with a leading zero (`/024`) is accepted but reported as not canonical. IPv4-mapped IPv6
 *   (`::ffff:10.0.0.1`) covers the same address as `10.0.0.1`.
 * - The local KQL evaluator (the Kusto section at the end): Kusto's documented ipv4_* / ipv6_*
 *   semantics, where invalid input gives null.
 * Numbers are BigInt so IPv6 is exact. `canonical` is the text a `sentinel fix` would write.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface IpAddress {
  /** Family as written. */
  family: IpFamily;
  /** 32-bit (IPv4) or 128-bit (IPv6) value. */
  value: bigint;
  /** IPv6 zone id (`eth0` in `fe80::1%eth0`). */
  zone?: string;
  /** IPv4-mapped IPv6 (`::ffff:a.b.c.d`): the IPv4 address it stands for. */
  v4?: bigint;
  /** Dotted decimal, RFC 5952 for IPv6 (`::ffff:a.b.c.d` for mapped addresses, RFC 5952 §5); no zone. */
  canonical: string;
}

export type AddressResult = { ok: true; address: IpAddress } | { ok: false; error: string };

const DOTTED = /^\d+\.\d+\.\d+\.\d+$/;
const MAPPED_PREFIX = 0xffffn << 32n;

const bytesToBigInt = (bytes: number[]): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

/** The leading-zero error for `text`, when a dotted quad in it has an octet like `010`; undefined otherwise. */
function leadingZeroProblem(text: string): string | undefined {
  const fixed = text.replace(/\d+\.\d+\.\d+\.\d+/g, (quad) => {
    const octets = quad.split('.');
    return octets.every((o) => Number(o) <= 255) ? octets.map((o) => String(Number(o))).join('.') : quad;
  });
  return fixed === text ? undefined : `"${text}" has a leading zero in an octet, which some parsers read as octal; write ${fixed}`;
}

/** One IPv4 or IPv6 address, strictly: four-part decimal IPv4 without leading zeros; IPv6 with an optional zone id. */
export function parseAddress(raw: string): AddressResult {
  const text = raw.trim();
  const notAddress = { ok: false as const, error: `"${text}" is not an IPv4/IPv6 address` };
  const lz = leadingZeroProblem(text);
  if (lz) return { ok: false, error: lz };
  if (DOTTED.test(text)) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return notAddress;
    const v4 = ipaddr.IPv4.parse(text);
    return { ok: true, address: { family: 4, value: bytesToBigInt(v4.toByteArray()), canonical: v4.toString() } };
  }
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return notAddress;
  const embedded = /(\d+\.\d+\.\d+\.\d+)(%.*)?$/.exec(text);
  if (embedded && !ipaddr.IPv4.isValidFourPartDecimal(embedded[1]!)) return notAddress;
  const v6 = ipaddr.IPv6.parse(text);
  const value = bytesToBigInt(v6.toByteArray());
  const address: IpAddress = { family: 6, value, canonical: '' };
  if (v6.zoneId !== undefined) address.zone = v6.zoneId;
  if (v6.isIPv4MappedAddress()) {
    address.v4 = value & 0xffffffffn;
    address.canonical = `::ffff:${bigIntToIp(address.v4, 4)}`;
  } else {
    address.canonical = bigIntToIp(value, 6);
  }
  return { ok: true, address };
}

/** Value and family of an address (zone ids ignored, mapped addresses as IPv6); undefined when it is not one. */
export function ipToBigInt(ip: string): { family: IpFamily; value: bigint } | undefined {
  const r = parseAddress(ip);
  return r.ok ? { family: r.address.family, value: r.address.value } : undefined;
}

/** Canonical text of a value: dotted decimal, or RFC 5952 (lower case, longest zero run compressed). */
export function bigIntToIp(value: bigint, family: IpFamily): string {
  const n = family === 4 ? 4 : 16;
  const bytes = Array.from({ length: n }, (_, i) => Number((value >> BigInt((n - 1 - i) * 8)) & 0xffn));
  return family === 4 ? ipaddr.fromByteArray(bytes).toString() : (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/* ------------------------------------------------------------------ allowlist entries */

export interface IpEntry {
  kind: 'address' | 'cidr' | 'range';
  /** Family the entry matches in: 4 for IPv4 and for IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`). */
  family: IpFamily;
  /** First and last address covered (inclusive), in `family`. */
  first: bigint;
  last: bigint;
  /** CIDR only: the prefix had bits set past the prefix length (e.g. 10.0.0.1/8). */
  hostBitsSet?: boolean;
  /** Canonical text (network address for CIDRs). */
  canonical: string;
  /** Why the entry as written is not in canonical form, when that is worth telling (`/024`). */
  notCanonical?: string;
}

export type ParseResult = { ok: true; entry: IpEntry } | { ok: false; error: string };

const zoneError = (text: string, a: IpAddress): string =>
  `"${text}" has a zone id (%${a.zone}), which names a network interface on one host and never matches a logged address; write ${a.canonical}`;

/** A NetworkAllowlist entry: a single IPv4/IPv6 address, a CIDR, or an IPv4 `a-b` range. */
export function parseIpOrRange(raw: string): ParseResult {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'is empty' };
  const lz = leadingZeroProblem(text);
  if (lz) return { ok: false, error: lz };
  if (text.includes('/')) {
    const [addrText, prefixText, extra] = text.split('/') as [string, string, string | undefined];
    const r = parseAddress(addrText);
    if (!r.ok || extra !== undefined) return { ok: false, error: `"${text}" is not a CIDR: "${addrText}" is not an IP address` };
    const a = r.address;
    if (a.zone !== undefined) return { ok: false, error: zoneError(text, a) };
    const bits = a.family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, error: `"${text}" has an invalid prefix length /${prefixText}; use 0-${bits} for IPv${a.family}` };
    }
    const prefix = Number(prefixText);
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    const first = a.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
    const entry: IpEntry = {
      kind: 'cidr', family: a.family, first, last: first | hostMask,
      hostBitsSet: (a.value & hostMask) !== 0n,
      canonical: `${a.v4 !== undefined && prefix >= 96 ? `::ffff:${bigIntToIp(first & 0xffffffffn, 4)}` : bigIntToIp(first, a.family)}/${prefix}`,
    };
    if (a.v4 !== undefined && prefix >= 96) Object.assign(entry, { family: 4, first: first & 0xffffffffn, last: (first | hostMask) & 0xffffffffn });
    if (prefixText !== String(prefix)) entry.notCanonical = `prefix /${prefixText} has a leading zero; write /${prefix}`;
    return { ok: true, entry };
  }
  if (text.includes('-')) {
    const parts = text.split('-').map((s) => s.trim());
    const [aText, bText] = parts as [string, string | undefined];
    const lo = parseAddress(aText);
    const hi = parseAddress(bText ?? '');
    if (parts.length > 2 || !lo.ok || !hi.ok) return { ok: false, error: `"${text}" is not a range: write it as <first IPv4>-<last IPv4>` };
    if (lo.address.family !== 4 || hi.address.family !== 4) return { ok: false, error: `"${text}": a-b ranges are IPv4 only; use a CIDR for IPv6` };
    if (lo.address.value > hi.address.value) return { ok: false, error: `"${text}": range start ${aText} is after its end ${bText}` };
    return { ok: true, entry: { kind: 'range', family: 4, first: lo.address.value, last: hi.address.value, canonical: `${lo.address.canonical}-${hi.address.canonical}` } };
  }
  const r = parseAddress(text);
  if (!r.ok) return { ok: false, error: `"${text}" is not an IPv4/IPv6 address, CIDR or a-b range` };
  const a = r.address;
  if (a.zone !== undefined) return { ok: false, error: zoneError(text, a) };
  const [family, value] = a.v4 !== undefined ? [4 as const, a.v4] : [a.family, a.value];
  return { ok: true, entry: { kind: 'address', family, first: value, last: value, canonical: a.canonical } };
}

/**
 * The form `sentinel fix` writes for an allowlist entry that is valid once cleaned but not written
 * canonically: surrounding spaces, a zone id (`fe80::1%eth0`), leading zeros in octets (`010.0.0.1`,
 * read as decimal) or in a prefix (`/024`). Undefined when the entry is fine as written, or when it
 * is not an entry even when cleaned (that stays an error to fix by hand). A CIDR with host bits set
 * keeps its address: which network was meant is for a person to say.
 */
export function canonicalIpOrRange(raw: string): string | undefined {
  const first = parseIpOrRange(raw);
  if (first.ok && raw === first.entry.canonical) return undefined;
  if (first.ok && raw === raw.trim() && !first.entry.notCanonical) return undefined;
  const cleaned = raw.trim()
    .replace(/%[^/\s-]*/g, '')
    .replace(/\d+\.\d+\.\d+\.\d+/g, (quad) => quad.split('.').map((o) => String(Number(o))).join('.'))
    .replace(/\/0+(\d)/, '/$1');
  const r = parseIpOrRange(cleaned);
  if (!r.ok || r.entry.notCanonical) return undefined;
  const text = r.entry.hostBitsSet ? cleaned : r.entry.canonical;
  return text === raw ? undefined : text;
}

/** Whether entry `inner` lies entirely inside `outer` (same matching family). */
export function covers(outer: IpEntry, inner: IpEntry): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/* ------------------------------------------------------------------ Kusto semantics */
// learn.microsoft.com/kusto/query/ipv4-compare-function, ipv4-is-in-range-function,
// ipv4-is-in-any-range-function, ipv4-is-private-function, ipv6-compare-function, parse-ipv4-function:
// invalid input → null; IP-prefix notation `a.b.c.d/n`; IPv4 in the ipv6_* functions is mapped (::ffff:a.b.c.d).

/** Kusto's reading of dotted IPv4 text (decimal octets; zeros in front are decimal, not octal). */
export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const decimal = m.slice(1).map(Number).join('.');
  if (!ipaddr.IPv4.isValidFourPartDecimal(decimal)) return null;
  return Number(bytesToBigInt(ipaddr.IPv4.parse(decimal).toByteArray()));
}

/** `a.b.c.d[/prefix]` → address and prefix length (32 when absent). */
export function parseIPv4Prefix(text: string, extraPrefix?: number | null): { ip: number; prefix: number } | null {
  const [addr, p, ...rest] = text.trim().split('/');
  if (rest.length || addr === undefined) return null;
  const ip = parseIPv4(addr);
  if (ip === null) return null;
  let prefix = p === undefined ? 32 : /^\d{1,2}$/.test(p) ? Number(p) : NaN;
  if (!(prefix >= 0 && prefix <= 32)) return null;
  if (extraPrefix !== undefined && extraPrefix !== null) prefix = Math.min(prefix, extraPrefix);
  return { ip, prefix };
}

const mask4 = (ip: number, prefix: number): number => (prefix === 0 ? 0 : Math.floor(ip / 2 ** (32 - prefix)));

export function ipv4Compare(a: string, b: string, prefix?: number | null): number | null {
  if (prefix !== undefined && prefix !== null && !(prefix >= 0 && prefix <= 32)) return null;
  const x = parseIPv4Prefix(a, prefix);
  const y = parseIPv4Prefix(b, prefix);
  if (!x || !y) return null;
  const p = Math.min(x.prefix, y.prefix);
  const d = mask4(x.ip, p) - mask4(y.ip, p);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export function ipv4IsInRange(ip: string, range: string): boolean | null {
  const x = parseIPv4Prefix(ip);
  const r = parseIPv4Prefix(range);
  if (!x || !r || ip.includes('/')) return null;
  return mask4(x.ip, r.prefix) === mask4(r.ip, r.prefix);
}

export function ipv4IsInAnyRange(ip: string, ranges: string[]): boolean | null {
  if (parseIPv4(ip) === null) return null;
  let sawValid = false;
  for (const r of ranges) {
    const v = ipv4IsInRange(ip, r);
    if (v) return true;
    if (v !== null) sawValid = true;
  }
  return sawValid || ranges.length === 0 ? false : null;
}

/** The private ranges ipv4_is_private documents (RFC 1918). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

export function ipv4IsPrivate(ip: string): boolean | null {
  const x = parseIPv4Prefix(ip);
  if (!x) return null;
  return PRIVATE_RANGES.some((r) => ipv4IsInRange(ip.split('/')[0]!, r));
}

/** IPv6 (or IPv4, mapped to ::ffff:a.b.c.d) to a 128-bit bigint; zone ids are not addresses to Kusto. */
export function parseIPv6(text: string): bigint | null {
  const s = text.trim();
  const v4 = parseIPv4(s);
  if (v4 !== null) return MAPPED_PREFIX | BigInt(v4);
  if (s.includes('%')) return null;
  const r = parseAddress(s);
  return r.ok && r.address.family === 6 ? r.address.value : null;
}

function parseIPv6Prefix(text: string, extra?: number | null): { ip: bigint; prefix: number } | null {
  const [addr, p, ...rest] = text.trim().split('/');
  if (rest.length || addr === undefined) return null;
  const ip = parseIPv6(addr);
  if (ip === null) return null;
  const isV4 = parseIPv4(addr) !== null;
  let prefix = 128;
  if (p !== undefined) {
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p) + (isV4 ? 96 : 0);
    if (prefix > 128) return null;
  }
  if (extra !== undefined && extra !== null) prefix = Math.min(prefix, extra);
  return { ip, prefix };
}

const mask6 = (ip: bigint, prefix: number): bigint => (prefix === 0 ? 0n : ip >> BigInt(128 - prefix));

export function ipv6Compare(a: string, b: string, prefix?: number | null): number | null {
  if (prefix !== undefined && prefix !== null && !(prefix >= 0 && prefix <= 128)) return null;
  const x = parseIPv6Prefix(a, prefix);
  const y = parseIPv6Prefix(b, prefix);
  if (!x || !y) return null;
  const p = Math.min(x.prefix, y.prefix);
  const d = mask6(x.ip, p) - mask6(y.ip, p);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
