import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const sleepers = new Set<ChildProcess>();

/** A real, idle process for a test bot to be; killed by `killSleepers` if still running. */
export function spawnSleeper(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  sleepers.add(child);
  return child as ChildProcess & { pid: number };
}

/** Kills the process and resolves once it is gone (reaped, not a zombie). */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

export async function killSleepers(): Promise<void> {
  await Promise.all([...sleepers].map((child) => kill(child)));
  sleepers.clear();
}
