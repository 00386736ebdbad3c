/**
 * The monitor: one bot actor per channel, fed one mailbox slice at a time.
 *
 * Bots are root actors in a Map, not children of one machine (XState copies a parent's children
 * on every spawn and stop). The hot path pays per slice: a run of one bot's heartbeats becomes
 * one event, usage rows skip the bot machines entirely, and the persistence actor gets one
 * batch per slice.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { Logger } from 'pino';
import {
  botMachine,
  type BotEvent,
  type BotInput,
  type BotState,
  type HeartbeatEvent,
} from '../../machines/bot.js';
import type {
  HeartbeatMessage,
  Message,
  MessageType,
  RegisterMessage,
} from '../protocol/messages.js';
import { emptyBatch, type Batch } from '../store/rows.js';
import { actorOptions, type Clock, type Inspect } from '../clock.js';
import { resolveStaleAfterMs, type StaleTimeoutOptions } from './stale-timeout.js';
import { toEventRow, toStatusRow, toUsageRow } from './rows.js';

type BotActor = Actor<typeof botMachine>;
type BotSnapshot = SnapshotFrom<typeof botMachine>;

interface BotEntry {
  actor: BotActor;
  state: BotState | null;
  pid: number;
  features: BotSnapshot['context']['features'] | undefined;
  featuresJson: string;
  /** When the bot entered its current state (epoch ms). */
  since: number;
}

/** One bot as the debug socket lists it. */
export interface BotView {
  channel: string;
  state: BotState | null;
  since: number;
  context: BotSnapshot['context'];
}

/** One transition of one bot, as it is logged, persisted and streamed. */
export interface BotTransition {
  at: number;
  channel: string;
  pid: number;
  from: BotState | null;
  to: BotState;
  reason: string;
}

export interface MonitorOptions extends StaleTimeoutOptions {
  clock: Clock;
  logger: Logger;
  /** Receives the rows of each slice and of each timer-driven transition. */
  persist: (batch: Batch) => void;
  inspect?: Inspect | undefined;
  /** Called with each new bot actor before it starts (an inspector attaches there). */
  onSpawn?: ((actor: BotActor) => void) | undefined;
}

export class Monitor {
  readonly messages: Record<MessageType, number> = {
    register: 0,
    heartbeat: 0,
    unregister: 0,
    llm_usage: 0,
  };

  private readonly bots = new Map<string, BotEntry>();
  private readonly transitionListeners = new Set<(transition: BotTransition) => void>();
  private readonly options: MonitorOptions;
  private batch: Batch = emptyBatch();
  private readonly changed = new Set<string>();
  private inSlice = false;
  private handoffScheduled = false;

  constructor(options: MonitorOptions) {
    this.options = options;
  }

  get size(): number {
    return this.bots.size;
  }

  /** The current snapshot of one bot, or undefined when kissmon has never heard of it. */
  getSnapshot(channel: string): BotSnapshot | undefined {
    return this.bots.get(channel)?.actor.getSnapshot();
  }

  /** Every bot with its state, since when, and its actor's context. */
  listBots(): BotView[] {
    return [...this.bots.values()].map((entry) => {
      const { context } = entry.actor.getSnapshot();
      return { channel: context.channel, state: entry.state, since: entry.since, context };
    });
  }

  /** The bot actors themselves, for attaching an inspector to those already running. */
  listActors(): BotActor[] {
    return [...this.bots.values()].map((entry) => entry.actor);
  }

  /** Calls `listener` for every transition of every bot; returns the unsubscribe function. */
  onTransition(listener: (transition: BotTransition) => void): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  /** Applies one mailbox slice, in order, and hands its rows to persistence. */
  handleSlice(messages: readonly Message[]): void {
    const now = this.options.clock.now();
    const heartbeats = new Map<string, HeartbeatEvent>();
    this.inSlice = true;

    for (const message of messages) {
      this.messages[message.type] += 1;

      switch (message.type) {
        case 'heartbeat':
          foldHeartbeat(heartbeats, message, now);
          break;
        case 'llm_usage':
          this.batch.usage.push(toUsageRow(message, now));
          break;
        case 'register':
          this.deliverHeartbeats(heartbeats, message.channel);
          this.register(message, now);
          break;
        case 'unregister':
          this.deliverHeartbeats(heartbeats, message.channel);
          this.send(message.channel, {
            type: 'unregister',
            pid: message.pid,
            at: now,
            reason: message.reason,
          });
          break;
      }
    }

    for (const event of heartbeats.values()) this.deliverHeartbeat(event);
    this.inSlice = false;
    this.handoff();
  }

