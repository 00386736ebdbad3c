import { once } from 'node:events';
import { createActor } from 'xstate';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { botMachine } from '../../machines/bot.js';
import { openInspector } from '../../src/inspect/inspector.js';
import { InspectionSwitch } from '../../src/inspect/inspection-switch.js';

describe('the inspector relay', () => {
  it('listens on 127.0.0.1, serves the inspector page and relays the events of actors', async () => {
    const inspector = await openInspector({ relayPort: 0 });
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const page = await fetch(inspector.url!).then((response) => response.text());
    expect(page).toContain('<iframe');

    const browser = new WebSocket(inspector.url!.replace('http', 'ws'));
    await once(browser, 'open');
    const received: Record<string, any>[] = [];
    const heartbeatSeen = new Promise<void>((resolve) => {
      browser.on('message', (data) => {
        const event = JSON.parse(String(data));
        received.push(event);
        if (event.type === '@xstate.event' && event.event.type === 'heartbeat') resolve();
      });
    });

    const actor = createActor(botMachine, {
      input: {
        channel: 'r',
        pid: 1,
        features: {},
        at: 0,
        staleAfterMs: 60_000,
        crashLoopRegisters: 5,
        crashLoopWindowMs: 600_000,
      },
    }).start();
    const inspection = new InspectionSwitch(() => [actor]);
    inspection.enable(inspector.inspect);
    actor.send({ type: 'heartbeat', channel: 'r', pid: 1, at: 1, count: 1 });
    await heartbeatSeen;

    expect(received[0]).toMatchObject({ type: '@xstate.actor', name: 'bot' });
    inspection.disable();
    actor.stop();
    browser.close();
    await inspector.close();
  });
});
