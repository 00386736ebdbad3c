/**
 * How the debug socket shows a bot: the columns of `kissmon status`, with ISO timestamps and
 * the flags an operator acts on.
 */
import { LEGACY_STATUS, type BotContext } from '../../machines/bot.js';
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
  /** The status text of the bot's last heartbeat that carried one. */
  statusText: string | null;
  cpuPct: number | null;
  rssMb: number | null;
  /** Where the CPU and memory figures come from: the probe, or the bot's own heartbeat. */
  sampledBy: 'probe' | 'self' | null;
  sampledAt: string | null;
  duplicatePid: number | null;
  features: Record<string, boolean>;
  flags: BotFlag[];
  reason: string;
  version: string | null;
  host: string | null;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function readFlags(context: BotContext): BotFlag[] {
  const set: Record<BotFlag, boolean> = {
    duplicate: context.duplicatePid !== undefined,
    crashLooping: context.crashLooping,
    restored: context.restored !== undefined,
    implicit: context.implicit,
  };
  return FLAG_FIELDS.filter((flag) => set[flag]);
}

const selfReported = ({ pulse }: BotView) =>
  pulse.rssMb !== undefined || pulse.cpuPct !== undefined;

export function toBotRow(bot: BotView): BotRow {
  const { context } = bot;
  return {
    channel: bot.channel,
    state: bot.state,
    status: bot.state ? LEGACY_STATUS[bot.state] : null,
    pid: context.pid,
    since: toIso(bot.since),
    registeredAt: toIso(context.registeredAt),
    lastHeartbeat: toIso(bot.pulse.lastSeen),
    heartbeats: bot.pulse.heartbeats,
    statusText: bot.pulse.statusText ?? null,
    cpuPct: bot.sample?.cpuPct ?? bot.pulse.cpuPct ?? null,
    rssMb: bot.sample?.rssMb ?? bot.pulse.rssMb ?? null,
    sampledBy: bot.sample?.source ?? (selfReported(bot) ? 'self' : null),
    sampledAt: bot.sample ? toIso(bot.sample.at) : null,
    duplicatePid: context.duplicatePid ?? null,
    features: context.features,
    flags: readFlags(context),
    reason: context.reason,
    version: context.version ?? null,
    host: context.host ?? null,
  };
}
