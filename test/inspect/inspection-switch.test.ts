import { createActor, type InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { botMachine } from '../../machines/bot.js';
import { InspectionSwitch } from '../../src/inspect/inspection-switch.js';

function startBot(channel: string) {
  const actor = createActor(botMachine, {
    input: {
      channel,
      pid: 1,
      features: {},
      at: 0,
      staleAfterMs: 60_000,
      crashLoopRegisters: 5,
      crashLoopWindowMs: 600_000,
    },
  });
  actor.start();
  return actor;
}

const heartbeat = { type: 'heartbeat', channel: 'a', pid: 1, at: 1, count: 1 } as const;

describe('the inspection switch', () => {
  it('attaches to actors already running and announces each of them', () => {
    const running = startBot('a');
    const events: InspectionEvent[] = [];
    const inspection = new InspectionSwitch(() => [running]);

    inspection.enable((event) => events.push(event));
    expect(inspection.attachedCount).toBe(1);
    expect(events).toEqual([expect.objectContaining({ type: '@xstate.actor', actorRef: running })]);

    running.send(heartbeat);
    expect(events.map((event) => event.type)).toContain('@xstate.event');
    expect(events.at(-1)).toMatchObject({ type: '@xstate.snapshot' });
    running.stop();
  });

  it('attaches to actors tracked while on, and to none while off', () => {
    const inspection = new InspectionSwitch(() => []);
    const events: InspectionEvent[] = [];

    const early = startBot('early');
    inspection.track(early);
    early.send(heartbeat);
    expect(events).toEqual([]);

    inspection.enable((event) => events.push(event));
    const late = createActor(botMachine, {
      input: {
        channel: 'late',
        pid: 2,
        features: {},
        at: 0,
        staleAfterMs: 60_000,
        crashLoopRegisters: 5,
        crashLoopWindowMs: 600_000,
      },
    });
    inspection.track(late);
    late.start();
    expect(events.some((event) => event.type === '@xstate.snapshot')).toBe(true);
    early.stop();
    late.stop();
  });

  it('stops delivering events once switched off', () => {
    const running = startBot('a');
    const events: InspectionEvent[] = [];
    const inspection = new InspectionSwitch(() => [running]);

    inspection.enable((event) => events.push(event));
    inspection.disable();
    const seen = events.length;
    running.send(heartbeat);

    expect(inspection.enabled).toBe(false);
    expect(inspection.attachedCount).toBe(0);
    expect(events).toHaveLength(seen);
    running.stop();
  });
});
