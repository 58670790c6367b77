/**
 * The rollout journal `.sentinel/journal/<run>.json`: which targets of a run finished, so an
 * interrupted rollout (Ctrl-C, crash, a stopped wave) resumes where it stopped. Planning is
 * idempotent, so resuming re-plans the unfinished targets and writes only what is still missing.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type TargetStatus = 'pending' | 'applying' | 'done' | 'failed' | 'skipped';

export interface JournalData {
  version: 1;
  runId: string;
  startedAt: string;
  updatedAt: string;
  status: 'running' | 'completed' | 'stopped' | 'aborted';
  /** The selection and flags of the run, reused by `--resume`. */
  options: { targets: string[]; prune: boolean; wave?: number };
  targets: Record<string, { wave: number; status: TargetStatus; writes: number; error?: string }>;
  stopReason?: string;
}

export const journalDir = (root: string): string => join(root, '.sentinel', 'journal');

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

  static async create(root: string, runId: string, options: JournalData['options'], targets: Array<{ name: string; wave: number }>): Promise<Journal> {
    const now = new Date().toISOString();
    const data: JournalData = { version: 1, runId, startedAt: now, updatedAt: now, status: 'running', options, targets: {} };
    for (const t of targets) data.targets[t.name] = { wave: t.wave, status: 'pending', writes: 0 };
    const j = new Journal(join(journalDir(root), `${runId}.json`), data);
    await j.flush();
    return j;
  }

  /** The newest journal of `root` that did not complete (or the named run). */
  static async latestUnfinished(root: string, runId?: string): Promise<Journal | undefined> {
    let names: string[];
    try {
      names = (await readdir(journalDir(root))).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return undefined;
    }
    for (const name of names.reverse()) {
      if (runId && name !== `${runId}.json`) continue;
      const file = join(journalDir(root), name);
      const data = JSON.parse(await readFile(file, 'utf8')) as JournalData;
      if (data.version === 1 && data.status !== 'completed') return new Journal(file, data);
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
