/**
 * The TypeScript SDK for bots: tell the monitor you exist, that you are alive, what your LLM
 * calls cost, and that you are leaving. No call blocks, throws or rejects, whatever the monitor
 * does; each resolves to whether its line went out.
 */
import type { RejectCode } from '../protocol/errors.js';
import { DEFAULT_SOCKET_PATH } from '../protocol/limits.js';
import type { Message } from '../protocol/messages.js';
import { checkMessage } from './check-message.js';
import {
  buildHeartbeat,
  buildLlmUsage,
  buildRegister,
  buildUnregister,
  encodeMessage,
  type Features,
  type HeartbeatDetails,
  type LlmUsage,
  type RegisterDetails,
} from './messages.js';
import { PerMessageSender } from './per-message-sender.js';
import { PersistentConnection } from './persistent-connection.js';

/** How a client talks to the monitor. */
export type ClientMode = 'persistent' | 'per-message';

/** Settings of a {@link MonitorClient}; every one has a default. */
export interface MonitorClientOptions {
  /** The ingest socket. Default: `$KISSMON_SOCKET`, else `/tmp/kissbot_monitor.sock`. */
  socketPath?: string;
  /** `persistent` (default) keeps one connection; `per-message` opens one per line. */
  mode?: ClientMode;
  /** Persistent mode: lines held while the monitor cannot be written to. Default 1000. */
  outboxSize?: number;
  /** Longest wait for one connect. Default 1000 ms. */
  connectTimeoutMs?: number;
  /** Persistent mode: first delay before a reconnect, doubled each failure. Default 100 ms. */
  reconnectMinMs?: number;
  /** Persistent mode: longest delay between reconnects. Default 10 000 ms. */
  reconnectMaxMs?: number;
  /** Per-message mode: connections open at once; a send beyond is dropped. Default 64. */
  maxInFlight?: number;
}

/** What a client has done so far: every counter a bot can read, see docs/CLIENT.md. */
export interface MonitorClientStats {
  mode: ClientMode;
  /** Persistent mode: a connection is open now. */
  connected: boolean;
  /** Lines written to a connection. */
  sent: number;
  /** Lines waiting in the outbox now. */
  queued: number;
  /** Lines lost for good: outbox overflow, left at close, per-message sends that failed. */
  dropped: number;
  /** Heartbeats replaced in the outbox by a newer heartbeat. */
  coalesced: number;
  /** Calls refused because the monitor would reject their message; see `lastInvalid`. */
  invalid: number;
  /** The code the monitor would have rejected the last refused message with. */
  lastInvalid: RejectCode | undefined;
  /** Connections opened (persistent mode). */
  connects: number;
  /** Connect attempts that failed (persistent mode). */
  connectFailures: number;
  /** Open connections that were lost (persistent mode). */
  disconnects: number;
  /** Bytes written to the socket that the kernel has not taken yet. */
  bufferedBytes: number;
}

const DEFAULT_HEARTBEAT_MS = 30_000;
const MIN_HEARTBEAT_MS = 10;
const MAX_TIMER_MS = 2 ** 31 - 1;

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function resolveSocketPath(path: string | undefined): string {
  if (typeof path === 'string' && path.length > 0) return path;
  return process.env.KISSMON_SOCKET || DEFAULT_SOCKET_PATH;
}

/**
 * A bot's connection to kissmon.
 *
 * @example
 * const monitor = new MonitorClient('my_channel', process.pid);
 * await monitor.register({ llm: true, tts: false });
 * monitor.startHeartbeat();
 * await monitor.logLlmUsage({ model: 'gpt-4o', feature: 'chat', tokensIn: 812, tokensOut: 64 });
 * await monitor.unregister('shutdown');
 * await monitor.close();
 */
export class MonitorClient {
  readonly channel: string;
  readonly pid: number;
  readonly mode: ClientMode;

  private readonly connection: PersistentConnection | undefined;
  private readonly sender: PerMessageSender | undefined;
  private registration: string | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private invalid = 0;
  private lastInvalid: RejectCode | undefined;

  /**
   * Creates a client; it connects on its first call, never before. Never throws: a bad channel
   * or pid makes every call resolve false and count under `stats.invalid`.
   */
  constructor(channel: string, pid: number = process.pid, options: MonitorClientOptions = {}) {
    this.channel = channel;
    this.pid = pid;
    this.mode = options.mode === 'per-message' ? 'per-message' : 'persistent';

    const socketPath = resolveSocketPath(options.socketPath);
    const connectTimeoutMs = clamp(options.connectTimeoutMs, 1000, 1, MAX_TIMER_MS);
    if (this.mode === 'per-message') {
      const maxInFlight = clamp(options.maxInFlight, 64, 1, 65_536);
      this.sender = new PerMessageSender({ socketPath, connectTimeoutMs, maxInFlight });
      return;
    }

    const reconnectMinMs = clamp(options.reconnectMinMs, 100, 1, MAX_TIMER_MS);
    this.connection = new PersistentConnection({
      socketPath,
      connectTimeoutMs,
      outboxSize: clamp(options.outboxSize, 1000, 1, 1_000_000),
      reconnectMinMs,
      reconnectMaxMs: clamp(options.reconnectMaxMs, 10_000, reconnectMinMs, MAX_TIMER_MS),
      greet: (outboxHasHeartbeat) => this.greet(outboxHasHeartbeat),
      wantsConnection: () => this.registration !== undefined || this.isBeating(),
    });
  }

