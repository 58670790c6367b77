import { describe, expect, it } from 'vitest';
import { bigIntToIp, covers, ipToBigInt, parseIpOrRange } from '../../scripts/model/ip.ts';

describe('parseIpOrRange', () => {
  it.each([
    ['192.0.2.7', 'address', '192.0.2.7'],
    ['2001:db8::1', 'address', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'address', '2001:db8::1'],
    ['::ffff:192.0.2.1', 'address', '::ffff:c000:201'],
    ['198.51.100.0/24', 'cidr', '198.51.100.0/24'],
    ['2001:db8::/32', 'cidr', '2001:db8::/32'],
    ['0.0.0.0/0', 'cidr', '0.0.0.0/0'],
    ['203.0.113.10-203.0.113.20', 'range', '203.0.113.10-203.0.113.20'],
    [' 203.0.113.10 - 203.0.113.10 ', 'range', '203.0.113.10-203.0.113.10'],
  ])('%s is a valid %s', (text, kind, canonical) => {
    const r = parseIpOrRange(text);
    expect(r.ok && r.entry.kind).toBe(kind);
    expect(r.ok && r.entry.canonical).toBe(canonical);
  });

  it.each([
    ['', 'is empty'],
    ['256.1.1.1', '"256.1.1.1" is not an IPv4/IPv6 address, CIDR or a-b range'],
    ['10.0.0.0/33', '"10.0.0.0/33" has an invalid prefix length /33; use 0-32 for IPv4'],
    ['2001:db8::/129', '"2001:db8::/129" has an invalid prefix length /129; use 0-128 for IPv6'],
    ['10.0.0.0/x', '"10.0.0.0/x" has an invalid prefix length /x; use 0-32 for IPv4'],
    ['10.0.0.9-10.0.0.1', '"10.0.0.9-10.0.0.1": range start 10.0.0.9 is after its end 10.0.0.1'],
    ['2001:db8::1-2001:db8::9', '"2001:db8::1-2001:db8::9": a-b ranges are IPv4 only; use a CIDR for IPv6'],
    ['10.0.0.1-10.0.0.2-10.0.0.3', '"10.0.0.1-10.0.0.2-10.0.0.3" is not a range: write it as <first IPv4>-<last IPv4>'],
  ])('%s is rejected', (text, error) => {
    expect(parseIpOrRange(text)).toEqual({ ok: false, error });
  });

  it('flags host bits set in a CIDR', () => {
    const r = parseIpOrRange('192.0.2.1/24');
    expect(r.ok && r.entry.hostBitsSet).toBe(true);
    expect(r.ok && r.entry.canonical).toBe('192.0.2.0/24');
    const clean = parseIpOrRange('192.0.2.0/24');
    expect(clean.ok && clean.entry.hostBitsSet).toBe(false);
  });

  it('computes containment', () => {
    const outer = parseIpOrRange('192.0.2.0/24');
    const inner = parseIpOrRange('192.0.2.5-192.0.2.9');
    const v6 = parseIpOrRange('2001:db8::/32');
    if (!outer.ok || !inner.ok || !v6.ok) throw new Error('parse');
    expect(covers(outer.entry, inner.entry)).toBe(true);
    expect(covers(inner.entry, outer.entry)).toBe(false);
    expect(covers(outer.entry, v6.entry)).toBe(false);
  });

  it('round-trips addresses', () => {
    for (const ip of ['0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8:0:1::', 'fe80::1:2']) {
      const p = ipToBigInt(ip)!;
      expect(bigIntToIp(p.value, p.family)).toBe(ip);
    }
  });
});
