import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  readOpenFileLimit,
  resolveDefaultMaxConnections,
} from '../../src/ingest/connection-limit.js';
import { query } from '../helpers/database.js';
import { closedByPeer, openConnection } from '../helpers/ingest-listener.js';
import { ROOT } from '../helpers/monitor-process.js';
import { usageLine } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('the connection limit sized from ulimit -n', () => {
  const dir = makeTempDir();
  const sockets: Socket[] = [];
  let child: ChildProcess | undefined;
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.destroy());
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('keeps a tenth of the descriptors, at least 64, for the rest of kissmon', () => {
    expect(resolveDefaultMaxConnections(20_000)).toBe(18_000);
    expect(resolveDefaultMaxConnections(1024)).toBe(922);
    expect(resolveDefaultMaxConnections(256)).toBe(192);
    expect(readOpenFileLimit('/nonexistent')).toBe(1024);
  });

  it('under ulimit -n 256, refuses connections past the default and keeps serving', async () => {
    const socket = dir.file('fd.sock');
    const db = dir.file('fd.db');
    child = spawn(
      'prlimit',
      ['--nofile=256:256', process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'start'],
      {
        cwd: ROOT,
        env: { ...process.env, KISSMON_SOCKET: socket, KISSMON_DB: db },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const logs: Record<string, unknown>[] = [];
    createInterface({ input: child.stdout! }).on('line', (text) => logs.push(JSON.parse(text)));
    await vi.waitFor(
      () => expect(logs.some((entry) => entry.msg === 'monitor started')).toBe(true),
      {
        timeout: 15_000,
      },
    );

    const opened: Socket[] = [];
    const closed = new Set<Socket>();
    for (let i = 0; i < 300; i += 1) {
      const client = await openConnection(socket);
      client.once('close', () => closed.add(client));
      opened.push(client);
    }
    sockets.push(...opened);
    await vi.waitFor(() => expect(closed.size).toBe(300 - 192));

    const held = opened.filter((s) => !closed.has(s));
    held.forEach((s, i) => s.end(`${usageLine(`fd_${i}`, i)}\n`));
    await Promise.all(held.map(closedByPeer));

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(query(db, 'SELECT COUNT(*) AS n FROM llm_usage')).toEqual([{ n: 192 }]);
    expect(
      logs.find((entry) => entry.msg === 'connection limit reached, refusing new connections'),
    ).toMatchObject({ maxConnections: 192 });
    expect(logs.filter((entry) => entry.msg === 'cannot accept a connection')).toEqual([]);
  });
});
