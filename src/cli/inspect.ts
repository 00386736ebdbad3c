/** `kissmon inspect <channel>`: one bot's snapshot, context and last transitions. */
import type { BotRow } from '../debug/bot-view.js';
import type { EventRow } from '../store/rows.js';
import { debugSocketOf, type ConnectionOptions } from './connection-options.js';
import { request } from './debug-client.js';
import { paint, printJson, renderTable, useColour } from './output.js';

interface BotDetail {
  bot: BotRow;
  state: string | null;
  context: Record<string, unknown>;
  transitions: EventRow[];
}

export function renderBot(detail: BotDetail, colour: boolean): string[] {
  const { bot } = detail;
  const facts: [string, string][] = [
    ['state', `${bot.state ?? '-'} (${bot.status ?? '-'}) since ${bot.since}`],
    ['reason', bot.reason],
    ['pid', String(bot.pid)],
    ['registered', bot.registeredAt],
    ['last heartbeat', `${bot.lastHeartbeat} (${bot.heartbeats} heartbeats)`],
    ['status text', bot.statusText ?? '-'],
    ['cpu / memory', `${bot.cpuPct ?? '-'} % / ${bot.rssMb ?? '-'} MB`],
    ['features', JSON.stringify(bot.features)],
    ['flags', bot.flags.join(', ') || '-'],
    ['version / host', `${bot.version ?? '-'} / ${bot.host ?? '-'}`],
  ];
  const width = Math.max(...facts.map(([label]) => label.length));
  const lines = [paint(bot.channel, 'bold', colour)];
  for (const [label, value] of facts) lines.push(`  ${label.padEnd(width)}  ${value}`);

  lines.push(
    '',
    paint('last transitions (newest first, as written to bot_events)', 'bold', colour),
  );
  if (detail.transitions.length === 0) lines.push('  none written yet');
  const rows = detail.transitions.map((row) => [
    row.ts,
    `${row.from_state ?? '(new)'} → ${row.to_state}`,
    String(row.pid),
    row.reason,
  ]);
  if (rows.length > 0) {
    lines.push(...renderTable(['ts', 'transition', 'pid', 'reason'], rows).map((l) => `  ${l}`));
  }
  return lines;
}

export async function runInspect(channel: string, options: ConnectionOptions): Promise<void> {
  const detail = await request<BotDetail>(debugSocketOf(options), { cmd: 'bot', channel });
  if (options.json) return printJson(detail);
  process.stdout.write(`${renderBot(detail, useColour()).join('\n')}\n`);
}
