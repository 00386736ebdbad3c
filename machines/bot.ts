/**
 * One bot's lifecycle: registered → alive ⇄ stale → unregistered, or dead; restoring when
 * kissmon rebuilds the bot from its database row after a restart.
 *
 * Pure definition: timestamps and process facts arrive on events (from the monitor's injected
 * clock and its reading of /proc). The crash-loop window is a named XState delay, driven by a
 * SimulatedClock in tests. Staleness arrives as an `overdue` event: the monitor keeps each bot's
 * heartbeat deadline (src/monitor/stale-watch.ts), because a heartbeat on an alive bot changes
 * nothing here and re-arming a delay for every one of them was most of kissmon's CPU at 10,000
 * bots (docs/BENCHMARKS.md).
 */
import { assign, cancel, raise, setup } from 'xstate';

export type Features = Record<string, boolean>;

export type BotState = 'registered' | 'alive' | 'stale' | 'unregistered' | 'dead';

/** How many registers under new PIDs, within what window, make a crash loop. */
export interface CrashLoopPolicy {
  crashLoopRegisters: number;
  crashLoopWindowMs: number;
}

/** What a bot was when kissmon stopped, read back from its `bot_status` row. */
export interface RestoredFacts {
  state: BotState;
  /** The row's last_seen (epoch ms): the monitor's, not the machine's, to keep (bot-entry.ts). */
  lastSeen: number;
  /** Whether its PID still runs the same process (start time unchanged). */
  processAlive: boolean;
  duplicatePid: number | undefined;
  crashLooping: boolean;
}

/** Everything the monitor knows when it first hears of a bot. */
export interface BotInput extends CrashLoopPolicy {
  channel: string;
  pid: number;
  features: Features;
  at: number;
  staleAfterMs: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), when known. */
  startTime?: number | undefined;
  version?: string | undefined;
  host?: string | undefined;
  heartbeatIntervalS?: number | undefined;
  /** True when the bot was first heard of through a heartbeat, not a register. */
  implicit?: boolean;
  restored?: RestoredFacts | undefined;
}

export interface BotContext extends CrashLoopPolicy {
  channel: string;
  pid: number;
  startTime: number | undefined;
  features: Features;
  registeredAt: number;
  staleAfterMs: number;
  version: string | undefined;
  host: string | undefined;
  heartbeatIntervalS: number | undefined;
  implicit: boolean;
  restored: RestoredFacts | undefined;
  /** Why the bot is in its current state, in a few words. */
  reason: string;
  /** Another running process that speaks for the same channel. */
  duplicatePid: number | undefined;
  /** When registers under new PIDs happened, within the crash-loop window. */
  recentRestarts: number[];
  crashLooping: boolean;
}

export type RegisterEvent = Omit<
  BotInput,
  'channel' | 'implicit' | 'restored' | keyof CrashLoopPolicy
> & {
  type: 'register';
  /** Set by the monitor when the PID this bot ran under is still running. */
  duplicateOf?: number | undefined;
};

/**
 * One run of consecutive heartbeats, folded into one event by the monitor. An alive bot's own
 * heartbeats are not sent (they would change nothing); those of any other state, or another PID, are.
 */
export interface HeartbeatEvent {
  type: 'heartbeat';
  channel: string;
  pid: number;
  at: number;
  count: number;
  rssMb?: number | undefined;
  cpuPct?: number | undefined;
  status?: string | undefined;
  /** Set by the monitor when the heartbeat's PID differs and the bot's own PID still runs. */
  duplicate?: boolean;
  startTime?: number | undefined;
}

export interface UnregisterEvent {
  type: 'unregister';
  pid: number;
  at: number;
  reason?: string | undefined;
}

/** Sent by the monitor when a bot's heartbeat deadline passed (src/monitor/stale-watch.ts). */
export interface OverdueEvent {
  type: 'overdue';
  silentMs: number;
}

export interface DiedEvent {
  type: 'died';
  at: number;
  reason: string;
}

export interface DuplicateGoneEvent {
  type: 'duplicateGone';
  pid: number;
}

