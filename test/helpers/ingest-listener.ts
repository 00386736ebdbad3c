import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import type { Clock } from '../../src/clock.js';
import { IngestListener, type IngestListenerOptions } from '../../src/ingest/listener.js';
import { RejectCounter } from '../../src/ingest/reject-counter.js';
import type { Message } from '../../src/protocol/messages.js';
import { makeTempDir } from './temp-dir.js';

/** A real ingest listener on a socket of its own, collecting what it delivers. */
export async function startListener(
  options: Partial<Omit<IngestListenerOptions, 'clock'>> & { clock?: Clock } = {},
) {
  const dir = makeTempDir();
  const logger = pino({ level: 'silent' });
  const delivered: Message[] = [];
  const rejects = new RejectCounter({ logger, windowMs: 1000 });
  const listener = new IngestListener({
    socketPath: dir.file('ingest.sock'),
    backlog: 512,
    maxLineBytes: 1024,
    maxConnections: 1000,
    idleTimeoutMs: 0,
    permissions: { mode: 0o660, group: undefined },
    deliver: (message) => delivered.push(message),
    rejects,
    logger,
    ...options,
  });
  await listener.listen();

  const cleanup = async () => {
    await listener.close(0, 0);
    dir.cleanup();
  };
  return { listener, delivered, rejects, dir, socketPath: dir.file('ingest.sock'), cleanup };
}

/** Opens a connection and resolves once it is connected. */
export async function openConnection(socketPath: string): Promise<Socket> {
  const socket = connect(socketPath);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Resolves when the other side has closed this connection. */
export function closedByPeer(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  socket.resume();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
