/**
 * The rollout journal `.sentinel/journal/<run>.json`: which targets of a run finished, so an
 * interrupted rollout (Ctrl-C, crash, a stopped wave) resumes where it stopped. Planning is
 * idempotent, so resuming re-plans the unfinished targets and writes only what is still missing.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type TargetStatus = 'pending' | 'applying' | 'done' | 'failed' | 'skipped';

export interface JournalData {
  version: 1;
  runId: string;
  startedAt: string;
  updatedAt: string;
  status: 'running' | 'completed' | 'stopped' | 'aborted';
  /** The selection and flags of the run, reused by `--resume`. */
  options: { targets: string[]; prune: boolean; wave?: number; adopt?: boolean };
  targets: Record<string, { wave: number; status: TargetStatus; writes: number; error?: string; replacing?: string[] }>;
  stopReason?: string;
}

export const journalDir = (root: string): string => join(root, '.sentinel', 'journal');

/** Runs whose journals are kept by default (older ones are removed when a run starts). */
export const DEFAULT_JOURNAL_KEEP = 20;

/** A journal file that cannot be read as one: named, skipped, never fatal. */
export type JournalProblem = (message: string) => void;

async function journalNames(root: string): Promise<string[]> {
  try {
    return (await readdir(journalDir(root))).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/** The journal in `file`, or a one-line reason it is not one. */
async function readJournal(file: string): Promise<JournalData | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  try {
    const data = JSON.parse(text) as Partial<JournalData> | null;
    if (!data || typeof data !== 'object' || data.version !== 1 || typeof data.runId !== 'string' || !data.targets || !data.options) {
      return 'not a rollout journal of this version';
    }
    return data as JournalData;
  } catch {
    return 'not valid JSON (a crash while writing, or an edit)';
  }
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${process.pid}`;
}

export class Journal {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  readonly file: string;
  readonly data: JournalData;
  private constructor(
    file: string,
    data: JournalData,
  ) {
    this.file = file;
    this.data = data;
  }

  static async create(
    root: string, runId: string, options: JournalData['options'], targets: Array<{ name: string; wave: number }>,
    opts: { keep?: number; onProblem?: JournalProblem } = {},
  ): Promise<Journal> {
    const now = new Date().toISOString();
    const data: JournalData = { version: 1, runId, startedAt: now, updatedAt: now, status: 'running', options, targets: {} };
    for (const t of targets) data.targets[t.name] = { wave: t.wave, status: 'pending', writes: 0 };
    const j = new Journal(join(journalDir(root), `${runId}.json`), data);
    await j.flush();
    await Journal.prune(root, opts.keep ?? DEFAULT_JOURNAL_KEEP, `${runId}.json`, opts.onProblem);
    return j;
  }

  /**
   * Keeps the newest `keep` journals (by run id, which starts with its UTC start time) and the
   * newest unfinished one, so `--resume` always has it; removes the rest.
   */
  static async prune(root: string, keep: number, current: string, onProblem?: JournalProblem): Promise<string[]> {
    const names = (await journalNames(root)).filter((n) => n !== current).reverse();
    const keepNames = new Set(names.slice(0, Math.max(0, keep - 1)));
    for (const name of names) {
      const data = await readJournal(join(journalDir(root), name));
      if (typeof data !== 'string' && data.status !== 'completed') {
        keepNames.add(name);
        break;
      }
    }
    const removed = names.filter((n) => !keepNames.has(n));
    for (const name of removed) await rm(join(journalDir(root), name), { force: true });
    if (removed.length && onProblem) onProblem(`removed ${removed.length} old journal(s) from .sentinel/journal (keeping ${keep})`);
    return removed;
  }

  /**
   * The newest journal of `root` that did not complete (or the named run). A file that is not a
   * journal is reported through `onProblem` (naming it) and skipped, so it never hides older runs.
   */
  static async latestUnfinished(root: string, runId?: string, onProblem?: JournalProblem): Promise<Journal | undefined> {
    for (const name of (await journalNames(root)).reverse()) {
      if (runId && name !== `${runId}.json`) continue;
      const file = join(journalDir(root), name);
      const data = await readJournal(file);
      if (typeof data === 'string') {
        onProblem?.(`skipping .sentinel/journal/${name}: ${data}`);
        continue;
      }
      if (data.status !== 'completed') return new Journal(file, data);
    }
    return undefined;
  }

  setTarget(name: string, status: TargetStatus, extra: { writes?: number; error?: string } = {}): void {
    const t = this.data.targets[name];
    if (!t) return;
    t.status = status;
    if (extra.writes !== undefined) t.writes = extra.writes;
    if (extra.error !== undefined) t.error = extra.error;
    else delete t.error;
    this.schedule();
  }

  /**
   * An item being replaced (deleted, not yet created again): recorded on disk before the delete and
   * cleared once it exists again, so a crash in between is visible; `--resume` re-plans the target,
   * which creates the missing item (its ownership record is still there).
   */
  async replacing(name: string, key: string, on: boolean): Promise<void> {
    const t = this.data.targets[name];
    if (!t) return;
    const rest = (t.replacing ?? []).filter((k) => k !== key);
    if (on) rest.push(key);
    if (rest.length) t.replacing = rest;
    else delete t.replacing;
    await this.flush();
  }

  finish(status: JournalData['status'], stopReason?: string): Promise<void> {
    this.data.status = status;
    if (stopReason) this.data.stopReason = stopReason;
    return this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 100);
  }

  /** Atomic write (temp file + rename): a crash never leaves a torn journal. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.data.updatedAt = new Date().toISOString();
    const text = JSON.stringify(this.data, null, 2);
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, this.file);
    });
    return this.writing;
  }
}
