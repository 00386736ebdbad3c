/**
 * One bot's lifecycle: registered → alive ⇄ stale → unregistered, or dead.
 *
 * Pure definition: timestamps arrive on events (`at`, from the monitor's injected clock) and the
 * stale timeout is a named XState delay, so tests drive it with a SimulatedClock.
 */
import { assign, setup } from 'xstate';

export type Features = Record<string, boolean>;

/** Everything the monitor knows when a bot registers (or is first heard of). */
export interface BotInput {
  channel: string;
  pid: number;
  features: Features;
  at: number;
  staleAfterMs: number;
  version?: string;
  host?: string;
  heartbeatIntervalS?: number;
  /** True when the bot was first heard of through a heartbeat, not a register. */
  implicit?: boolean;
}

export interface BotContext extends Required<Pick<BotInput, 'channel' | 'pid' | 'features'>> {
  registeredAt: number;
  lastSeen: number;
  staleAfterMs: number;
  version: string | undefined;
  host: string | undefined;
  heartbeatIntervalS: number | undefined;
  implicit: boolean;
  /** Why the bot is in its current state, in a few words. */
  reason: string;
  heartbeats: number;
  rssMb: number | undefined;
  cpuPct: number | undefined;
  statusText: string | undefined;
}

export type RegisterEvent = Omit<BotInput, 'channel' | 'implicit'> & { type: 'register' };

/** One run of consecutive heartbeats, folded into one event by the monitor. */
export interface HeartbeatEvent {
  type: 'heartbeat';
  channel: string;
  pid: number;
  at: number;
  count: number;
  rssMb?: number;
  cpuPct?: number;
  status?: string;
}

export interface UnregisterEvent {
  type: 'unregister';
  pid: number;
  at: number;
  reason?: string;
}

export interface DiedEvent {
  type: 'died';
  at: number;
  reason: string;
}

export type BotEvent = RegisterEvent | HeartbeatEvent | UnregisterEvent | DiedEvent;

export type BotState = 'registered' | 'alive' | 'stale' | 'unregistered' | 'dead';

/** The KissBot monitor's status words, kept for the `bot_status.status` column. */
export const LEGACY_STATUS: Record<BotState, string> = {
  registered: 'online',
  alive: 'online',
  stale: 'stale',
  unregistered: 'offline',
  dead: 'dead',
};

function contextFromInput(input: BotInput): BotContext {
  return {
    channel: input.channel,
    pid: input.pid,
    features: input.features,
    registeredAt: input.at,
    lastSeen: input.at,
    staleAfterMs: input.staleAfterMs,
    version: input.version,
    host: input.host,
    heartbeatIntervalS: input.heartbeatIntervalS,
    implicit: input.implicit ?? false,
    reason: input.implicit ? 'heartbeat from an unknown channel' : 'registered',
    heartbeats: 0,
    rssMb: undefined,
    cpuPct: undefined,
    statusText: undefined,
  };
}

function describeRegister(context: BotContext, event: RegisterEvent): string {
  return event.pid === context.pid ? 're-registered' : `replaced pid ${context.pid}`;
}

export const botMachine = setup({
  types: {
    context: {} as BotContext,
    events: {} as BotEvent,
    input: {} as BotInput,
  },
  delays: {
    staleTimeout: ({ context }) => context.staleAfterMs,
  },
  guards: {
    isImplicit: ({ context }) => context.implicit,
    isSamePid: ({ context, event }) => 'pid' in event && event.pid === context.pid,
  },
  actions: {
    applyRegister: assign(({ context, event }) => {
      if (event.type !== 'register') return {};
      return {
        ...contextFromInput({ ...event, channel: context.channel }),
        reason: describeRegister(context, event),
      };
    }),
    applyHeartbeat: assign(({ context, event }) => {
      if (event.type !== 'heartbeat') return {};
      return {
        pid: event.pid,
        lastSeen: event.at,
        heartbeats: context.heartbeats + event.count,
        rssMb: event.rssMb ?? context.rssMb,
        cpuPct: event.cpuPct ?? context.cpuPct,
        statusText: event.status ?? context.statusText,
        reason: event.pid === context.pid ? 'heartbeat' : `heartbeat from pid ${event.pid}`,
      };
    }),
    markStale: assign(({ context }) => ({
      reason: `no heartbeat for ${Math.round(context.staleAfterMs / 1000)}s`,
    })),
    applyUnregister: assign(({ event }) => {
      if (event.type !== 'unregister') return {};
      return { lastSeen: event.at, reason: event.reason ?? 'unregistered' };
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
    register: { target: '.registered', reenter: true, actions: 'applyRegister' },
    unregister: { guard: 'isSamePid', target: '.unregistered', actions: 'applyUnregister' },
    died: { target: '.dead', actions: 'applyDeath' },
  },
  states: {
    starting: {
      always: [{ guard: 'isImplicit', target: 'alive' }, { target: 'registered' }],
    },
    registered: {
      after: { staleTimeout: { target: 'stale', actions: 'markStale' } },
      on: { heartbeat: { target: 'alive', actions: 'applyHeartbeat' } },
    },
    alive: {
      after: { staleTimeout: { target: 'stale', actions: 'markStale' } },
      on: { heartbeat: { target: 'alive', reenter: true, actions: 'applyHeartbeat' } },
    },
    stale: {
      on: { heartbeat: { target: 'alive', actions: 'applyHeartbeat' } },
    },
    unregistered: {
      on: { heartbeat: { target: 'alive', actions: 'applyHeartbeat' } },
    },
    dead: {},
  },
});
