import { describe, expect, it } from 'vitest';
import { MonitorClient, type ClientMode } from '../../src/client/index.js';
import type { LlmUsage } from '../../src/client/messages.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const dir = makeTempDir();

function callEverything(client: MonitorClient): Promise<boolean>[] {
  return [
    client.register({ llm: true }, { version: '1.0', heartbeatIntervalS: 30 }),
    client.startHeartbeat(60_000),
    client.heartbeat({ rssMb: 120, cpuPct: 2.5, status: 'ok' }),
    client.logLlmUsage({ model: 'gpt-x', feature: 'chat', tokensIn: 10, tokensOut: 2 }),
    client.unregister('shutdown'),
    client.close(50),
  ];
}

describe.each<ClientMode>(['persistent', 'per-message'])('with no monitor, in %s mode', (mode) => {
  it('resolves every call false and throws nothing', async () => {
    const client = new MonitorClient('absent_bot', 1000, { socketPath: dir.file('none'), mode });

    expect(await Promise.all(callEverything(client))).toEqual(Array(6).fill(false));
    expect(await client.heartbeat()).toBe(false);
  });

  it('resolves false when the socket path is not a socket at all', async () => {
    const client = new MonitorClient('absent_bot', 1000, { socketPath: dir.path, mode });

    expect(await Promise.all(callEverything(client))).toEqual(Array(6).fill(false));
  });
});

describe('a client given bad input', () => {
  it('refuses a bad channel on every call and reports the monitor code', async () => {
    const client = new MonitorClient('not a channel!', 1000, { socketPath: dir.file('none') });

    expect(await client.register({})).toBe(false);
    expect(await client.heartbeat()).toBe(false);
    expect(client.stats).toMatchObject({
      invalid: 2,
      lastInvalid: 'KISSMON_ERR_INVALID_CHANNEL',
      connectFailures: 0,
    });
  });

  it('turns arguments that throw into false instead of an exception', async () => {
    const client = new MonitorClient('odd_bot', 1000, { socketPath: dir.file('none') });
    const throwing = Object.defineProperty({}, 'model', {
      get: () => {
        throw new Error('boom');
      },
    }) as LlmUsage;

    expect(await client.logLlmUsage(throwing)).toBe(false);
    expect(await client.logLlmUsage(null as unknown as LlmUsage)).toBe(false);
    expect(await client.heartbeat({ rssMb: 10n as unknown as number })).toBe(false);
    expect(await client.register({ big: 1n } as unknown as Record<string, boolean>)).toBe(false);
    await client.close(0);
  });

  it('stops a heartbeat it never reached the monitor with, and says one was running', async () => {
    const client = new MonitorClient('absent_bot', 1000, { socketPath: dir.file('none') });

    expect(await client.startHeartbeat(60_000)).toBe(false);
    expect(await client.stopHeartbeat()).toBe(true);
    expect(await client.stopHeartbeat()).toBe(false);
    await client.close(0);
  });

  it('survives options of the wrong kind', async () => {
    const options = {
      socketPath: dir.file('none'),
      mode: 'bogus',
      outboxSize: -1,
      reconnectMinMs: NaN,
      connectTimeoutMs: 'soon',
    } as unknown as object;
    const client = new MonitorClient('odd_bot', 1000, options);

    expect(typeof (await client.heartbeat())).toBe('boolean');
    await client.close(0);
  });
});
