import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { botMachine } from '../../machines/bot.js';
import { readFlags } from '../../src/debug/bot-view.js';

function contextAfter(
  events: Parameters<ReturnType<typeof createActor<typeof botMachine>>['send']>[0][],
) {
  const clock = new SimulatedClock();
  const actor = createActor(botMachine, {
    clock,
    input: {
      channel: 'flags',
      pid: 1,
      features: {},
      at: 0,
      staleAfterMs: 60_000,
      crashLoopRegisters: 1,
      crashLoopWindowMs: 600_000,
    },
  }).start();
  for (const event of events) actor.send(event);
  return actor.getSnapshot().context;
}

describe('bot flags', () => {
  it('shows no flag for a plain registered bot', () => {
    expect(readFlags(contextAfter([]))).toEqual([]);
  });

  it('shows duplicate and crashLooping as the bot machine sets them', () => {
    const register = (pid: number, duplicateOf?: number) => ({
      type: 'register' as const,
      pid,
      features: {},
      at: 0,
      staleAfterMs: 60_000,
      duplicateOf,
    });
    const context = contextAfter([register(2), register(3, 2)]);
    expect(readFlags(context)).toEqual(['duplicate', 'crashLooping']);
  });
});
