import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MonitorClient } from '../../src/client/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startStalledServer } from './fixtures/servers.js';

const OUTBOX = 100;
// The client writes only while the socket keeps up: Node's default high-water mark, plus one
// line that may go out just as it is reached.
const MAX_BUFFERED = 16 * 1024 + 1024;

const usage = (i: number) => ({ model: 'gpt-x', feature: 'chat', tokensIn: i, tokensOut: 1 });

describe('a monitor alive but not reading', () => {
  const dir = makeTempDir();
  let server: Awaited<ReturnType<typeof startStalledServer>>;
  let client: MonitorClient;
  beforeEach(async () => {
    server = await startStalledServer(dir.file('stalled.sock'));
    client = new MonitorClient('stalled_bot', 1000, {
      socketPath: dir.file('stalled.sock'),
      outboxSize: OUTBOX,
    });
  });
  afterEach(async () => {
    await client.close(0);
    await server.close();
  });

  it('keeps calls answering, memory bounded by the outbox, and counts what it drops', async () => {
    await client.register({ llm: true });

    const results: boolean[] = [];
    for (let i = 0; i < 20_000; i += 1) results.push(await client.logLlmUsage(usage(i)));

    const { stats } = client;
    expect(stats.connected).toBe(true);
    expect(results.filter((sent) => !sent).length).toBe(stats.queued + stats.dropped);
    expect(stats.queued).toBe(OUTBOX);
    expect(stats.dropped).toBe(20_000 - OUTBOX - (stats.sent - 1));
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.bufferedBytes).toBeLessThanOrEqual(MAX_BUFFERED);
  });

  it('coalesces heartbeats while it waits, so they never crowd out other lines', async () => {
    await client.register({});
    for (let i = 0; client.stats.queued === 0; i += 1) await client.logLlmUsage(usage(i));
    const queuedBefore = client.stats.queued;

    for (let i = 0; i < 500; i += 1) await client.heartbeat({ status: `beat ${i}` });

    expect(client.stats.queued).toBe(queuedBefore + 1);
    expect(client.stats.coalesced).toBe(499);
    expect(client.stats.dropped).toBe(0);
  });

  it('gives up on close at its deadline and says lines were left behind', async () => {
    await client.register({});
    for (let i = 0; client.stats.queued < 10; i += 1) await client.logLlmUsage(usage(i));

    expect(await client.close(20)).toBe(false);
    expect(client.stats.queued).toBe(0);
    expect(client.stats.dropped).toBeGreaterThanOrEqual(10);
    expect(await client.heartbeat()).toBe(false);
  });

  it('writes each line on its own connection in per-message mode, the kernel holding it', async () => {
    const perMessage = new MonitorClient('stalled_bot', 1000, {
      socketPath: dir.file('stalled.sock'),
      mode: 'per-message',
    });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => perMessage.logLlmUsage(usage(i))),
    );

    expect(results.every(Boolean)).toBe(true);
    expect(perMessage.stats).toMatchObject({ sent: 50, dropped: 0 });
    expect(await perMessage.close(100)).toBe(true);
  });
});
