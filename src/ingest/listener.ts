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
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';
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
const QUIET_POLL_MS = 10;

/** One bot's connection: its number in logs, its unfinished line, when it last sent a byte. */
class Connection {
  readonly id: number;
  readonly socket: Socket;
  readonly splitter: LineSplitter<Connection>;
  lastActive = 0;

  constructor(id: number, socket: Socket, lines: LineSplitterOptions<Connection>) {
    this.id = id;
    this.socket = socket;
    this.splitter = new LineSplitter<Connection>(lines, this);
  }
}

// The socket handlers are shared by every connection and find its state here, so a connection
// costs no closures of its own: a flood of one-message connections makes less garbage, and
// 10,000 quiet bots hold less memory.
const kConnection = Symbol('kissmon.ingestConnection');
type IngestSocket = Socket & { [kConnection]: Connection };
type SocketHandlers = ReturnType<IngestListener['createHandlers']>;

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
  private readonly connections = new Set<Connection>();
  private readonly lines: LineSplitterOptions<Connection>;
  private readonly idle: IdleSweeper<Connection> | undefined;
  private readonly handlers: SocketHandlers;
  private paused = false;

  constructor(options: IngestListenerOptions) {
    this.options = options;
    this.lines = {
      maxLineBytes: options.maxLineBytes,
      onLine: (line, from) => this.receiveLine(line, from),
      onOversize: (bytes, from) => this.rejectOversize(bytes, from),
    };
    this.server = createServer((socket) => this.accept(socket));
    this.server.maxConnections = options.maxConnections;
    this.server.on('drop', () => this.refuse());
    if (options.idleTimeoutMs > 0) {
      this.idle = new IdleSweeper({
        idleTimeoutMs: options.idleTimeoutMs,
        clock: options.clock ?? systemClock,
        connections: this.connections,
        onIdle: (connection) => this.closeIdle(connection.socket),
      });
    }
    this.handlers = this.createHandlers();
  }

  /** Bytes held for unfinished lines across all connections; each holds at most a line's limit. */
  get heldBytes(): number {
    let held = 0;
    for (const connection of this.connections) held += connection.splitter.buffered;
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
    for (const { socket } of this.connections) {
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

    // Activity is read off the counters, so that the readers pay no clock read for it.
    const deadline = Date.now() + deadlineMs;
    let quietSince = Date.now();
    let seen = this.stats.accepted + this.stats.bytes;
    while (Date.now() < deadline && Date.now() - quietSince < quietMs) {
      await sleep(Math.min(quietMs, QUIET_POLL_MS));
      const now = this.stats.accepted + this.stats.bytes;
      if (now !== seen) quietSince = Date.now();
      seen = now;
    }

    this.idle?.stop();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const gone = [...this.connections].map(({ socket }) => this.destroyAndWait(socket));
    await Promise.all([closed, ...gone]);
  }

  // A socket's 'close' can come after the server's; it is where the last unterminated line of
  // a bot that ended its stream is read, so shutdown waits for it.
  private destroyAndWait(socket: Socket): Promise<void> {
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.destroy();
    return gone;
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
    if (socket.destroyed) return;

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
    const connection = new Connection(++this.stats.accepted, socket, this.lines);
    (socket as IngestSocket)[kConnection] = connection;
    this.connections.add(connection);
    this.idle?.track(connection);
    this.stats.open += 1;
    if (this.paused) socket.pause();

    socket.on('data', this.handlers.data);
    socket.on('error', this.handlers.error);
    socket.on('close', this.handlers.close);
  }

  // Made once and shared by every socket; `this` in each is the socket that emitted.
  private createHandlers() {
    const { stats, idle, connections } = this;
    return {
      data(this: IngestSocket, chunk: Buffer): void {
        const connection = this[kConnection];
        idle?.touch(connection);
        stats.bytes += chunk.length;
        connection.splitter.push(chunk);
      },
      error(): void {
        stats.errors += 1;
      },
      // A last line without a newline counts if the bot ended the stream; one cut off by an
      // error or a close of ours does not. Read here, a socket needs no 'end' listener of its own.
      close(this: IngestSocket): void {
        const connection = this[kConnection];
        if (this.readableEnded) connection.splitter.end();
        connections.delete(connection);
        stats.open -= 1;
      },
    };
  }

  private receiveLine(line: Buffer, from: Connection): void {
    this.stats.lines += 1;
    const decoded = decodeLine(line);
    if (decoded.ok) this.options.deliver(decoded.message);
    else this.options.rejects.count(decoded.code, decoded.detail, from.id);
  }

  private rejectOversize(bytes: number, from: Connection): void {
    const { maxLineBytes, rejects } = this.options;
    rejects.count(
      RejectCode.lineTooLong,
      `line over ${maxLineBytes} bytes (${bytes} seen)`,
      from.id,
    );
  }
}
