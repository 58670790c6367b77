/**
 * IPv4/IPv6 functions with the semantics of Kusto's ipv4_* / ipv6_* functions: invalid input → null.
 */
import { ipToBigInt } from '../model/ip.ts';

export function parseIPv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
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

const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

export function ipv4IsPrivate(ip: string): boolean | null {
  const x = parseIPv4Prefix(ip);
  if (!x) return null;
  return privateRanges.some((r) => ipv4IsInRange(ip.split('/')[0]!, r));
}

/** IPv6 (or IPv4, mapped to ::ffff:a.b.c.d) to a 128-bit bigint. */
export function parseIPv6(text: string): bigint | null {
  const s = text.trim();
  const v4 = parseIPv4(s);
  if (v4 !== null) return (0xffffn << 32n) | BigInt(v4);
  // Zone ids (fe80::1%eth0) are not addresses to Kusto.
  if (s.includes('%')) return null;
  const ip = ipToBigInt(s);
  return ip?.family === 6 ? ip.value : null;
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
