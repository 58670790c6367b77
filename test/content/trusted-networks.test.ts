/**
 * The trusted-network snippet (watchlists/NetworkAllowlist.kql) run by the local evaluator over
 * addresses on both sides of every kind of NetworkAllowlist entry.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateQuery } from '../../scripts/evaluate/evaluate.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SNIPPET = readFileSync(`${ROOT}watchlists/NetworkAllowlist.kql`, 'utf8');

const ITEMS = [
  { IPOrRange: '192.0.2.0/24', Description: 'IPv4 CIDR' },
  { IPOrRange: '198.51.100.10-198.51.100.20', Description: 'IPv4 range' },
  { IPOrRange: ' 203.0.113.7 ', Description: 'single IPv4 with stray spaces' },
  { IPOrRange: '2001:db8:100::/48', Description: 'IPv6 CIDR' },
  { IPOrRange: '2001:db8::10', Description: 'single IPv6' },
];

function flags(ips: string[], items: Record<string, string>[] = ITEMS): Record<string, boolean> {
  const query = `${SNIPPET}\nAADServicePrincipalSignInLogs\n| project IPAddress\n| invoke WithTrustedNetworkFlag()`;
  const result = evaluateQuery(query, {
    now: new Date('2026-03-10T10:00:00Z'),
    tables: { AADServicePrincipalSignInLogs: ips.map((IPAddress) => ({ TimeGenerated: '2026-03-10T09:00:00Z', IPAddress })) },
    watchlists: { NetworkAllowlist: { columns: ['IPOrRange', 'Description'], searchKey: 'IPOrRange', items } },
  });
  expect(result.columns.map((c) => c.name)).toEqual(['IPAddress', 'IsTrustedNetwork']);
  return Object.fromEntries(result.rows.map(([ip, flag]) => [ip as string, flag as boolean]));
}

describe('WithTrustedNetworkFlag', () => {
  it('matches IPv4 CIDRs, a-b ranges (inclusive bounds) and single addresses', () => {
    expect(flags(['192.0.2.0', '192.0.2.255', '192.0.3.0', '198.51.100.9', '198.51.100.10', '198.51.100.20', '198.51.100.21', '203.0.113.7', '203.0.113.8'])).toEqual({
      '192.0.2.0': true,
      '192.0.2.255': true,
      '192.0.3.0': false,
      '198.51.100.9': false,
      '198.51.100.10': true,
      '198.51.100.20': true,
      '198.51.100.21': false,
      '203.0.113.7': true,
      '203.0.113.8': false,
    });
  });

  it('matches IPv6 CIDRs and single IPv6 addresses, and keeps the families apart', () => {
    expect(flags(['2001:db8:100::1', '2001:db8:100:ffff::1', '2001:db8:101::1', '2001:db8::10', '2001:db8::11', '', 'not-an-ip'])).toEqual({
      '2001:db8:100::1': true,
      '2001:db8:100:ffff::1': true,
      '2001:db8:101::1': false,
      '2001:db8::10': true,
      '2001:db8::11': false,
      '': false,
      'not-an-ip': false,
    });
  });

  it('trusts nothing when the watchlist is empty', () => {
    expect(flags(['192.0.2.1', '2001:db8::10'], [])).toEqual({ '192.0.2.1': false, '2001:db8::10': false });
  });

  it('an IPv6 entry does not disable the IPv4 entries (the seed 002 defect)', () => {
    expect(flags(['192.0.2.1'], [{ IPOrRange: '2001:db8::/32' }, { IPOrRange: '192.0.2.0/24' }])).toEqual({ '192.0.2.1': true });
  });
});
