import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { query } from '../helpers/database.js';
import { ROOT } from '../helpers/monitor-process.js';
import { line, sendPersistent } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

// A 2 MiB tmpfs mounted in a mount namespace of kissmon's own: nothing outside sees it, and it
// goes when kissmon exits, after the shell has copied the database (and its WAL) out.
const SCRIPT = `set -e
mount -t tmpfs -o size=2m tmpfs "$DISK"
dd if=/dev/zero of="$DISK/ballast" bs=1k count=1400 2>/dev/null
set +e
"$NODE" --import tsx src/cli/main.ts start
code=$?
cp "$DISK"/monitor.db* "$OUT/"
exit $code`;

const usage = (i: number) =>
  line({
    type: 'llm_usage',
    channel: 'filler',
    model: 'm',
    feature: 'f',
    tokens_in: i,
    tokens_out: 0,
    latency_ms: 1234.5,
  });

function childPid(parent: number): number {
  const children = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim();
  return Number(children.split(' ')[0]);
}

describe('a full disk', () => {
  const dir = makeTempDir();
  let shell: ChildProcess | undefined;
  afterAll(() => {
    if (shell?.exitCode === null) shell.kill('SIGKILL');
    dir.cleanup();
  });

  // Mounting a filesystem, even in a namespace of its own, needs root.
  it.skipIf(process.getuid?.() !== 0)(
    'logs once, keeps tracking bots, retries, and writes every row once space is back',
    async () => {
      const disk = dir.file('disk');
      const socket = dir.file('full.sock');
      mkdirSync(disk);
      shell = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT], {
        cwd: ROOT,
        env: {
          ...process.env,
          DISK: disk,
          OUT: dir.path,
          NODE: process.execPath,
          KISSMON_SOCKET: socket,
          KISSMON_DB: `${disk}/monitor.db`,
          KISSMON_LOG_LEVEL: 'debug',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const logs: Record<string, unknown>[] = [];
      createInterface({ input: shell.stdout! }).on('line', (text) => logs.push(JSON.parse(text)));
      const find = (msg: string) => logs.filter((entry) => entry.msg === msg);
      await vi.waitFor(() => expect(find('monitor started')).toHaveLength(1), { timeout: 15_000 });
      const monitorPid = childPid(shell.pid!);

      const rows = 8000;
      await sendPersistent(
        socket,
        Array.from({ length: rows }, (_, i) => usage(i)),
      );
      await vi.waitFor(() => expect(find('flush failed').length).toBeGreaterThanOrEqual(3), {
        timeout: 15_000,
      });
      const failed = find('flush failed');
      expect(failed[0]).toMatchObject({ level: 50, code: 'SQLITE_FULL' });
      expect(failed.slice(1).every((entry) => entry.level === 20)).toBe(true);

      await sendPersistent(socket, [
        line({ type: 'register', channel: 'while_full', pid: 7, features: {} }),
      ]);
      await vi.waitFor(() =>
        expect(find('bot transition').some((entry) => entry.channel === 'while_full')).toBe(true),
      );

      rmSync(`/proc/${monitorPid}/root${disk}/ballast`);
      await vi.waitFor(() => expect(find('database writes recovered')).toHaveLength(1), {
        timeout: 15_000,
      });

      process.kill(monitorPid, 'SIGTERM');
      const [code] = (await once(shell, 'exit')) as [number];
      expect(code).toBe(0);
      const db = dir.file('monitor.db');
      expect(
        query(
          db,
          'SELECT COUNT(*) AS n, MIN(tokens_in) AS lo, MAX(tokens_in) AS hi FROM llm_usage',
        ),
      ).toEqual([{ n: rows, lo: 0, hi: rows - 1 }]);
      expect(query(db, "SELECT state FROM bot_status WHERE channel = 'while_full'")).toEqual([
        { state: 'registered' },
      ]);
      expect(find('flush failed').filter((entry) => entry.level === 50)).toHaveLength(1);
    },
    60_000,
  );
});
