/**
 * The monitor: one bot actor per channel, fed one mailbox slice at a time.
 *
 * Bots are actors in a Map, never spawned as children of a machine (XState copies a parent's
 * children on every spawn and stop); they are created under one parent actor only to share its
 * actor system. The hot path pays per slice: an alive bot's own heartbeats only
 * move its pulse and deadline (stale-watch.ts), any other run of one bot's heartbeats becomes
 * one event, usage rows skip the bot machines entirely, and the persistence actor gets one
 * batch per slice.
 */
import { createActor, type Actor, type AnyActorRef } from 'xstate';
import type { Logger } from 'pino';
import {
  botMachine,
  type BotEvent,
  type BotInput,
  type BotState,
  type CrashLoopPolicy,
  type HeartbeatEvent,
} from '../../machines/bot.js';
import { fleetMachine } from '../../machines/fleet.js';
import { RejectCode } from '../protocol/errors.js';
import type { Message, MessageType, RegisterMessage } from '../protocol/messages.js';
import { emptyBatch, countRows, type Batch } from '../store/rows.js';
import { actorOptions, type Clock } from '../clock.js';
import { isSameProcess, type ProcessTable } from '../probe/process-table.js';
import { resolveStaleAfterMs, type StaleTimeoutOptions } from './stale-timeout.js';
import { toEventRow, toMetricRow, toSeenRow, toStatusRow, toUsageRow } from './rows.js';
import { StaleWatch } from './stale-watch.js';
import {
  featuresJsonOf,
  LIVE_STATES,
  type BotActor,
  type BotEntry,
  type BotSnapshot,
  type BotView,
  type Pulse,
  type ResourceSample,
} from './bot-entry.js';
import { foldHeartbeat } from './heartbeat-runs.js';
import type { ProbeFinding, ProbeTarget } from './probe-findings.js';

export type { BotSnapshot, BotView, ResourceSample } from './bot-entry.js';
export type { ProbeFinding, ProbeTarget } from './probe-findings.js';

/** One transition of one bot, as it is logged, persisted and streamed. */
export interface BotTransition {
  at: number;
  channel: string;
  pid: number;
  from: BotState | null;
  to: BotState;
  reason: string;
}

export interface MonitorOptions extends StaleTimeoutOptions, CrashLoopPolicy {
  clock: Clock;
  /**
   * At most one `bot_metrics` row from a bot's own heartbeats per this many ms (the probe's
   * interval): a bot heart-beating every second would otherwise add 86,400 rows a day.
   */
  selfReportIntervalMs: number;
  logger: Logger;
  processes: ProcessTable;
  /** Receives the rows of each slice and of each timer-driven transition. */
  persist: (batch: Batch) => void;
  /** A valid message the monitor would not act on (a register from a PID that is not running). */
  refuse: (code: RejectCode, detail: string) => void;
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
  /** Bots whose state or facts changed: a whole status row each at the next handoff. */
  private readonly changed = new Set<string>();
  /** Bots heard from without any other change: their last_seen alone. */
  private readonly seen = new Set<string>();
  private readonly staleWatch: StaleWatch;
  /** The parent every bot actor is created under (machines/fleet.ts says why). */
  private readonly fleet: Actor<typeof fleetMachine>;
  private inSlice = false;
  private handoffScheduled = false;