export type BotEvent =
  | RegisterEvent
  | HeartbeatEvent
  | UnregisterEvent
  | DiedEvent
  | DuplicateGoneEvent
  | OverdueEvent
  | { type: 'crashLoopSettled' };

/** The KissBot monitor's status words, kept for the `bot_status.status` column. */
export const LEGACY_STATUS: Record<BotState, string> = {
  registered: 'online',
  alive: 'online',
  stale: 'stale',
  unregistered: 'offline',
  dead: 'dead',
};

const CRASH_LOOP_TIMER = 'crashLoopSettled';

function contextFromInput(input: BotInput): BotContext {
  return {
    channel: input.channel,
    pid: input.pid,
    startTime: input.startTime,
    features: input.features,
    registeredAt: input.at,
    staleAfterMs: input.staleAfterMs,
    version: input.version,
    host: input.host,
    heartbeatIntervalS: input.heartbeatIntervalS,
    implicit: input.implicit ?? false,
    restored: input.restored,
    reason: input.implicit ? 'heartbeat from an unknown channel' : 'registered',
    duplicatePid: input.restored?.duplicatePid,
    recentRestarts: [],
    crashLooping: input.restored?.crashLooping ?? false,
    crashLoopRegisters: input.crashLoopRegisters,
    crashLoopWindowMs: input.crashLoopWindowMs,
  };
}

function describeRegister(context: BotContext, event: RegisterEvent): string {
  if (event.duplicateOf !== undefined) return `duplicate: pid ${event.duplicateOf} still running`;
  return event.pid === context.pid ? 're-registered' : `replaced pid ${context.pid}`;
}

function isRestoredAs(state: BotState) {
  return ({ context }: { context: BotContext }) => context.restored?.state === state;
}

// A heartbeat from a second running process is recorded as a duplicate, not obeyed; any other
// heartbeat makes the bot alive.
const heartbeatToAlive = [
  { guard: 'isDuplicateHeartbeat', actions: 'recordDuplicate' },
  { target: 'alive', actions: 'applyHeartbeat' },
] as const;

const overdueToStale = { target: 'stale', actions: 'markStale' } as const;

