/**
 * The Python KissBot client's functions, for code ported from it line by line. Each sends one
 * line on a connection of its own, as the Python client did. New code should use MonitorClient.
 */
import type { Features } from './messages.js';
import { MonitorClient } from './monitor-client.js';

/** Where the legacy functions send: `$KISSMON_SOCKET`, else `/tmp/kissbot_monitor.sock`. */
export interface LegacyOptions {
  socketPath?: string;
}

function openLegacyClient(channel: string, pid: number, options: LegacyOptions): MonitorClient {
  return new MonitorClient(channel, pid, {
    socketPath: options.socketPath,
    mode: 'per-message',
  });
}

/**
 * Registers a bot with one message on a new connection. Resolves false if it was not sent.
 * @deprecated Use `new MonitorClient(channel, pid).register(features)`.
 */
export function registerWithMonitor(
  channel: string,
  pid: number,
  features: Features = {},
  options: LegacyOptions = {},
): Promise<boolean> {
  return openLegacyClient(channel, pid, options).register(features);
}

/**
 * Sends one heartbeat on a new connection. Resolves false if it was not sent.
 * @deprecated Use `MonitorClient.heartbeat()` or `MonitorClient.startHeartbeat()`.
 */
export function sendHeartbeat(
  channel: string,
  pid: number,
  options: LegacyOptions = {},
): Promise<boolean> {
  return openLegacyClient(channel, pid, options).heartbeat();
}

/**
 * Unregisters a bot with one message on a new connection. Resolves false if it was not sent.
 * @deprecated Use `MonitorClient.unregister(reason)`.
 */
export function unregisterFromMonitor(
  channel: string,
  pid: number,
  reason?: string,
  options: LegacyOptions = {},
): Promise<boolean> {
  return openLegacyClient(channel, pid, options).unregister(reason);
}

/**
 * Sends a heartbeat every `intervalMs` until stopped, each on a new connection; its timer never
 * keeps the process alive.
 * @deprecated Use `MonitorClient.startHeartbeat(intervalMs)` and `stopHeartbeat()`.
 */
export class HeartbeatTask {
  private readonly client: MonitorClient;
  private readonly intervalMs: number;

  constructor(channel: string, pid: number, intervalMs = 30_000, options: LegacyOptions = {}) {
    this.client = openLegacyClient(channel, pid, options);
    this.intervalMs = intervalMs;
  }

  /** Sends the first heartbeat now and starts the timer; resolves with the first one's result. */
  start(): Promise<boolean> {
    return this.client.startHeartbeat(this.intervalMs);
  }

  /** Stops the timer; resolves true if it was running. */
  stop(): Promise<boolean> {
    return this.client.stopHeartbeat();
  }
}
