/** `kissmon status`: every bot in one table, in the manner of `pm2 ls`. */
import type { BotRow } from '../debug/bot-view.js';
import { debugSocketOf, type ConnectionOptions } from './connection-options.js';
import { request } from './debug-client.js';
import { formatDuration, paint, printJson, renderTable, useColour, type Colour } from './output.js';

const STATE_COLOURS: Record<string, Colour> = {
  registered: 'cyan',
  alive: 'green',
  stale: 'yellow',
  unregistered: 'grey',
  dead: 'red',
};

const HEADER = ['channel', 'state', 'pid', 'uptime', 'heartbeat', 'cpu', 'memory', 'flags'];

function isUp(bot: BotRow): boolean {
  return bot.state === 'registered' || bot.state === 'alive' || bot.state === 'stale';
}

export function renderStatus(bots: BotRow[], now: number, colour: boolean): string[] {
  if (bots.length === 0) return ['no bots yet'];

  const sorted = [...bots].sort((a, b) => a.channel.localeCompare(b.channel));
  const rows = sorted.map((bot) => [
    bot.channel,
    paint(bot.state ?? '-', STATE_COLOURS[bot.state ?? ''], colour),
    String(bot.pid),
    isUp(bot) ? formatDuration(now - Date.parse(bot.registeredAt)) : '-',
    `${formatDuration(now - Date.parse(bot.lastHeartbeat))} ago`,
    bot.cpuPct === null ? '-' : `${bot.cpuPct.toFixed(1)}%`,
    bot.rssMb === null ? '-' : `${bot.rssMb.toFixed(1)} MB`,
    bot.flags.join(',') || '-',
  ]);
  return renderTable(HEADER, rows).map((line, index) =>
    index === 0 ? paint(line, 'bold', colour) : line,
  );
}

export async function runStatus(options: ConnectionOptions): Promise<void> {
  const bots = await request<BotRow[]>(debugSocketOf(options), { cmd: 'bots' });
  if (options.json) return printJson(bots);

  const lines = renderStatus(bots, Date.now(), useColour());
  process.stdout.write(`${lines.join('\n')}\n`);
}
