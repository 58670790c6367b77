/**
 * Parsing of NetworkAllowlist entries: a single IPv4/IPv6 address, a CIDR, or an IPv4 `a-b` range.
 * Pure; numbers are BigInt so IPv6 is exact.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface IpEntry {
  kind: 'address' | 'cidr' | 'range';
  family: IpFamily;
  /** First and last address covered (inclusive). */
  first: bigint;
  last: bigint;
  /** CIDR only: the prefix had bits set past the prefix length (e.g. 10.0.0.1/8). */
  hostBitsSet?: boolean;
  /** Canonical text (network address for CIDRs). */
  canonical: string;
}

export type ParseResult = { ok: true; entry: IpEntry } | { ok: false; error: string };

export function ipToBigInt(ip: string): { family: IpFamily; value: bigint } | undefined {
  if (isIPv4(ip)) {
    return { family: 4, value: ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  }
  if (!isIPv6(ip)) return undefined;
  let text = ip.replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipToBigInt(v4[1]!)!.value;
    text = text.slice(0, -v4[1]!.length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return { family: 6, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function bigIntToIp(value: bigint, family: IpFamily): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run of zero groups (length ≥ 2).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function parseIpOrRange(raw: string): ParseResult {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'is empty' };
  if (text.includes('/')) {
    const [addr, prefixText, extra] = text.split('/');
    const ip = ipToBigInt(addr!);
    if (!ip || extra !== undefined) return { ok: false, error: `"${text}" is not a CIDR: "${addr}" is not an IP address` };
    const bits = ip.family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText ?? '') || Number(prefixText) > bits) {
      return { ok: false, error: `"${text}" has an invalid prefix length /${prefixText}; use 0-${bits} for IPv${ip.family}` };
    }
    const prefix = BigInt(Number(prefixText));
    const hostMask = (1n << (BigInt(bits) - prefix)) - 1n;
    const first = ip.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
    return {
      ok: true,
      entry: {
        kind: 'cidr', family: ip.family, first, last: first | hostMask,
        hostBitsSet: (ip.value & hostMask) !== 0n,
        canonical: `${bigIntToIp(first, ip.family)}/${prefix}`,
      },
    };
  }
  if (text.includes('-')) {
    const [a, b, extra] = text.split('-').map((s) => s.trim());
    const lo = ipToBigInt(a!);
    const hi = ipToBigInt(b ?? '');
    if (extra !== undefined || !lo || !hi) return { ok: false, error: `"${text}" is not a range: write it as <first IPv4>-<last IPv4>` };
    if (lo.family !== 4 || hi.family !== 4) return { ok: false, error: `"${text}": a-b ranges are IPv4 only; use a CIDR for IPv6` };
    if (lo.value > hi.value) return { ok: false, error: `"${text}": range start ${a} is after its end ${b}` };
    return { ok: true, entry: { kind: 'range', family: 4, first: lo.value, last: hi.value, canonical: `${a}-${b}` } };
  }
  const ip = ipToBigInt(text);
  if (!ip) return { ok: false, error: `"${text}" is not an IPv4/IPv6 address, CIDR or a-b range` };
  return { ok: true, entry: { kind: 'address', family: ip.family, first: ip.value, last: ip.value, canonical: bigIntToIp(ip.value, ip.family) } };
}

/** Whether entry `inner` lies entirely inside `outer` (same family). */
export function covers(outer: IpEntry, inner: IpEntry): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}
