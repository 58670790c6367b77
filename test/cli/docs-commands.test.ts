/**
 * Every `sentinel …` command the README and docs show in a code block names a verb the CLI has and
 * only flags that verb takes (synopsis lines included), and the read-only ones run as written on a
 * copy of this repository and exit 0.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { VERBS, type VerbName, type VerbSpec } from '../../scripts/cli/verbs.ts';
import { recordingContext } from '../github/context.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Shown {
  where: string;
  line: string;
  args: string[];
  synopsis: boolean;
}

/** Shell-like words of a command line, without its trailing comment and redirections. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (/\s/.test(c)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) out.push(cur);
  const redirect = out.findIndex((w) => w === '>' || w === '>>' || w === '|' || w === '&&');
  return redirect < 0 ? out : out.slice(0, redirect);
}

function shownCommands(): Shown[] {
  const out: Shown[] = [];
  for (const file of docs) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    let inBlock = false;
    lines.forEach((raw, i) => {
      if (/^\s*```/.test(raw)) {
        inBlock = !inBlock;
        return;
      }
      if (!inBlock) return;
      const m = /^\s*(?:\$\s+)?(?:npx\s+sentinel|sentinel|node\s+bin\/sentinel\.mjs)\s+(.*)$/.exec(raw);
      if (!m) return;
      const text = m[1]!;
      out.push({ where: `${file}:${i + 1}`, line: raw.trim(), args: words(text), synopsis: /[[\]…|<]/.test(text.replace(/\s#.*$/, '')) });
    });
  }
  return out;
}

const shown = shownCommands();

function flagsOf(verb: VerbName): Set<string> {
  const spec = VERBS[verb] as VerbSpec;
  const names = new Set(['--help', '-h', '--root']);
  for (const o of spec.options()) {
    if (o.long) names.add(o.long);
    if (o.short) names.add(o.short);
    if (o.negate && o.long) names.add(o.long);
  }
  return names;
}

describe('commands shown in the README and docs', () => {
  it('there are some to check', () => {
    expect(shown.length).toBeGreaterThan(10);
  });

  it.each(shown.map((s) => [s.where, s] as const))('%s names a real verb and its flags', (_, s) => {
    const [verb, ...rest] = s.args;
    expect(Object.keys(VERBS), `${s.where}: ${s.line}`).toContain(verb);
    const known = flagsOf(verb as VerbName);
    const flags = rest.map((w) => w.replace(/^\[/, '').replace(/[\]…,]+$/, '').split('=')[0]!).filter((w) => /^--?[a-zA-Z]/.test(w));
    for (const f of flags) expect(known.has(f), `${s.where}: ${s.line} — ${verb} has no ${f}`).toBe(true);
  });
});

describe('read-only commands run as written', () => {
  const copy = mkdtempSync(join(tmpdir(), 'docs-commands-'));
  for (const d of ['analytics-rules', 'watchlists', 'workbooks', 'targets', 'docs', 'README.md', 'package.json', 'sentinel.config.yaml']) {
    cpSync(join(root, d), join(copy, d), { recursive: true });
  }
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  // Commands that need no Azure sign-in, no git history and write nothing outside the copy
  // (export writes only under its --out, which is taken inside the copy).
  const runnable = shown.filter((s) =>
    !s.synopsis && (s.args[0] === 'export' || (['validate', 'test', 'plan', 'docs'].includes(s.args[0]!) &&
    !['--base', '--output', '--out', '--auth'].some((f) => s.args.includes(f)))));
  const inCopy = (args: string[]) => args.map((a, i) => (args[0] === 'export' && args[i - 1] === '--out' ? join(copy, a) : a));

  it('there are some', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });

  it.each(runnable.map((s) => [s.where, s] as const))('%s', async (_, s) => {
    const ctx = recordingContext(copy, {});
    const code = await main(inCopy(s.args), () => ctx);
    expect([s.line, code, ctx.stderr.join('')]).toEqual([s.line, 0, '']);
  }, 240_000);
});