  /** Sends an event to one bot (the probe's `died`, for instance). */
  send(channel: string, event: BotEvent): void {
    this.bots.get(channel)?.actor.send(event);
  }

  /** Hands whatever is waiting to persistence now. */
  handoff(): void {
    const now = this.options.clock.now();
    for (const channel of this.changed) {
      const entry = this.bots.get(channel);
      if (!entry?.state) continue;
      const { context } = entry.actor.getSnapshot();
      this.batch.status.push(toStatusRow(context, entry.state, featuresJsonOf(entry), now));
    }
    this.changed.clear();

    const batch = this.batch;
    if (batch.status.length + batch.usage.length + batch.events.length === 0) return;
    this.batch = emptyBatch();
    this.options.persist(batch);
  }

  /** Stops every bot actor (and so its timers); their last states stay as persisted. */
  stop(): void {
    this.handoff();
    for (const entry of this.bots.values()) entry.actor.stop();
  }

  private register(message: RegisterMessage, now: number): void {
    const staleAfterMs = resolveStaleAfterMs(message.heartbeat_interval_s, this.options);
    const input: Omit<BotInput, 'channel'> = {
      pid: message.pid,
      features: message.features,
      at: now,
      staleAfterMs,
      version: message.version,
      host: message.host,
      heartbeatIntervalS: message.heartbeat_interval_s,
    };

    const entry = this.bots.get(message.channel);
    if (entry) entry.actor.send({ type: 'register', ...input });
    else this.spawn({ channel: message.channel, ...input });
  }

  // A register or unregister must come after the heartbeats of the same bot that preceded it.
  private deliverHeartbeats(heartbeats: Map<string, HeartbeatEvent>, channel: string): void {
    const event = heartbeats.get(channel);
    if (!event) return;

    heartbeats.delete(channel);
    this.deliverHeartbeat(event);
  }

  private deliverHeartbeat(event: HeartbeatEvent): void {
    const { channel } = event;
    if (!this.bots.has(channel)) {
      const staleAfterMs = resolveStaleAfterMs(undefined, this.options);
      this.spawn({
        channel,
        pid: event.pid,
        features: {},
        at: event.at,
        staleAfterMs,
        implicit: true,
      });
    }
    this.bots.get(channel)!.actor.send(event);
  }

  private spawn(input: BotInput): void {
    const { clock, inspect } = this.options;
    const actor = createActor(botMachine, { input, ...actorOptions(clock, inspect) });
    const entry: BotEntry = {
      actor,
      state: null,
      pid: input.pid,
      features: undefined,
      featuresJson: '{}',
      since: input.at,
    };

    this.bots.set(input.channel, entry);
    actor.subscribe((snapshot) => this.observe(entry, snapshot));
    this.options.onSpawn?.(actor);
    actor.start();
  }

  private observe(entry: BotEntry, snapshot: BotSnapshot): void {
    const { context } = snapshot;
    const to = snapshot.value as BotState;

    if (to !== entry.state || context.pid !== entry.pid) {
      const now = this.options.clock.now();
      this.recordTransition(context, entry.state, to, now);
      entry.state = to;
      entry.pid = context.pid;
      entry.since = now;
    }

    this.changed.add(context.channel);
    if (!this.inSlice) this.scheduleHandoff();
  }

  private recordTransition(
    context: BotSnapshot['context'],
    from: BotState | null,
    to: BotState,
    now: number,
  ): void {
    const transition = {
      at: now,
      channel: context.channel,
      pid: context.pid,
      from,
      to,
      reason: context.reason,
    };
    this.batch.events.push(toEventRow(context, from, to, now));
    this.options.logger.info(transition, 'bot transition');
    for (const listener of this.transitionListeners) listener(transition);
  }

  // Transitions fired by timers happen outside any slice; gather those of one tick together.
  private scheduleHandoff(): void {
    if (this.handoffScheduled) return;
    this.handoffScheduled = true;
    queueMicrotask(() => {
      this.handoffScheduled = false;
      this.handoff();
    });
  }
}

function foldHeartbeat(
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

  run.pid = message.pid;
  run.count += 1;
  run.rssMb = message.rss_mb ?? run.rssMb;
  run.cpuPct = message.cpu_pct ?? run.cpuPct;
  run.status = message.status ?? run.status;
}

function featuresJsonOf(entry: BotEntry): string {
  const { features } = entry.actor.getSnapshot().context;
  if (features !== entry.features) {
    entry.features = features;
    entry.featuresJson = JSON.stringify(features);
  }
  return entry.featuresJson;
}
