import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { botMachine, LEGACY_STATUS, type BotInput } from '../../machines/bot.js';

const START = Date.parse('2026-12-03T12:00:00Z');

function startBot(overrides: Partial<BotInput> = {}) {
  const clock = new SimulatedClock();
  clock.set(START);
  const input: BotInput = {
    channel: 'el_serda',
    pid: 4242,
    features: { llm: true },
    at: clock.now(),
    staleAfterMs: 60_000,
    crashLoopRegisters: 3,
    crashLoopWindowMs: 300_000,
    ...overrides,
  };
  const actor = createActor(botMachine, { input, clock }).start();
  const heartbeat = (pid = input.pid) =>
    actor.send({ type: 'heartbeat', channel: input.channel, pid, at: clock.now(), count: 1 });
  const overdue = () => actor.send({ type: 'overdue', silentMs: input.staleAfterMs });
  return { actor, clock, heartbeat, overdue, state: () => actor.getSnapshot().value };
}

describe('bot machine', () => {
  it('starts registered and becomes alive on its first heartbeat', () => {
    const bot = startBot();
    expect(bot.state()).toBe('registered');

    bot.heartbeat();
    expect(bot.state()).toBe('alive');
    expect(bot.actor.getSnapshot().context.reason).toBe('heartbeat');
  });

  it('goes stale when its heartbeat is overdue, from alive or still registered', () => {
    const alive = startBot();
    alive.heartbeat();
    alive.overdue();
    expect(alive.state()).toBe('stale');
    expect(alive.actor.getSnapshot().context.reason).toBe('no heartbeat for 60s');

    const registered = startBot();
    registered.overdue();
    expect(registered.state()).toBe('stale');
  });

  it('comes back alive from stale on a heartbeat', () => {
    const bot = startBot();
    bot.overdue();
    bot.heartbeat();
    expect(bot.state()).toBe('alive');
  });

  it('has no timer of its own for staleness: time alone never makes it stale', () => {
    const bot = startBot();
    bot.heartbeat();
    bot.clock.increment(24 * 3600_000);
    expect(bot.state()).toBe('alive');
  });

  it('unregisters only for the pid it runs under', () => {
    const bot = startBot();
    bot.actor.send({ type: 'unregister', pid: 1, at: bot.clock.now() });
    expect(bot.state()).toBe('registered');

    bot.actor.send({ type: 'unregister', pid: 4242, at: bot.clock.now(), reason: 'shutdown' });
    expect(bot.state()).toBe('unregistered');
    expect(bot.actor.getSnapshot().context.reason).toBe('shutdown');
  });

  it('never goes stale once unregistered or dead', () => {
    const bot = startBot();
    bot.actor.send({ type: 'unregister', pid: 4242, at: bot.clock.now() });
    bot.overdue();
    expect(bot.state()).toBe('unregistered');

    bot.actor.send({ type: 'died', at: bot.clock.now(), reason: 'gone' });
    bot.overdue();
    expect(bot.state()).toBe('dead');
  });

  it('records the replaced pid when another process registers the channel', () => {
    const bot = startBot();
    bot.heartbeat();
    bot.actor.send({
      type: 'register',
      pid: 5000,
      features: { tts: true },
      at: bot.clock.now(),
      staleAfterMs: 60_000,
    });

    const { context } = bot.actor.getSnapshot();
    expect(bot.state()).toBe('registered');
    expect(context.pid).toBe(5000);
    expect(context.features).toEqual({ tts: true });
    expect(context.reason).toBe('replaced pid 4242');
  });

  it('registers again after an unregister', () => {
    const bot = startBot();
    bot.actor.send({ type: 'unregister', pid: 4242, at: bot.clock.now() });
    bot.actor.send({
      type: 'register',
      pid: 4242,
      features: {},
      at: bot.clock.now(),
      staleAfterMs: 60_000,
    });
    expect(bot.state()).toBe('registered');
    expect(bot.actor.getSnapshot().context.reason).toBe('re-registered');
  });

  it('starts alive when first heard of through a heartbeat', () => {
    const bot = startBot({ implicit: true, features: {} });
    expect(bot.state()).toBe('alive');
    expect(bot.actor.getSnapshot().context.implicit).toBe(true);
  });

  it('becomes dead when told the process died, and ignores its heartbeats', () => {
    const bot = startBot();
    bot.actor.send({ type: 'died', at: bot.clock.now(), reason: 'process 4242 is gone' });
    expect(bot.state()).toBe('dead');

    bot.heartbeat();
    expect(bot.state()).toBe('dead');
  });

  it('maps every state to the KissBot status vocabulary', () => {
    expect(LEGACY_STATUS).toEqual({
      registered: 'online',
      alive: 'online',
      stale: 'stale',
      unregistered: 'offline',
      dead: 'dead',
    });
  });
});

describe('bot machine: restoring after a restart', () => {
  const restored = (state: 'alive' | 'stale' | 'dead' | 'registered', processAlive = true) => ({
    state,
    lastSeen: START - 10 * 60_000,
    processAlive,
    duplicatePid: undefined,
    crashLooping: false,
  });

  it('comes back in its persisted state when its process still runs', () => {
    expect(startBot({ restored: restored('alive') }).state()).toBe('alive');
    expect(startBot({ restored: restored('stale') }).state()).toBe('stale');
    expect(startBot({ restored: restored('registered') }).state()).toBe('registered');
    expect(startBot({ restored: restored('dead') }).state()).toBe('dead');
  });

  it('is dead when its process ended while kissmon was down', () => {
    const bot = startBot({ restored: restored('alive', false) });
    expect(bot.state()).toBe('dead');
    expect(bot.actor.getSnapshot().context.reason).toBe(
      'process 4242 ended while kissmon was down',
    );
  });
});

describe('bot machine: duplicates and crash loops', () => {
  const registerAs = (bot: ReturnType<typeof startBot>, pid: number, duplicateOf?: number) =>
    bot.actor.send({
      type: 'register',
      pid,
      features: {},
      at: bot.clock.now(),
      staleAfterMs: 60_000,
      duplicateOf,
    });

  it('keeps both PIDs when a second running process registers the channel', () => {
    const bot = startBot();
    registerAs(bot, 5000, 4242);
    expect(bot.actor.getSnapshot().context).toMatchObject({ pid: 5000, duplicatePid: 4242 });

    bot.actor.send({ type: 'duplicateGone', pid: 4242 });
    expect(bot.actor.getSnapshot().context.duplicatePid).toBeUndefined();
  });

  it('records a heartbeat from a second running process without obeying it', () => {
    const bot = startBot();
    bot.actor.send({
      type: 'heartbeat',
      channel: 'el_serda',
      pid: 6000,
      at: bot.clock.now(),
      count: 1,
      duplicate: true,
    });
    expect(bot.actor.getSnapshot().context).toMatchObject({ pid: 4242, duplicatePid: 6000 });
    expect(bot.state()).toBe('registered');
  });

  it('is crash-looping after more new PIDs than allowed in the window, until it stays up', () => {
    const bot = startBot();
    for (const pid of [5001, 5002, 5003]) {
      bot.clock.increment(10_000);
      registerAs(bot, pid);
    }
    expect(bot.actor.getSnapshot().context.crashLooping).toBe(false);

    registerAs(bot, 5004);
    expect(bot.actor.getSnapshot().context.crashLooping).toBe(true);

    bot.clock.increment(299_999);
    expect(bot.actor.getSnapshot().context.crashLooping).toBe(true);
    bot.clock.increment(1);
    expect(bot.actor.getSnapshot().context.crashLooping).toBe(false);
  });
});
