import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DebugConnection } from '../../src/debug/connection.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { PATIENCE } from '../helpers/patience.js';

describe('a debug connection', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('disconnects a client that stops reading once its buffer passes the limit, and counts it', async () => {
    const path = dir.file('slow.sock');
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      }).listen(path);
    });
    const reader = connect(path);
    reader.pause();
    const serverSide = await accepted;

    let slow = 0;
    const connection = new DebugConnection(serverSide, 64 * 1024, () => (slow += 1));
    const reply = { payload: 'x'.repeat(16 * 1024) };

    let sent = 0;
    while (sent < 10_000 && connection.send(reply)) {
      sent += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await once(serverSide, 'close');
    reader.destroy();

    expect(slow).toBe(1);
    expect(sent).toBeLessThan(10_000);
    expect(connection.send(reply)).toBe(false);
  });

  it('keeps a client that reads, however many replies it is sent', async () => {
    const path = dir.file('reader.sock');
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      }).listen(path);
    });
    const reader = connect(path);
    let received = 0;
    reader.on('data', (chunk: Buffer) => (received += chunk.length));
    const serverSide = await accepted;
    serverSide.on('error', () => undefined);

    let slow = 0;
    const connection = new DebugConnection(serverSide, 64 * 1024, () => (slow += 1));
    const reply = { payload: 'x'.repeat(16 * 1024) };
    for (let sent = 0; sent < 200; sent += 1) {
      expect(connection.send(reply)).toBe(true);
      await new Promise((resolve) => setImmediate(resolve));
      if (serverSide.writableLength > 0) await once(serverSide, 'drain');
    }

    const total = 200 * (JSON.stringify(reply).length + 1);
    await vi.waitFor(() => expect(received).toBe(total), PATIENCE);
    reader.destroy();
    expect(slow).toBe(0);
  });

  it('runs close handlers once the client goes away', async () => {
    const path = dir.file('close.sock');
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      }).listen(path);
    });
    const client = connect(path);
    const serverSide = await accepted;
    const connection = new DebugConnection(serverSide, 1024, () => undefined);

    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    client.destroy();
    await closed;
    expect(connection.closed).toBe(true);
  });
});
