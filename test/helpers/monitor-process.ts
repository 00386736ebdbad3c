import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MONITOR_NODE_FLAGS } from '../../src/node-flags.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MonitorProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Runs `kissmon …args` from the sources, as `npm start` does. */
export function runKissmon(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const node = [...MONITOR_NODE_FLAGS, '--import', 'tsx'];
  return spawn(process.execPath, [...node, 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `kissmon …args` to its end; resolves with its exit code and what it printed. */
export async function runKissmonToEnd(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = runKissmon(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Starts `kissmon start` and resolves once it logs that it listens. */
export async function startMonitorProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<MonitorProcess> {
  const child = runKissmon(['start', ...args], env);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const started = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const entry = JSON.parse(text) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'monitor started') resolve();
    });
    child.once('exit', (code) => reject(new Error(`kissmon exited with ${code}: ${stderr}`)));
  });
  await started;

  return {
    child,
    logs,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
