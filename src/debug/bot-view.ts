/**
 * How the debug socket shows a bot: the columns of `kissmon status`, with ISO timestamps and
 * the flags an operator acts on. Flags that a newer monitor part may set on the bot's context
 * (duplicate, crashLooping, restored) are read when present and left out when not.
 */
import { LEGACY_STATUS } from '../../machines/bot.js';
import type { BotView } from '../monitor/monitor.js';

export const FLAG_FIELDS = ['duplicate', 'crashLooping', 'restored', 'implicit'] as const;

export type BotFlag = (typeof FLAG_FIELDS)[number];

export interface BotRow {
  channel: string;
  state: string | null;
  status: string | null;
  pid: number;
  since: string;
  registeredAt: string;
  lastHeartbeat: string;
  heartbeats: number;
  cpuPct: number | null;
  rssMb: number | null;
  features: Record<string, boolean>;
  flags: BotFlag[];
  reason: string;
  version: string | null;
  host: string | null;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function readFlags(context: object): BotFlag[] {
  const fields = context as Record<string, unknown>;
  return FLAG_FIELDS.filter((flag) => fields[flag] === true);
}

export function toBotRow(bot: BotView): BotRow {
  const { context } = bot;
  return {
    channel: bot.channel,
    state: bot.state,
    status: bot.state ? LEGACY_STATUS[bot.state] : null,
    pid: context.pid,
    since: toIso(bot.since),
    registeredAt: toIso(context.registeredAt),
    lastHeartbeat: toIso(context.lastSeen),
    heartbeats: context.heartbeats,
    cpuPct: context.cpuPct ?? null,
    rssMb: context.rssMb ?? null,
    features: context.features,
    flags: readFlags(context),
    reason: context.reason,
    version: context.version ?? null,
    host: context.host ?? null,
  };
}
