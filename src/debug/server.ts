/**
 * The debug socket: operators' JSONL requests (`bots`, `bot`, `stats`, `watch`, `machines`,
 * `inspect`) answered from the monitor's live state. The socket file is created with mode 0600:
 * only the user running kissmon may talk to it.
 */
import { chmod, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import type { Logger } from 'pino';
import { claimSocketPath } from '../ingest/socket-path.js';
import { LineSplitter } from '../ingest/line-splitter.js';
import type { BotTransition, Monitor } from '../monitor/monitor.js';
import { DebugErrorCode } from '../protocol/errors.js';
import type { InspectionControl } from '../inspect/inspection-control.js';
import { toBotRow } from './bot-view.js';
import { DebugConnection } from './connection.js';
import { describeMachines } from './machines.js';
import { parseRequest, type DebugRequest, type RequestId } from './requests.js';
import type { DebugCounters, StatsView } from './stats.js';
import type { TransitionReader } from './transitions.js';

const MAX_REQUEST_BYTES = 64 * 1024;
const LAST_TRANSITIONS = 20;

export interface DebugServerOptions {
  socketPath: string;
  monitor: Pick<Monitor, 'listBots' | 'onTransition'>;
  collectStats: () => StatsView;
  transitions: TransitionReader;
  inspection: InspectionControl;
  logger: Logger;
  /** How often a `watch` stream carries a stats line. */
  watchStatsIntervalMs: number;
  /** Bytes a client may leave unread before it is disconnected. */
  maxClientBuffer: number;
}

export class DebugServer {
  readonly counters: DebugCounters = {
    clientsOpen: 0,
    clientsTotal: 0,
    requests: 0,
    errors: {},
    slowClientsDisconnected: 0,
  };

  private readonly options: DebugServerOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Map<DebugConnection, string>();
  private unsubscribeTransitions: (() => void) | undefined;

  constructor(options: DebugServerOptions) {
    this.options = options;
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<void> {
    const { socketPath } = this.options;
    await claimSocketPath(socketPath);

    // The umask makes the socket file 0600 from its first instant; chmod repeats it explicitly.
    // Worker threads may not change the umask: there chmod alone does it.
    const previous = isMainThread ? process.umask(0o177) : undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(socketPath, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
    await chmod(socketPath, 0o600);
  }

  get socketPath(): string {
    return this.options.socketPath;
  }

  async close(): Promise<void> {
    this.options.transitions.close();
    await unlink(this.options.socketPath).catch(() => undefined);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    const connection = new DebugConnection(socket, this.options.maxClientBuffer, () => {
      this.counters.slowClientsDisconnected += 1;
    });
    const splitter = new LineSplitter({
      maxLineBytes: MAX_REQUEST_BYTES,
      onLine: (line) => this.handleLine(connection, line.toString('utf8')),
      onOversize: () => {
        const message = `A request is at most ${MAX_REQUEST_BYTES} bytes.`;
        this.replyError(connection, null, DebugErrorCode.requestTooLong, message);
      },
    });

    this.sockets.add(socket);
    this.counters.clientsOpen += 1;
    this.counters.clientsTotal += 1;

    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('end', () => splitter.end());
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.counters.clientsOpen -= 1;
    });
  }

  private handleLine(connection: DebugConnection, line: string): void {
    if (line.trim() === '') return;
    this.counters.requests += 1;

    const parsed = parseRequest(line);
    if (!parsed.ok) {
      this.replyError(connection, parsed.id, parsed.code, parsed.message);
      return;
    }
    this.handleRequest(connection, parsed.request).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.replyError(connection, parsed.request.id, DebugErrorCode.inspectFailed, message);
    });
  }

  private async handleRequest(connection: DebugConnection, request: DebugRequest) {
    const { id } = request;
    const { monitor, inspection } = this.options;

    switch (request.cmd) {
      case 'bots':
        return connection.send({ id, ok: true, result: monitor.listBots().map(toBotRow) });
      case 'bot':
        return this.replyBot(connection, id, request.channel);
      case 'stats':
        return connection.send({ id, ok: true, result: this.options.collectStats() });
      case 'machines':
        return connection.send({ id, ok: true, result: await describeMachines() });
      case 'watch':
        return this.startWatch(connection, id);
      case 'inspect': {
        const status =
          request.mode === 'on'
            ? await inspection.turnOn()
            : request.mode === 'off'
              ? await inspection.turnOff()
              : await inspection.status();
        return connection.send({ id, ok: true, result: status });
      }
    }
  }

  private replyBot(connection: DebugConnection, id: RequestId, channel: string) {
    const bot = this.options.monitor.listBots().find((entry) => entry.channel === channel);
    if (!bot) {
      const message = `No bot on channel ${JSON.stringify(channel)}.`;
      return this.replyError(connection, id, DebugErrorCode.unknownBot, message);
    }

    const transitions = this.options.transitions.readLast(channel, LAST_TRANSITIONS);
    const result = { bot: toBotRow(bot), state: bot.state, context: bot.context, transitions };
    return connection.send({ id, ok: true, result });
  }

  private startWatch(connection: DebugConnection, id: RequestId) {
    const { monitor, watchStatsIntervalMs } = this.options;
    this.watchers.set(connection, JSON.stringify(id));
    this.unsubscribeTransitions ??= monitor.onTransition((transition) =>
      this.broadcast(transition),
    );
    const timer = setInterval(() => {
      connection.send({ id, event: 'stats', stats: this.options.collectStats() });
    }, watchStatsIntervalMs).unref();

    connection.onClose(() => {
      clearInterval(timer);
      this.watchers.delete(connection);
      if (this.watchers.size > 0) return;
      this.unsubscribeTransitions?.();
      this.unsubscribeTransitions = undefined;
    });
    connection.send({ id, ok: true, result: { watching: true } });
  }

  // Runs inside the monitor's slice: serialise once, whatever the number of watchers.
  private broadcast(transition: BotTransition): void {
    const json = JSON.stringify(toWatchedTransition(transition));
    for (const [connection, id] of this.watchers) {
      connection.sendLine(`{"id":${id},"event":"transition","transition":${json}}`);
    }
  }

  private replyError(
    connection: DebugConnection,
    id: RequestId | null,
    code: DebugErrorCode,
    message: string,
  ) {
    this.counters.errors[code] = (this.counters.errors[code] ?? 0) + 1;
    return connection.send({ id, ok: false, error: { code, message } });
  }
}

function toWatchedTransition(transition: BotTransition) {
  return { ...transition, at: new Date(transition.at).toISOString() };
}
