/**
 * Replays the REST specs' own examples against the emulator over HTTP (real token, real HTTP, no SDK
 * model in between): each fixture (spec-examples.fixtures.ts, written from the example file it names) is
 * sent with its method, api-version, query and body, with the example's subscription / resource group /
 * workspace mapped onto an emulator workspace; the status must be the example's and the body must have
 * the example's shape (shape.ts). Within a group the examples run in order, on one emulator.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../../scripts/emulator/index.ts';
import { baseConfig, credentialOf, RG, SUB_A, TENANT_A, WORKSPACE_A } from './helpers.ts';
import { shapeMismatches } from './shape.ts';
import {
  ALERT_RULE_EXAMPLES, METADATA_EXAMPLES, WATCHLIST_EXAMPLES, WORKBOOK_EXAMPLES, type SpecExample,
} from './spec-examples.fixtures.ts';

function urlOf(em: EmulatorHandle, ex: SpecExample): string {
  const base = { ws: `${WORKSPACE_A}/providers/Microsoft.SecurityInsights`, rg: `/subscriptions/${SUB_A}/resourceGroups/${RG}`, sub: `/subscriptions/${SUB_A}` }[ex.scope];
  const q = new URLSearchParams({ 'api-version': ex.apiVersion, ...ex.query });
  return `${em.url}${base}/${ex.path}?${q.toString()}`;
}

async function send(em: EmulatorHandle, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function replay(em: EmulatorHandle, token: string, ex: SpecExample): Promise<void> {
  const url = urlOf(em, ex);
  let body = ex.body;
  if (ex.currentEtag) {
    const current = await send(em, token, 'GET', url.replace(/([?&])sourceId=[^&]*&?/, '$1'));
    body = { ...(ex.body as Record<string, unknown>), etag: (current.body as { etag?: string }).etag };
  }
  const res = await send(em, token, ex.method, url, body);
  expect(res.status, `${ex.title} (${ex.spec}): ${JSON.stringify(res.body)}`).toBe(ex.status);
  if (ex.response !== undefined) expect(shapeMismatches(ex.response, res.body, ex.maps, '', ex.nullable), `${ex.title} (${ex.spec})`).toEqual([]);
}

function group(name: string, examples: SpecExample[]): void {
  describe(name, () => {
    let em: EmulatorHandle;
    let token: string;
    beforeAll(async () => {
      em = await startEmulator(baseConfig());
      token = (await credentialOf(em, TENANT_A).getToken('https://management.azure.com/.default'))!.token;
    });
    afterAll(async () => em.stop());
    for (const ex of examples) {
      it(`${ex.title} (${ex.spec.split('/').slice(-3).join('/')})`, () => replay(em, token, ex));
    }
  });
}

describe('the shape comparison', () => {
  it('accepts extra keys and other values, and reports missing keys, other types and map paths by the example', () => {
    expect(shapeMismatches({ a: 'x', b: null, c: [{ d: 1 }] }, { a: 'y', b: 5, c: [{ d: 2, e: 3 }], extra: true })).toEqual([]);
    expect(shapeMismatches({ a: 'x', c: { d: 1 } }, { c: { d: '1' } })).toEqual(['a: missing', 'c.d: expected a number, got string']);
    expect(shapeMismatches({ v: [{ k: 'a' }] }, { v: [] })).toEqual(['v: expected elements, got an empty array']);
    expect(shapeMismatches({ tags: { t1: 'x' } }, { tags: {} })).toEqual(['tags.t1: missing']);
    expect(shapeMismatches({ tags: { t1: 'x' } }, { tags: {} }, ['tags'])).toEqual([]);
    expect(shapeMismatches({ v: [{ tags: { t1: 'x' } }] }, { v: [{ tags: {} }] }, ['v.*.tags'])).toEqual([]);
    expect(shapeMismatches({ by: { email: 'a@b' } }, { by: { email: null } })).toEqual(['by.email: expected a string, got null']);
    expect(shapeMismatches({ by: { email: 'a@b' } }, { by: { email: null } }, [], '', ['by.email'])).toEqual([]);
  });
});

group('spec examples: alert rules (SecurityInsights stable 2024-09-01 / 2025-09-01)', ALERT_RULE_EXAMPLES);
group('spec examples: metadata (SecurityInsights stable 2024-09-01 / 2025-09-01)', METADATA_EXAMPLES);
group('spec examples: watchlists (SecurityInsights stable 2024-09-01 / 2025-09-01)', WATCHLIST_EXAMPLES);
group('spec examples: workbooks (Microsoft.Insights stable 2023-06-01)', WORKBOOK_EXAMPLES);
