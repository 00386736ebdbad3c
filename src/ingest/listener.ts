/**
 * The ingest socket: accepts bots, reads their lines, decodes them and pushes valid messages
 * into the mailbox. Nothing here waits on processing; nothing is ever written back.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { decodeLine } from '../protocol/decode.js';
import { RejectCode } from '../protocol/errors.js';
import type { Message } from '../protocol/messages.js';
import { LineSplitter } from './line-splitter.js';
import type { RejectCounter } from './reject-counter.js';
import { claimSocketPath } from './socket-path.js';

export interface IngestListenerOptions {
  socketPath: string;
  backlog: number;
  maxLineBytes: number;
  deliver: (message: Message) => void;
  rejects: RejectCounter;
  logger: Logger;
}

export interface ListenerStats {
  open: number;
  accepted: number;
  lines: number;
  errors: number;
}

export class IngestListener {
  readonly stats: ListenerStats = { open: 0, accepted: 0, lines: 0, errors: 0 };

  private readonly options: IngestListenerOptions;
  private readonly server: Server;
  private readonly connections = new Set<Socket>();
  private paused = false;
  private lastActivity = 0;

  constructor(options: IngestListenerOptions) {
    this.options = options;
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<void> {
    const { socketPath, backlog, logger } = this.options;
    const claimed = await claimSocketPath(socketPath);
    if (claimed === 'stale') logger.info({ socketPath }, 'removed stale socket file');

    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ path: socketPath, backlog }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Pauses or resumes every reader: the mailbox's back-pressure. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const socket of this.connections) {
      if (paused) socket.pause();
      else socket.resume();
    }
  }

  /**
   * Stops taking new bots and lets the ones already connected finish: the socket file goes
   * first (new connects fail at once), then connections already queued are still accepted and
   * read until none has sent anything for `quietMs`, or `deadlineMs` has passed.
   */
  async close(quietMs: number, deadlineMs: number): Promise<void> {
    await unlink(this.options.socketPath).catch(() => undefined);
    this.setPaused(false);

    const deadline = Date.now() + deadlineMs;
    this.lastActivity = Date.now();
    while (Date.now() < deadline && Date.now() - this.lastActivity < quietMs) {
      await sleep(Math.min(quietMs, 10));
    }

    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    const connection = ++this.stats.accepted;
    const { deliver, rejects, maxLineBytes } = this.options;
    const splitter = new LineSplitter({
      maxLineBytes,
      onLine: (line) => {
        this.stats.lines += 1;
        const decoded = decodeLine(line);
        if (decoded.ok) deliver(decoded.message);
        else rejects.count(decoded.code, decoded.detail, connection);
      },
      onOversize: (bytes) => {
        rejects.count(
          RejectCode.lineTooLong,
          `line over ${maxLineBytes} bytes (${bytes} seen)`,
          connection,
        );
      },
    });

    this.connections.add(socket);
    this.stats.open += 1;
    this.lastActivity = Date.now();
    if (this.paused) socket.pause();

    socket.on('data', (chunk: Buffer) => {
      this.lastActivity = Date.now();
      splitter.push(chunk);
    });
    socket.on('end', () => splitter.end());
    socket.on('error', () => {
      this.stats.errors += 1;
    });
    socket.on('close', () => {
      this.connections.delete(socket);
      this.stats.open -= 1;
    });
  }
}
