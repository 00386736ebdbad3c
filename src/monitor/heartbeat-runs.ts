/** Folds a slice's consecutive heartbeats of one bot into one event for its actor. */
import type { HeartbeatEvent } from '../../machines/bot.js';
import type { HeartbeatMessage } from '../protocol/messages.js';

export function foldHeartbeat(
  heartbeats: Map<string, HeartbeatEvent>,
  message: HeartbeatMessage,
  now: number,
): void {
  const run = heartbeats.get(message.channel);
  if (!run) {
    heartbeats.set(message.channel, {
      type: 'heartbeat',
      channel: message.channel,
      pid: message.pid,
      at: now,
      count: 1,
      rssMb: message.rss_mb,
      cpuPct: message.cpu_pct,
      status: message.status,
    });
    return;
  }

  run.count += 1;
  run.rssMb = message.rss_mb ?? run.rssMb;
  run.cpuPct = message.cpu_pct ?? run.cpuPct;
  run.status = message.status ?? run.status;
}
