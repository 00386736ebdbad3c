/**
 * The ingest socket: accepts bots, reads their lines, decodes them and pushes valid messages
 * into the mailbox. Nothing here waits on processing; nothing is ever written back.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock.js';
import { decodeLine } from '../protocol/decode.js';
import { RejectCode } from '../protocol/errors.js';
import type { Message } from '../protocol/messages.js';
import { LineSplitter } from './line-splitter.js';
import type { RejectCounter } from './reject-counter.js';
import { IdleSweeper } from './idle-sweeper.js';
import { claimSocketPath } from './socket-path.js';
import { applySocketPermissions, type SocketPermissions } from './socket-permissions.js';

export interface IngestListenerOptions {
  socketPath: string;
  backlog: number;
  maxLineBytes: number;
  /** Connections past this many are closed at once and counted as refused. */
  maxConnections: number;
  /** A connection silent this long is closed and counted; 0 keeps quiet bots forever. */
  idleTimeoutMs: number;
  permissions: SocketPermissions;
  deliver: (message: Message) => void;
  rejects: RejectCounter;
  logger: Logger;
  clock?: Clock;
}

export interface ListenerStats {
  open: number;
  accepted: number;
  bytes: number;
  lines: number;
  errors: number;
  refused: number;
  idleClosed: number;
  acceptErrors: number;
}

// Owner and group may write (connect); the socket is created tighter still, then opened up.
const CREATE_UMASK = 0o177;

export class IngestListener {
  readonly stats: ListenerStats = {
    open: 0,
    accepted: 0,
    bytes: 0,
    lines: 0,
    errors: 0,
    refused: 0,
    idleClosed: 0,
    acceptErrors: 0,
  };

  private readonly options: IngestListenerOptions;
  private readonly server: Server;
  private readonly connections = new Map<Socket, LineSplitter>();
  private readonly idle: IdleSweeper<Socket> | undefined;
  private paused = false;
  private lastActivity = 0;

  constructor(options: IngestListenerOptions) {
    this.options = options;
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections;
    this.server.on('drop', () => this.refuse());
    if (options.idleTimeoutMs > 0) {
      this.idle = new IdleSweeper({
        idleTimeoutMs: options.idleTimeoutMs,
        clock: options.clock ?? systemClock,
        onIdle: (socket) => this.closeIdle(socket),
      });
    }
  }

  /** Bytes held for unfinished lines across all connections; each holds at most a line's limit. */
  get heldBytes(): number {
    let held = 0;
    for (const splitter of this.connections.values()) held += splitter.buffered;
    return held;
  }

  async listen(): Promise<void> {
    const { socketPath, backlog, logger } = this.options;
    const claimed = await claimSocketPath(socketPath);
    if (claimed === 'stale') logger.info({ socketPath }, 'removed stale socket file');

    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // Binding a path is synchronous: the umask covers only this socket file.
      const umask = process.umask(CREATE_UMASK);
      try {
        this.server.listen({ path: socketPath, backlog }, () => {
          this.server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    this.server.on('error', (error) => this.recordAcceptError(error));

    try {
      await applySocketPermissions(socketPath, this.options.permissions);
    } catch (error) {
      await this.close(0, 0);
      throw error;
    }
  }

  /** Pauses or resumes every reader: the mailbox's back-pressure. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const socket of this.connections.keys()) {
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

    this.idle?.stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections.keys()) socket.destroy();
    await closed;
  }

  // Logged on the first refusal and then once per thousand, so a crowd at the door is one line.
  private refuse(): void {
    this.stats.refused += 1;
    if (this.stats.refused !== 1 && this.stats.refused % 1000 !== 0) return;

    const { maxConnections } = this.options;
    this.options.logger.warn(
      { maxConnections, refused: this.stats.refused },
      'connection limit reached, refusing new connections',
    );
  }

  private closeIdle(socket: Socket): void {
    this.stats.idleClosed += 1;
    this.options.logger.debug(
      { idleTimeoutMs: this.options.idleTimeoutMs },
      'idle connection closed',
    );
    socket.destroy();
  }

  // Past the connection limit this should not happen; if the process runs out of descriptors
  // all the same (EMFILE), the server stays up and serves the connections it holds.
  private recordAcceptError(error: Error): void {
    this.stats.acceptErrors += 1;
    if (this.stats.acceptErrors === 1 || this.stats.acceptErrors % 1000 === 0) {
      this.options.logger.error(
        { err: error, acceptErrors: this.stats.acceptErrors },
        'cannot accept a connection',
      );
    }
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

    this.connections.set(socket, splitter);
    this.idle?.track(socket);
    this.stats.open += 1;
    this.lastActivity = Date.now();
    if (this.paused) socket.pause();

    socket.on('data', (chunk: Buffer) => {
      this.lastActivity = Date.now();
      this.idle?.touch(socket);
      this.stats.bytes += chunk.length;
      splitter.push(chunk);
    });
    socket.on('end', () => splitter.end());
    socket.on('error', () => {
      this.stats.errors += 1;
    });
    socket.on('close', () => {
      this.connections.delete(socket);
      this.idle?.forget(socket);
      this.stats.open -= 1;
    });
  }
}
