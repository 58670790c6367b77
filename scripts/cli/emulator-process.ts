/**
 * The emulator in a child process, for the benchmark: client and server then run on separate
 * cores instead of sharing one event loop, so the numbers measure throttling, not CPU contention.
 * Protocol over the IPC channel: parent sends {config}; child answers {url}; then
 * {op:'stats'|'resetStats'|'stop'} → {stats?}.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorConfig, EmulatorStats } from '../emulator/index.ts';

export interface RemoteEmulator {
  url: string;
  stats(): Promise<EmulatorStats>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

type Reply = { url?: string; stats?: EmulatorStats; error?: string };

export async function startEmulatorProcess(config: EmulatorConfig): Promise<RemoteEmulator> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (msg: unknown): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`emulator process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.removeListener('exit', onExit);
        const reply = m as Reply;
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply);
      });
      child.send(msg as object);
    });
  const { url } = await ask({ config });
  return {
    url: url!,
    stats: async () => (await ask({ op: 'stats' })).stats!,
    resetStats: async () => void (await ask({ op: 'resetStats' })),
    stop: async () => {
      await ask({ op: 'stop' });
      child.disconnect();
    },
  };
}

async function childMain(): Promise<void> {
  const { startEmulator } = await import('../emulator/index.ts');
  let handle: Awaited<ReturnType<typeof startEmulator>> | undefined;
  process.on('message', async (m: { config?: EmulatorConfig; op?: string }) => {
    try {
      if (m.config) {
        handle = await startEmulator(m.config);
        process.send!({ url: handle.url });
      } else if (m.op === 'stats') process.send!({ stats: handle!.stats() });
      else if (m.op === 'resetStats') {
        handle!.resetStats();
        process.send!({});
      } else if (m.op === 'stop') {
        await handle?.stop();
        process.send!({});
      }
    } catch (e) {
      process.send!({ error: (e as Error).message });
    }
  });
}

if (process.argv.includes('--child') && process.send) void childMain();
