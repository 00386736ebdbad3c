/** What the monitor keeps for each bot beside its actor, and how it shows a bot. */
import type { Actor, SnapshotFrom } from 'xstate';
import type { botMachine, BotState } from '../../machines/bot.js';

export type BotActor = Actor<typeof botMachine>;
export type BotSnapshot = SnapshotFrom<typeof botMachine>;

/** The states in which a bot's process is expected to run. */
export const LIVE_STATES: ReadonlySet<BotState> = new Set(['registered', 'alive', 'stale']);

export interface BotEntry {
  actor: BotActor;
  /** What was last recorded, to tell a transition from a mere update. */
  recorded: { state: BotState | null; pid: number; duplicatePid?: number; crashLooping: boolean };
  features: BotSnapshot['context']['features'] | undefined;
  featuresJson: string;
  /** When the bot entered its current state (epoch ms). */
  since: number;
  /** The latest CPU and memory sample, from the probe or from the bot's own heartbeat. */
  sample: ResourceSample | undefined;
  pulse: Pulse;
  /** When the last `bot_metrics` row from the bot's own heartbeats was made (epoch ms). */
  selfRowAt: number | undefined;
  /**
   * When the bot goes stale without another heartbeat (epoch ms); Infinity unless registered or
   * alive. Never undefined: a field that only ever holds numbers is updated in place, where one
   * that may hold undefined gets a new heap number on every heartbeat (docs/BENCHMARKS.md).
   */
  dueAt: number;
}

/**
 * What the bot's own heartbeats said last. Kept beside the actor rather than in its context:
 * most heartbeats never reach the actor (see stale-watch.ts).
 */
export interface Pulse {
  /** The last heartbeat, register or unregister heard from the bot's process (epoch ms). */
  lastSeen: number;
  heartbeats: number;
  statusText: string | undefined;
  /** Self-reported figures, each kept even when a heartbeat carries only one of the two. */
  rssMb: number | undefined;
  cpuPct: number | undefined;
}

export interface ResourceSample {
  at: number;
  rssMb: number;
  cpuPct: number;
  source: 'probe' | 'self';
}

/** One bot as the debug socket lists it. */
export interface BotView {
  channel: string;
  state: BotState | null;
  since: number;
  sample: ResourceSample | undefined;
  pulse: Pulse;
  context: BotSnapshot['context'];
}

/** The entry's features as JSON, serialised again only when they changed. */
export function featuresJsonOf(entry: BotEntry): string {
  const { features } = entry.actor.getSnapshot().context;
  if (features !== entry.features) {
    entry.features = features;
    entry.featuresJson = JSON.stringify(features);
  }
  return entry.featuresJson;
}
