import { DOCS, type ConformanceCase } from './types.ts';

export const networkCases: ConformanceCase[] = [
  {
    name: 'ipv4_compare with IP-prefix notation',
    doc: `${DOCS}ipv4-compare-function (IPv4 comparison equality cases)`,
    query: `datatable(ip1_string:string, ip2_string:string)
['192.168.1.0', '192.168.1.0', '192.168.1.1/24', '192.168.1.255', '192.168.1.1', '192.168.1.255/24', '192.168.1.1/30', '192.168.1.255/24']
| extend result = ipv4_compare(ip1_string, ip2_string)`,
    rows: [
      ['192.168.1.0', '192.168.1.0', 0],
      ['192.168.1.1/24', '192.168.1.255', 0],
      ['192.168.1.1', '192.168.1.255/24', 0],
      ['192.168.1.1/30', '192.168.1.255/24', 0],
    ],
  },
  { name: 'ipv4_compare ordering and prefix argument', doc: `${DOCS}ipv4-compare-function`, query: `print a = ipv4_compare('127.0.0.1', '127.0.0.1'), b = ipv4_compare('192.168.1.1', '192.168.1.255'), c = ipv4_compare('192.168.1.1', '192.168.1.255', 24), d = ipv4_compare('10.0.0.2', '10.0.0.1')`, rows: [[0, -1, 0, 1]] },
  { name: 'ipv4_compare of an invalid address is null', doc: `${DOCS}ipv4-compare-function (returns null)`, query: `print r = isnull(ipv4_compare('abc', '10.0.0.1'))`, rows: [[true]] },
  { name: 'ipv4_is_in_range', doc: `${DOCS}ipv4-is-in-range-function (examples)`, query: `print a = ipv4_is_in_range("127.0.0.1", "127.0.0.1"), b = ipv4_is_in_range('192.168.1.6', '192.168.1.1/24'), c = ipv4_is_in_range('192.168.1.1', '192.168.2.1/24'), d = ipv4_is_in_range('192.168.1.1', '192.168.1.1/32')`, rows: [[true, true, false, true]] },
  { name: 'ipv4_is_in_range with invalid input is null', doc: `${DOCS}ipv4-is-in-range-function (returns)`, query: `print r = isnull(ipv4_is_in_range('a.b.c.d', '10.0.0.0/8'))`, rows: [[true]] },
  {
    name: 'ipv4_is_in_any_range with a list of ranges',
    doc: `${DOCS}ipv4-is-in-any-range-function (examples)`,
    query: `let LocalNetworks = dynamic(["192.168.1.1/16", "10.0.0.1/8", "127.1.0.1/16"]); datatable(IP:string)["10.1.2.3", "192.168.1.6", "8.8.8.8"] | extend isInRange = ipv4_is_in_any_range(IP, LocalNetworks)`,
    rows: [['10.1.2.3', true], ['192.168.1.6', true], ['8.8.8.8', false]],
  },
  { name: 'ipv4_is_in_any_range with ranges as arguments', doc: `${DOCS}ipv4-is-in-any-range-function`, query: `print a = ipv4_is_in_any_range("127.0.0.1", "127.0.0.1"), b = ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8', '127.1.0.1/16'), c = ipv4_is_in_any_range('192.168.1.1', '10.0.0.1/8', '127.1.0.1/16')`, rows: [[true, true, false]] },
  { name: 'ipv4_is_private', doc: `${DOCS}ipv4-is-private-function (examples)`, query: `datatable(ip_string:string)['10.1.2.3', '192.168.1.1/24', '127.0.0.1', '172.16.5.5', '172.32.0.1'] | extend result = ipv4_is_private(ip_string)`, rows: [['10.1.2.3', true], ['192.168.1.1/24', true], ['127.0.0.1', false], ['172.16.5.5', true], ['172.32.0.1', false]] },
  { name: 'ipv4_is_match', doc: `${DOCS}ipv4-is-match-function`, query: `print a = ipv4_is_match('192.168.1.1', '192.168.1.255'), b = ipv4_is_match('192.168.1.1/24', '192.168.1.255/24'), c = ipv4_is_match('192.168.1.1', '192.168.1.255', 24)`, rows: [[false, true, true]] },
  { name: 'ipv6_compare IPv4-mapped equality', doc: `${DOCS}ipv6-compare-function (examples)`, query: `print r = ipv6_compare('::ffff:7f00:1', '127.0.0.1')`, rows: [[0]] },
  { name: 'ipv6_compare ordering', doc: `${DOCS}ipv6-compare-function`, query: `print a = ipv6_compare('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995'), b = ipv6_compare('fe80::85d:e82c:9446:7995', 'fe80::85d:e82c:9446:7994')`, rows: [[-1, 1]] },
  { name: 'ipv6_compare with prefixes', doc: `${DOCS}ipv6-compare-function`, query: `print a = ipv6_compare('192.168.1.1/24', '192.168.1.255/24'), b = ipv6_compare('fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7995/127'), c = ipv6_compare('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127)`, rows: [[0, 0, 0]] },
  { name: 'ipv6_compare with invalid input is null', doc: `${DOCS}ipv6-compare-function (returns)`, query: `print r = isnull(ipv6_compare('fe80::zz', '::1'))`, rows: [[true]] },
  { name: 'ipv6_is_match', doc: `${DOCS}ipv6-is-match-function (examples)`, query: `print a = ipv6_is_match('::ffff:7f00:1', '127.0.0.1'), b = ipv6_is_match('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995'), c = ipv6_is_match('fe80::85d:e82c:9446:7994/127', 'fe80::85d:e82c:9446:7995/127'), d = ipv6_is_match('fe80::85d:e82c:9446:7994', 'fe80::85d:e82c:9446:7995', 127)`, rows: [[true, false, true, true]] },
  { name: 'ipv6 compressed forms are equal', doc: `${DOCS}ipv6-is-match-function`, query: `print r = ipv6_is_match('2001:db8:0:0:0:0:0:1', '2001:db8::1')`, rows: [[true]] },
];
