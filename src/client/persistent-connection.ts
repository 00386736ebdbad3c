/**
 * The persistent mode: one connection kept open, reopened with backoff when it is lost, and an
 * outbox for what cannot be written meanwhile. Nothing here blocks or throws.
 */
import type { Socket } from 'node:net';
import { resolveBackoffMs } from './backoff.js';
import { openConnection } from './connect.js';
import { Outbox } from './outbox.js';

export interface PersistentConnectionOptions {
  socketPath: string;
  outboxSize: number;
  connectTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Lines written first on every connect: the bot's register and, if it beats, a heartbeat. */
  greet: (outboxHasHeartbeat: boolean) => string[];
  /** Whether the bot still wants a connection when nothing is queued (it is registered). */
  wantsConnection: () => boolean;
}

type State = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

export interface ConnectionCounters {
  sent: number;
  connects: number;
  connectFailures: number;
  disconnects: number;
}

export class PersistentConnection {
  readonly counters: ConnectionCounters = {
    sent: 0,
    connects: 0,
    connectFailures: 0,
    disconnects: 0,
  };
  readonly outbox: Outbox;

  private readonly options: PersistentConnectionOptions;
  private state: State = 'idle';
  private closing = false;
  private socket: Socket | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private connectWaiters: ((connected: boolean) => void)[] = [];
  private emptied: (() => void) | undefined;
  private closed: Promise<boolean> | undefined;

  constructor(options: PersistentConnectionOptions) {
    this.options = options;
    this.outbox = new Outbox(options.outboxSize);
  }

  get connected(): boolean {
    return this.state === 'open';
  }

  /** Bytes handed to the socket that the kernel has not taken yet. */
  get bufferedBytes(): number {
    return this.socket?.writableLength ?? 0;
  }

  /**
   * Writes one line at once if the connection is open and keeps up, else queues it. Resolves
   * true when the line went onto an open connection; false when it is queued or dropped.
   */
  send(line: string, heartbeat = false): Promise<boolean> {
    if (this.state === 'closed') return Promise.resolve(false);

    if (this.state === 'open' && this.isWritable()) {
      this.write(line);
      return Promise.resolve(true);
    }

    // While a connect is in flight its outcome comes within moments: the caller waits for it.
    return new Promise((resolve) => {
      const waits = this.state === 'idle' || this.state === 'connecting';
      this.outbox.push({ line, heartbeat, settle: waits ? resolve : undefined });
      if (!waits) resolve(false);
      if (this.state === 'idle') this.startConnect();
    });
  }

  /** Resolves true once a connection is open (the greeting written), false if none is now. */
  whenConnected(): Promise<boolean> {
    if (this.state === 'open') return Promise.resolve(true);
    if (this.state === 'closed' || this.state === 'waiting') return Promise.resolve(false);

    const connected = new Promise<boolean>((resolve) => this.connectWaiters.push(resolve));
    if (this.state === 'idle') this.startConnect();
    return connected;
  }

  /**
   * Writes what it can within `timeoutMs` (connecting once more if it must), then closes.
   * Resolves true when nothing was left behind.
   */
  close(timeoutMs: number): Promise<boolean> {
    this.closed ??= this.shutDown(timeoutMs);
    return this.closed;
  }

  private async shutDown(timeoutMs: number): Promise<boolean> {
    this.closing = true;
    clearTimeout(this.retryTimer);

    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => (deadline = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.finish(), expired]);
    clearTimeout(deadline);

    const unwritten = this.bufferedBytes;
    this.state = 'closed';
    this.socket?.destroy();
    const left = this.outbox.discard();
    this.settleConnectWaiters(false);
    return left === 0 && unwritten === 0;
  }

  private async finish(): Promise<void> {
    if (this.state === 'connecting') await this.connecting;
    const needed = this.outbox.size > 0;
    if (this.state !== 'open' && needed) await this.startConnect();

    const socket = this.socket;
    if (this.state !== 'open' || !socket) return;

    if (this.outbox.size > 0) await new Promise<void>((resolve) => (this.emptied = resolve));
    await new Promise<void>((resolve) => socket.end(resolve));
  }

  private startConnect(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.state = 'connecting';
    this.connecting = this.connect();
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const { socketPath, connectTimeoutMs } = this.options;
    const result = await openConnection({ socketPath, timeoutMs: connectTimeoutMs });

    if (this.state === 'closed') {
      if (!(result instanceof Error)) result.destroy();
      return;
    }
    if (result instanceof Error) this.fail();
    else this.adopt(result);
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    this.state = 'open';
    this.attempt = 0;
    this.counters.connects += 1;

    // The monitor never writes back; anything it might send is read and thrown away.
    socket.unref();
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => this.lose(socket));
    socket.on('drain', () => this.flush());

    for (const line of this.options.greet(this.outbox.hasHeartbeat)) this.write(line);
    this.settleConnectWaiters(true);
    this.flush();
  }

  private flush(): void {
    while (this.state === 'open' && this.canTakeMore()) {
      const entry = this.outbox.take();
      if (!entry) break;
      this.write(entry.line);
      entry.settle?.(true);
    }
    if (this.outbox.size === 0) this.emptied?.();
  }

  private isWritable(): boolean {
    return this.outbox.size === 0 && this.canTakeMore();
  }

  // A socket the monitor has just closed stays `open` here until its 'close' event; a line
  // written to it meanwhile would be lost, so it waits in the outbox for the reconnect.
  private canTakeMore(): boolean {
    const socket = this.socket!;
    return socket.writable && !socket.writableNeedDrain;
  }

  private write(line: string): void {
    this.socket!.write(`${line}\n`);
    this.counters.sent += 1;
  }

  private fail(): void {
    this.counters.connectFailures += 1;
    this.settleConnectWaiters(false);
    this.outbox.settleAll(false);
    this.scheduleRetry();
  }

  private lose(socket: Socket): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.counters.disconnects += 1;
    if (this.state === 'open') this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closing) {
      this.state = 'waiting';
      return;
    }
    if (this.outbox.size === 0 && !this.options.wantsConnection()) {
      this.state = 'idle';
      return;
    }

    this.state = 'waiting';
    const { reconnectMinMs: minMs, reconnectMaxMs: maxMs } = this.options;
    const delay = resolveBackoffMs(this.attempt, { minMs, maxMs });
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.startConnect(), delay).unref();
  }

  private settleConnectWaiters(connected: boolean): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const resolve of waiters) resolve(connected);
  }
}
