/** The rollout journal on disk: bounded, and a corrupt file never hides an older unfinished run. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, journalDir } from '../../scripts/deploy/apply/journal.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'journal-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const runId = (i: number) => `20260101T0000${String(i).padStart(2, '0')}Z-1`;
const make = async (i: number, finish: 'completed' | 'stopped' | undefined, keep = 5, problems: string[] = []) => {
  const j = await Journal.create(root, runId(i), { targets: ['a'], prune: false }, [{ name: 'a', wave: 0 }], { keep, onProblem: (m) => problems.push(m) });
  if (finish) await j.finish(finish);
  return j;
};

describe('journal', () => {
  it('keeps the newest N runs and the newest unfinished one', async () => {
    await make(1, 'stopped');
    for (let i = 2; i <= 9; i++) await make(i, 'completed');
    const problems: string[] = [];
    await make(10, 'completed', 5, problems);
    const names = (await readdir(journalDir(root))).sort();
    expect(names).toEqual([runId(1), runId(6), runId(7), runId(8), runId(9), runId(10)].map((r) => `${r}.json`));
    expect(problems.at(-1)).toMatch(/removed 1 old journal\(s\)/);
    expect((await Journal.latestUnfinished(root))?.data.runId).toBe(runId(1));
  });

  it('a corrupt journal is named and skipped; the older unfinished run is still found', async () => {
    await make(1, 'stopped');
    await writeFile(join(journalDir(root), `${runId(2)}.json`), '{"version": 1, "runId": "x", "tar');
    await writeFile(join(journalDir(root), `${runId(3)}.json`), '{"some": "other file"}');
    const problems: string[] = [];
    const j = await Journal.latestUnfinished(root, undefined, (m) => problems.push(m));
    expect(j?.data.runId).toBe(runId(1));
    expect(problems).toEqual([
      `skipping .sentinel/journal/${runId(3)}.json: not a rollout journal of this version`,
      `skipping .sentinel/journal/${runId(2)}.json: not valid JSON (a crash while writing, or an edit)`,
    ]);
  });
});