  /**
   * Announces the bot. In persistent mode it is announced again after every reconnect, so a
   * restarted monitor knows it at once.
   */
  register(features: Features = {}, details: RegisterDetails = {}): Promise<boolean> {
    return this.guard(() => {
      const line = this.encode(buildRegister(this, features, details));
      if (line === undefined) return Promise.resolve(false);
      if (!this.connection) return this.sender!.send(line);

      this.registration = line;
      if (this.connection.connected) return this.connection.send(line);
      return this.connection.whenConnected();
    });
  }

  /** Tells the monitor the bot is alive, with optional readings. */
  heartbeat(details: HeartbeatDetails = {}): Promise<boolean> {
    return this.guard(() => this.send(buildHeartbeat(this, details), true));
  }

  /** Says goodbye; stops the heartbeat first, so the bot does not come back to life. */
  unregister(reason?: string): Promise<boolean> {
    return this.guard(() => {
      this.stopHeartbeat();
      this.registration = undefined;
      return this.send(buildUnregister(this, reason));
    });
  }

  /**
   * Sends a heartbeat now and every `intervalMs` after, on a timer that never keeps the process
   * alive. Resolves with the first heartbeat's result. Calling it again restarts the rhythm.
   */
  startHeartbeat(intervalMs: number = DEFAULT_HEARTBEAT_MS): Promise<boolean> {
    return this.guard(() => {
      this.stopHeartbeat();
      const every = clamp(intervalMs, DEFAULT_HEARTBEAT_MS, MIN_HEARTBEAT_MS, MAX_TIMER_MS);
      this.heartbeatTimer = setInterval(() => void this.heartbeat(), every).unref();
      return this.heartbeat();
    });
  }

  /** Stops the heartbeat timer; resolves true if one was running. */
  stopHeartbeat(): Promise<boolean> {
    const wasBeating = this.isBeating();
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    return Promise.resolve(wasBeating);
  }

  /** Records one LLM call: tokens in and out, and optionally latency and cost. */
  logLlmUsage(usage: LlmUsage): Promise<boolean> {
    return this.guard(() => this.send(buildLlmUsage(this, usage)));
  }

  /**
   * Stops the heartbeat and writes what is still queued, for at most `timeoutMs`; then closes.
   * Resolves true when nothing was left behind. Every later call resolves false.
   */
  close(timeoutMs = 1000): Promise<boolean> {
    return this.guard(() => {
      this.stopHeartbeat();
      const deadline = clamp(timeoutMs, 1000, 0, MAX_TIMER_MS);
      return this.connection ? this.connection.close(deadline) : this.sender!.close(deadline);
    });
  }

  /** A fresh copy of the client's counters. */
  get stats(): MonitorClientStats {
    const connection = this.connection;
    const outbox = connection?.outbox.counters;
    const counters = connection?.counters;
    return {
      mode: this.mode,
      connected: connection?.connected ?? false,
      sent: counters?.sent ?? this.sender!.counters.sent,
      queued: connection?.outbox.size ?? 0,
      dropped: outbox?.dropped ?? this.sender!.counters.dropped,
      coalesced: outbox?.coalesced ?? 0,
      invalid: this.invalid,
      lastInvalid: this.lastInvalid,
      connects: counters?.connects ?? 0,
      connectFailures: counters?.connectFailures ?? 0,
      disconnects: counters?.disconnects ?? 0,
      bufferedBytes: connection?.bufferedBytes ?? 0,
    };
  }

  private send(message: Message, heartbeat = false): Promise<boolean> {
    const line = this.encode(message);
    if (line === undefined) return Promise.resolve(false);
    return this.connection ? this.connection.send(line, heartbeat) : this.sender!.send(line);
  }

  private encode(message: Message): string | undefined {
    const problem = checkMessage(message);
    if (problem === undefined) return encodeMessage(message);

    this.invalid += 1;
    this.lastInvalid = problem;
    return undefined;
  }

  private greet(outboxHasHeartbeat: boolean): string[] {
    const lines = this.registration === undefined ? [] : [this.registration];
    if (this.isBeating() && !outboxHasHeartbeat) {
      const heartbeat = this.encode(buildHeartbeat(this));
      if (heartbeat !== undefined) lines.push(heartbeat);
    }
    return lines;
  }

  private isBeating(): boolean {
    return this.heartbeatTimer !== undefined;
  }

  // Whatever a caller passes (a getter that throws, a BigInt JSON cannot hold), the bot must
  // not see an exception from its monitoring.
  private guard(call: () => Promise<boolean>): Promise<boolean> {
    try {
      return call().catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  }
}
