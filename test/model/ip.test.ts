import { describe, expect, it } from 'vitest';
import {
  bigIntToIp, covers, ipToBigInt, ipv4Compare, ipv4IsInAnyRange, ipv4IsInRange, ipv4IsPrivate, ipv6Compare, parseAddress, parseIPv4, parseIPv6, parseIpOrRange,
  type IpEntry,
} from '../../scripts/model/ip.ts';

describe('parseIpOrRange', () => {
  it.each([
    ['192.0.2.7', 'address', '192.0.2.7'],
    ['2001:db8::1', 'address', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'address', '2001:db8::1'],
    ['::ffff:192.0.2.1', 'address', '::ffff:192.0.2.1'],
    ['::FFFF:C000:201', 'address', '::ffff:192.0.2.1'],
    ['2001:DB8::ABCD', 'address', '2001:db8::abcd'],
    ['2001:db8:0:0:1:0:0:1', 'address', '2001:db8::1:0:0:1'],
    ['::ffff:10.0.0.0/104', 'cidr', '::ffff:10.0.0.0/104'],
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
    ['010.0.0.1', '"010.0.0.1" has a leading zero in an octet, which some parsers read as octal; write 10.0.0.1'],
    ['10.0.0.0/8-10.0.0.1', '"10.0.0.0/8-10.0.0.1" has an invalid prefix length /8-10.0.0.1; use 0-32 for IPv4'],
    ['010.0.0.0/8', '"010.0.0.0/8" has a leading zero in an octet, which some parsers read as octal; write 10.0.0.0/8'],
    ['10.0.0.1-10.0.0.09', '"10.0.0.1-10.0.0.09" has a leading zero in an octet, which some parsers read as octal; write 10.0.0.1-10.0.0.9'],
    ['::ffff:010.0.0.1', '"::ffff:010.0.0.1" has a leading zero in an octet, which some parsers read as octal; write ::ffff:10.0.0.1'],
    ['fe80::1%eth0', '"fe80::1%eth0" has a zone id (%eth0), which names a network interface on one host and never matches a logged address; write fe80::1'],
    ['fe80::%eth0/64', '"fe80::%eth0/64" has a zone id (%eth0), which names a network interface on one host and never matches a logged address; write fe80::'],
    ['1.2.3', '"1.2.3" is not an IPv4/IPv6 address, CIDR or a-b range'],
    ['0x7f.0.0.1', '"0x7f.0.0.1" is not an IPv4/IPv6 address, CIDR or a-b range'],
    ['1::2::3', '"1::2::3" is not an IPv4/IPv6 address, CIDR or a-b range'],
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

  it('reports a prefix with a leading zero as not canonical', () => {
    const r = parseIpOrRange('10.0.0.0/024');
    expect(r.ok && r.entry.canonical).toBe('10.0.0.0/24');
    expect(r.ok && r.entry.notCanonical).toBe('prefix /024 has a leading zero; write /24');
    const clean = parseIpOrRange('10.0.0.0/24');
    expect(clean.ok && clean.entry.notCanonical).toBeUndefined();
  });

  it('matches IPv4-mapped IPv6 as the IPv4 address it stands for', () => {
    const [mapped, plain, net, mappedNet] = ['::ffff:10.0.0.1', '10.0.0.1', '10.0.0.0/8', '::ffff:10.0.0.0/104'].map((t) => {
      const r = parseIpOrRange(t);
      if (!r.ok) throw new Error(r.error);
      return r.entry;
    }) as [IpEntry, IpEntry, IpEntry, IpEntry];
    expect([mapped.family, mapped.first]).toEqual([plain.family, plain.first]);
    expect(covers(net, mapped)).toBe(true);
    expect(covers(mappedNet, plain)).toBe(true);
    expect(covers(net, mappedNet) && covers(mappedNet, net)).toBe(true);
  });
});

describe('parseAddress', () => {
  it('keeps the zone id and the mapped IPv4 apart from the value', () => {
    const z = parseAddress('fe80::1%eth0');
    expect(z.ok && [z.address.zone, z.address.canonical]).toEqual(['eth0', 'fe80::1']);
    const m = parseAddress('::ffff:192.0.2.1');
    expect(m.ok && m.address.v4).toBe(0xc0000201n);
    expect(parseAddress('10.0.0.256')).toEqual({ ok: false, error: '"10.0.0.256" is not an IPv4/IPv6 address' });
  });
});

describe('Kusto IP semantics (through the same parser)', () => {
  it('reads dotted IPv4 as Kusto does, invalid → null', () => {
    expect(parseIPv4('10.0.0.1')).toBe(167772161);
    expect(parseIPv4('256.0.0.1')).toBeNull();
    expect(parseIPv4('10.0.0')).toBeNull();
  });
  it('compares and matches with prefixes', () => {
    expect(ipv4Compare('192.168.1.1/24', '192.168.1.255')).toBe(0);
    expect(ipv4IsInRange('192.168.1.6', '192.168.1.1/24')).toBe(true);
    expect(ipv4IsInAnyRange('8.8.8.8', ['10.0.0.0/8', 'junk'])).toBe(false);
    expect(ipv4IsInAnyRange('8.8.8.8', ['junk'])).toBeNull();
    expect(ipv4IsPrivate('172.16.5.5')).toBe(true);
    expect(ipv4IsPrivate('172.32.0.1')).toBe(false);
  });
  it('treats IPv4 as mapped in the ipv6 functions and zone ids as invalid', () => {
    expect(ipv6Compare('::ffff:7f00:1', '127.0.0.1')).toBe(0);
    expect(ipv6Compare('::ffff:10.0.0.1', '10.0.0.1')).toBe(0);
    expect(ipv6Compare('2001:db8:0:0:0:0:0:1', '2001:db8::1')).toBe(0);
    expect(ipv6Compare('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127)).toBe(0);
    expect(parseIPv6('fe80::1%eth0')).toBeNull();
    expect(ipv6Compare('fe80::zz', '::1')).toBeNull();
  });
});