  constructor(options: MonitorOptions) {
    this.options = options;
    this.staleWatch = new StaleWatch(options.clock, (now) => this.sweepOverdue(now));
    this.fleet = createActor(fleetMachine, actorOptions(options.clock)).start();
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
      const { since, sample, pulse } = entry;
      const { state } = entry.recorded;
      return { channel: context.channel, state, since, sample, pulse, context };
    });
  }

  /** The bot actors and their parent, for attaching an inspector to those already running. */
  listActors(): AnyActorRef[] {
    return [this.fleet, ...[...this.bots.values()].map((entry) => entry.actor)];
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
          if (heartbeats.get(message.channel)?.pid !== message.pid) {
            this.deliverHeartbeats(heartbeats, message.channel);
          }
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
          this.hearUnregister(message.channel, message.pid, now);
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

  /** Rebuilds bots from their persisted rows after a restart (see machines/bot.ts). */
  restore(inputs: readonly Omit<BotInput, keyof CrashLoopPolicy>[]): void {
    this.inSlice = true;
    for (const input of inputs) {
      const alive = isSameProcess(this.options.processes, input.pid, input.startTime);
      const restored = input.restored && { ...input.restored, processAlive: alive };
      this.spawn({ ...input, ...this.crashLoopPolicy(), restored });
    }
    this.inSlice = false;
    this.handoff();
  }

  /** Sends an event to one bot (the probe's `died`, for instance). */
  send(channel: string, event: BotEvent): void {
    this.bots.get(channel)?.actor.send(event);
  }

  /** Every process the probe should sample: live bots', and duplicates still on record. */
  probeTargets(): ProbeTarget[] {
    const targets: ProbeTarget[] = [];
    for (const [channel, entry] of this.bots) {
      const { context, value } = entry.actor.getSnapshot();
      if (!LIVE_STATES.has(value as BotState)) continue;
      targets.push({ channel, pid: context.pid, startTime: context.startTime, role: 'bot' });
      if (context.duplicatePid !== undefined) {
        targets.push({
          channel,
          pid: context.duplicatePid,
          startTime: undefined,
          role: 'duplicate',
        });
      }
    }
    return targets;
  }

  /** Applies one probe round: samples become metric rows, gone processes dead bots. */
  applyProbeRound(findings: readonly ProbeFinding[]): void {
    const now = this.options.clock.now();
    this.inSlice = true;

    for (const finding of findings) {
      const entry = this.bots.get(finding.target.channel);
      if (!entry) continue;
      const { context } = entry.actor.getSnapshot();
      // The bot may have re-registered under another PID while the round ran.
      const current = finding.target.role === 'bot' ? context.pid : context.duplicatePid;
      if (current !== finding.target.pid) continue;

      if (finding.kind === 'sample' && finding.target.role === 'bot') {
        const sample = { pid: finding.target.pid, rssMb: finding.rssMb, cpuPct: finding.cpuPct };
        this.batch.metrics.push(toMetricRow(context, sample, 'probe', featuresJsonOf(entry), now));
        keepSample(entry, { at: now, rssMb: sample.rssMb, cpuPct: sample.cpuPct, source: 'probe' });
      } else if (finding.kind === 'gone' && finding.target.role === 'bot') {
        entry.actor.send({ type: 'died', at: now, reason: finding.reason });
      } else if (finding.kind === 'gone') {
        entry.actor.send({ type: 'duplicateGone', pid: finding.target.pid });
      }
    }

    this.inSlice = false;
    this.handoff();
  }

  /** Hands whatever is waiting to persistence now. */
  handoff(): void {
    const now = this.options.clock.now();
    for (const channel of this.changed) {
      const entry = this.bots.get(channel);
      if (!entry?.recorded.state) continue;
      const { context } = entry.actor.getSnapshot();
      const { state } = entry.recorded;
      const json = featuresJsonOf(entry);
      this.batch.status.push(toStatusRow(context, state, entry.pulse.lastSeen, json, now));
    }
    for (const channel of this.seen) {
      const entry = this.bots.get(channel);
      if (!entry || this.changed.has(channel)) continue;
      this.batch.seen.push(toSeenRow(channel, entry.pulse.lastSeen, now));
    }
    this.changed.clear();
    this.seen.clear();

    if (countRows(this.batch) === 0) return;
    const batch = this.batch;
    this.batch = emptyBatch();
    this.options.persist(batch);
  }

  /** Stops every bot actor (and so its timers); their last states stay as persisted. */
  stop(): void {
    this.handoff();
    this.staleWatch.stop();
    for (const { actor } of this.bots.values()) this.fleet.send({ type: 'stopBot', bot: actor });
    this.fleet.stop();
  }

  private crashLoopPolicy(): CrashLoopPolicy {
    const { crashLoopRegisters, crashLoopWindowMs } = this.options;
    return { crashLoopRegisters, crashLoopWindowMs };
  }

  private register(message: RegisterMessage, now: number): void {
    const { processes } = this.options;
    const startTime = processes.startTime(message.pid);
    if (processes.checks && startTime === undefined) {
      this.options.refuse(
        RejectCode.pidNotRunning,
        `register for ${message.channel} refused: pid ${message.pid} is not running`,
      );
      return;
    }

    const entry = this.bots.get(message.channel);
    const event = {
      pid: message.pid,
      startTime,
      features: message.features,
      at: now,
      staleAfterMs: resolveStaleAfterMs(message.heartbeat_interval_s, this.options),
      version: message.version,
      host: message.host,
      heartbeatIntervalS: message.heartbeat_interval_s,
    };

    if (!entry) {
      this.spawn({ channel: message.channel, ...event, ...this.crashLoopPolicy() });
      return;
    }
    entry.pulse = newPulse(now);
    entry.actor.send({
      type: 'register',
      ...event,
      duplicateOf: this.runningOtherPid(entry, message.pid),
    });
    // Re-entering `registered` restarts the wait for a first heartbeat.
    this.rearm(entry, now);
  }

  private hearUnregister(channel: string, pid: number, now: number): void {
    const entry = this.bots.get(channel);
    if (entry?.actor.getSnapshot().context.pid === pid) entry.pulse.lastSeen = now;
  }

  // The PID the bot runs under, when it differs from `pid` and its process still runs.
  private runningOtherPid(entry: BotEntry, pid: number): number | undefined {
    const { context, value } = entry.actor.getSnapshot();
    if (context.pid === pid || !LIVE_STATES.has(value as BotState)) return undefined;
    const running = isSameProcess(this.options.processes, context.pid, context.startTime);
    return running && this.options.processes.checks ? context.pid : undefined;
  }

  // What came before a register, an unregister or another PID's heartbeat must be applied first.
  private deliverHeartbeats(heartbeats: Map<string, HeartbeatEvent>, channel: string): void {
    const event = heartbeats.get(channel);
    if (!event) return;

    heartbeats.delete(channel);
    this.deliverHeartbeat(event);
  }

  // An alive bot's own heartbeat would change nothing in its machine, so it is not sent there:
  // it moves the bot's pulse and deadline, and becomes a seen row (stale-watch.ts says why).
  private deliverHeartbeat(event: HeartbeatEvent): void {
    const entry = this.bots.get(event.channel) ?? this.spawnImplicit(event);
    const { context, value } = entry.actor.getSnapshot();

    if (context.pid !== event.pid) {
      event.duplicate = this.runningOtherPid(entry, event.pid) !== undefined;
      event.startTime = this.options.processes.startTime(event.pid);
    }
    if (value !== 'alive' || context.pid !== event.pid) entry.actor.send(event);

    // Heartbeats the machine refused (a duplicate's, a dead PID's) leave no mark.
    if (event.duplicate || entry.actor.getSnapshot().value !== 'alive') return;
    this.hearHeartbeat(entry, event);
    this.recordSelfReport(entry, event);
  }

  private hearHeartbeat(entry: BotEntry, event: HeartbeatEvent): void {
    const { pulse } = entry;
    pulse.lastSeen = event.at;
    pulse.heartbeats += event.count;
    // The same text again keeps the string already held, which is old, over a new one to age.
    if (event.status !== undefined && event.status !== pulse.statusText) {
      pulse.statusText = event.status;
    }
    pulse.rssMb = event.rssMb ?? pulse.rssMb;
    pulse.cpuPct = event.cpuPct ?? pulse.cpuPct;

    this.rearm(entry, event.at);
    this.seen.add(event.channel);
  }

  // The bot's next deadline, while it waits for heartbeats (registered or alive).
  private rearm(entry: BotEntry, from: number, snapshot = entry.actor.getSnapshot()): void {
    const { value, context } = snapshot;
    if (value !== 'registered' && value !== 'alive') {
      entry.dueAt = Infinity;
      return;
    }
    entry.dueAt = from + context.staleAfterMs;
    this.staleWatch.arm(entry.dueAt);
  }

  // The stale watch's sweep: every bot past its deadline goes stale.
  private sweepOverdue(now: number): number {
    let next = Infinity;
    for (const entry of this.bots.values()) {
      const { dueAt } = entry;
      if (dueAt > now) {
        next = Math.min(next, dueAt);
        continue;
      }
      entry.dueAt = Infinity;
      entry.actor.send({ type: 'overdue', silentMs: now - entry.pulse.lastSeen });
    }
    return next;
  }

  private spawnImplicit(event: HeartbeatEvent): BotEntry {
    return this.spawn({
      channel: event.channel,
      pid: event.pid,
      startTime: this.options.processes.startTime(event.pid),
      features: {},
      at: event.at,
      staleAfterMs: resolveStaleAfterMs(undefined, this.options),
      implicit: true,
      ...this.crashLoopPolicy(),
    });
  }

  // Some bots report their own CPU and memory on heartbeats; those are kept, marked 'self'.
  private recordSelfReport(entry: BotEntry, event: HeartbeatEvent): void {
    if (event.rssMb === undefined || event.cpuPct === undefined) return;
    keepSample(entry, { at: event.at, rssMb: event.rssMb, cpuPct: event.cpuPct, source: 'self' });

    const { selfRowAt } = entry;
    if (selfRowAt !== undefined && event.at - selfRowAt < this.options.selfReportIntervalMs) return;
    const { context } = entry.actor.getSnapshot();
    const sample = { pid: event.pid, rssMb: event.rssMb, cpuPct: event.cpuPct };
    this.batch.metrics.push(toMetricRow(context, sample, 'self', featuresJsonOf(entry), event.at));
    entry.selfRowAt = event.at;
  }

  private spawn(input: BotInput): BotEntry {
    const options = { input, parent: this.fleet, ...actorOptions(this.options.clock) };
    const actor = createActor(botMachine, options);
    const entry: BotEntry = {
      actor,
      recorded: { state: input.restored?.state ?? null, pid: input.pid, crashLooping: false },
      features: undefined,
      featuresJson: '{}',
      since: input.at,
      sample: undefined,
      pulse: newPulse(input.restored?.lastSeen ?? input.at),
      selfRowAt: undefined,
      dueAt: Infinity,
    };

    this.bots.set(input.channel, entry);
    actor.subscribe((snapshot) => this.observe(entry, snapshot));
    this.options.onSpawn?.(actor);
    actor.start();
    // A restored bot starts in the state it had, with no transition to arm it from.
    this.rearm(entry, this.options.clock.now());
    return entry;
  }

  private observe(entry: BotEntry, snapshot: BotSnapshot): void {
    const { context } = snapshot;
    const to = snapshot.value as BotState;
    const { recorded } = entry;

    if (
      to !== recorded.state ||
      context.pid !== recorded.pid ||
      context.duplicatePid !== recorded.duplicatePid ||
      context.crashLooping !== recorded.crashLooping
    ) {
      if (to !== recorded.state) {
        entry.since = this.options.clock.now();
        // A restored bot gets a whole stale timeout from kissmon's start: heartbeats that fell
        // while kissmon was down were never missed by the bot, and must not raise stale alerts.
        this.rearm(entry, entry.since, snapshot);
      }
      this.recordTransition(context, recorded.state, to);
      entry.recorded = {
        state: to,
        pid: context.pid,
        duplicatePid: context.duplicatePid,
        crashLooping: context.crashLooping,
      };
    }

    this.changed.add(context.channel);
    if (!this.inSlice) this.scheduleHandoff();
  }

  private recordTransition(
    context: BotSnapshot['context'],
    from: BotState | null,
    to: BotState,
  ): void {
    const now = this.options.clock.now();
    const { channel, pid, reason } = context;
    const transition: BotTransition = { at: now, channel, pid, from, to, reason };

    this.batch.events.push(toEventRow(context, from, to, now));
    this.options.logger.info({ channel, pid, from, to, reason }, 'bot transition');
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

function newPulse(lastSeen: number): Pulse {
  return { lastSeen, heartbeats: 0, statusText: undefined, rssMb: undefined, cpuPct: undefined };
}

// Updated in place: a new object per heartbeat would live about a second, long enough to reach
// the old generation, and 10,000 of them a second kept its collector busy.
function keepSample(entry: BotEntry, sample: ResourceSample): void {
  if (entry.sample) Object.assign(entry.sample, sample);
  else entry.sample = { ...sample };
}
