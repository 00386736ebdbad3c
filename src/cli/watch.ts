/**
 * `kissmon watch`: every bot transition as it happens, and a stats line every few seconds,
 * until Ctrl-C. With --json each line is the monitor's own reply line.
 */
import type { StatsView } from '../debug/stats.js';
import { CliErrorCode, KissmonError } from '../protocol/errors.js';
import { debugSocketOf, type ConnectionOptions } from './connection-options.js';
import { exchange, ReplyError, type Reply } from './debug-client.js';
import { paint, useColour } from './output.js';

interface WatchedTransition {
  at: string;
  channel: string;
  pid: number;
  from: string | null;
  to: string;
  reason: string;
}

export function renderTransition(transition: WatchedTransition, colour: boolean): string {
  const time = transition.at.slice(11, 19);
  const change = `${transition.from ?? '(new)'} → ${transition.to}`;
  const { channel, pid, reason } = transition;
  return `${time}  ${paint(channel, 'bold', colour)}  ${change}  pid ${pid}  ${reason}`;
}

export function renderStatsLine(stats: StatsView, colour: boolean): string {
  const { messages, rejects, mailbox, persistence } = stats;
  const received = Object.values(messages).reduce((sum, n) => sum + n, 0);
  const text =
    `-- bots ${stats.bots}  messages ${received}  rejected ${rejects.total}  ` +
    `mailbox ${mailbox.depth}  queued rows ${persistence.queuedRows}`;
  return paint(text, 'grey', colour);
}

function renderReply(reply: Reply, colour: boolean): string | undefined {
  if (reply.event === 'transition') {
    return renderTransition(reply.transition as WatchedTransition, colour);
  }
  if (reply.event === 'stats') return renderStatsLine(reply.stats as StatsView, colour);
  return undefined;
}

export async function runWatch(options: ConnectionOptions): Promise<void> {
  const path = debugSocketOf(options);
  const colour = useColour();

  const { closedByMonitor } = await exchange(path, { cmd: 'watch' }, (reply) => {
    if (reply.ok === false && reply.error) throw new ReplyError(reply.error);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    } else if (reply.ok) {
      process.stderr.write(`watching the monitor on ${path}; Ctrl-C to stop\n`);
    } else {
      const line = renderReply(reply, colour);
      if (line) process.stdout.write(`${line}\n`);
    }
    return true;
  });

  if (closedByMonitor) {
    throw new KissmonError(CliErrorCode.monitorClosed, `The monitor on ${path} stopped.`);
  }
}