export const botMachine = setup({
  types: {
    context: {} as BotContext,
    events: {} as BotEvent,
    input: {} as BotInput,
  },
  delays: {
    crashLoopWindow: ({ context }) => context.crashLoopWindowMs,
  },
  guards: {
    isImplicit: ({ context }) => context.implicit,
    isRestoring: ({ context }) => context.restored !== undefined,
    isRestoredUnregistered: isRestoredAs('unregistered'),
    isRestoredDead: isRestoredAs('dead'),
    isRestoredStale: isRestoredAs('stale'),
    isRestoredRegistered: isRestoredAs('registered'),
    isProcessGone: ({ context }) => context.restored?.processAlive === false,
    isSamePid: ({ context, event }) => 'pid' in event && event.pid === context.pid,
    isOtherPid: ({ context, event }) => 'pid' in event && event.pid !== context.pid,
    isDuplicateHeartbeat: ({ event }) => event.type === 'heartbeat' && event.duplicate === true,
    isDuplicateGone: ({ context, event }) =>
      event.type === 'duplicateGone' && event.pid === context.duplicatePid,
    isNewPid: ({ context, event }) => event.type === 'register' && event.pid !== context.pid,
  },
  actions: {
    applyRegister: assign(({ context, event }) => {
      if (event.type !== 'register') return {};
      const { type: _type, duplicateOf, ...input } = event;
      const { channel, crashLoopRegisters, crashLoopWindowMs } = context;
      return {
        ...contextFromInput({ ...input, channel, crashLoopRegisters, crashLoopWindowMs }),
        reason: describeRegister(context, event),
        duplicatePid: duplicateOf,
        recentRestarts: context.recentRestarts,
        crashLooping: context.crashLooping,
      };
    }),
    countRestart: assign(({ context, event }) => {
      const since = event.type === 'register' ? event.at - context.crashLoopWindowMs : 0;
      const at = event.type === 'register' ? event.at : 0;
      const recentRestarts = [...context.recentRestarts.filter((t) => t > since), at];
      const crashLooping = recentRestarts.length > context.crashLoopRegisters;
      const windowS = context.crashLoopWindowMs / 1000;
      const reason = crashLooping
        ? `crash loop: ${recentRestarts.length} new pids within ${windowS}s`
        : context.reason;
      return { recentRestarts, crashLooping, reason };
    }),
    settleCrashLoop: assign(({ context }) => ({
      recentRestarts: [],
      crashLooping: false,
      reason: context.crashLooping ? 'crash loop over: stayed up' : context.reason,
    })),
    applyHeartbeat: assign(({ context, event }) => {
      if (event.type !== 'heartbeat') return {};
      const pidChanged = event.pid !== context.pid;
      return {
        pid: event.pid,
        startTime: pidChanged ? event.startTime : context.startTime,
        reason: pidChanged ? `heartbeat from pid ${event.pid}` : 'heartbeat',
      };
    }),
    recordDuplicate: assign(({ event }) => {
      if (event.type !== 'heartbeat') return {};
      return {
        duplicatePid: event.pid,
        reason: `duplicate: pid ${event.pid} also sends heartbeats`,
      };
    }),
    clearDuplicate: assign(({ context }) => ({
      duplicatePid: undefined,
      reason: `duplicate pid ${context.duplicatePid} gone`,
    })),
    markStale: assign(({ event }) => ({
      reason: `no heartbeat for ${Math.round((event.type === 'overdue' ? event.silentMs : 0) / 1000)}s`,
    })),
    markRestored: assign(({ context }) => ({
      reason: `restored as ${context.restored?.state} after a restart`,
    })),
    markGoneWhileDown: assign(({ context }) => ({
      reason: `process ${context.pid} ended while kissmon was down`,
    })),
    applyUnregister: assign(({ event }) => {
      if (event.type !== 'unregister') return {};
      return {
        reason: event.reason ?? 'unregistered',
        duplicatePid: undefined,
      };
    }),
    applyDeath: assign(({ event }) => {
      if (event.type !== 'died') return {};
      return { reason: event.reason };
    }),
  },
}).createMachine({
  id: 'bot',
  context: ({ input }) => contextFromInput(input),
  initial: 'starting',
  on: {
    register: [
      {
        guard: 'isNewPid',
        target: '.registered',
        reenter: true,
        actions: [
          'applyRegister',
          'countRestart',
          cancel(CRASH_LOOP_TIMER),
          raise({ type: 'crashLoopSettled' }, { delay: 'crashLoopWindow', id: CRASH_LOOP_TIMER }),
        ],
      },
      { target: '.registered', reenter: true, actions: 'applyRegister' },
    ],
    unregister: { guard: 'isSamePid', target: '.unregistered', actions: 'applyUnregister' },
    died: { target: '.dead', actions: 'applyDeath' },
    duplicateGone: { guard: 'isDuplicateGone', actions: 'clearDuplicate' },
    crashLoopSettled: { actions: 'settleCrashLoop' },
  },
  states: {
    starting: {
      always: [
        { guard: 'isRestoring', target: 'restoring' },
        { guard: 'isImplicit', target: 'alive' },
        { target: 'registered' },
      ],
    },
    restoring: {
      entry: 'markRestored',
      always: [
        { guard: 'isRestoredUnregistered', target: 'unregistered' },
        { guard: 'isRestoredDead', target: 'dead' },
        { guard: 'isProcessGone', target: 'dead', actions: 'markGoneWhileDown' },
        { guard: 'isRestoredStale', target: 'stale' },
        { guard: 'isRestoredRegistered', target: 'registered' },
        { target: 'alive' },
      ],
    },
    registered: {
      on: { heartbeat: heartbeatToAlive, overdue: overdueToStale },
    },
    alive: {
      on: { heartbeat: heartbeatToAlive, overdue: overdueToStale },
    },
    stale: {
      on: { heartbeat: heartbeatToAlive },
    },
    unregistered: {
      on: { heartbeat: { target: 'alive', actions: 'applyHeartbeat' } },
    },
    // The dead process cannot speak again; another process under the channel's name can.
    dead: {
      on: { heartbeat: { guard: 'isOtherPid', target: 'alive', actions: 'applyHeartbeat' } },
    },
  },
});
