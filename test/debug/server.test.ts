import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveDebugSocketPath } from '../../src/debug/paths.js';
import { DebugErrorCode, RejectCode } from '../../src/protocol/errors.js';
import { DebugTestClient } from '../helpers/debug-client.js';
import { line, sendPersistent } from '../helpers/send.js';
import { startTestMonitor } from '../helpers/test-monitor.js';
import { PATIENCE } from '../helpers/patience.js';

const SECRET = 'kissmon-test-secret-7f3a9c';

describe('the debug socket', () => {
  let monitor: Awaited<ReturnType<typeof startTestMonitor>>;
  let client: DebugTestClient;
  let debugSocket: string;

  beforeAll(async () => {
    process.env.KISSMON_TEST_SECRET = SECRET;
    // Made-up PIDs: this suite is about the debug socket, not about process checks.
    monitor = await startTestMonitor({ inspectPort: 0, processChecks: false });
    debugSocket = resolveDebugSocketPath(monitor.config.socket);
    await sendPersistent(monitor.config.socket, [
      line({ type: 'register', channel: 'alpha', pid: 101, features: { chat: true } }),
      line({ type: 'heartbeat', channel: 'alpha', pid: 101, cpu_pct: 2.5, rss_mb: 80 }),
      line({ type: 'heartbeat', channel: 'beta', pid: 202 }),
      '{"type":"heartbeat","channel":"bad channel!","pid":1}',
    ]);
    await vi.waitFor(() => expect(monitor.service.monitor.size).toBe(2), PATIENCE);
    client = await DebugTestClient.connect(debugSocket);
  });

  afterAll(async () => {
    client.close();
    delete process.env.KISSMON_TEST_SECRET;
    await monitor.cleanup();
  });

  it('is created beside the ingest socket with mode 0600', () => {
    expect(debugSocket).toBe(monitor.dir.file('ingest.debug.sock'));
    const stats = statSync(debugSocket);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
  });

  it('answers bots with every bot: state, legacy status, pid, samples, features and flags', async () => {
    const reply = await client.ask({ id: 1, cmd: 'bots' });
    expect(reply.id).toBe(1);
    expect(reply.ok).toBe(true);

    const byChannel = Object.fromEntries(reply.result.map((bot: any) => [bot.channel, bot]));
    expect(byChannel.alpha).toMatchObject({
      state: 'alive',
      status: 'online',
      pid: 101,
      cpuPct: 2.5,
      rssMb: 80,
      features: { chat: true },
      flags: [],
    });
    expect(byChannel.beta).toMatchObject({ state: 'alive', pid: 202, flags: ['implicit'] });
    expect(Date.parse(byChannel.alpha.since)).not.toBeNaN();
    expect(Date.parse(byChannel.alpha.lastHeartbeat)).not.toBeNaN();
  });

  it('answers bot with its context and the transitions written to bot_events', async () => {
    await vi.waitFor(async () => {
      const reply = await client.ask({ id: 'alpha-1', cmd: 'bot', channel: 'alpha' });
      expect(reply).toMatchObject({ id: 'alpha-1', ok: true, result: { state: 'alive' } });
      expect(reply.result.context).toMatchObject({ channel: 'alpha', pid: 101 });
      expect(reply.result.bot).toMatchObject({ heartbeats: 1, statusText: null });
      expect(reply.result.transitions.map((row: any) => row.to_state)).toEqual([
        'alive',
        'registered',
      ]);
    }, PATIENCE);
  });

  it('answers bot for a channel it does not know with KISSMON_ERR_UNKNOWN_BOT', async () => {
    const reply = await client.ask({ id: 7, cmd: 'bot', channel: 'nobody' });
    expect(reply).toMatchObject({ id: 7, ok: false, error: { code: DebugErrorCode.unknownBot } });
  });

  it('answers stats with connections, messages, rejects, mailbox and persistence', async () => {
    const reply = await client.ask({ id: 3, cmd: 'stats' });
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({
      bots: 2,
      connections: { total: 1, refused: 0, idleClosed: 0 },
      messages: { register: 1, heartbeat: 2, unregister: 0, llm_usage: 0 },
      rejects: { total: 1, byCode: { [RejectCode.invalidChannel]: 1 } },
      mailbox: { depth: 0, pauses: 0, holds: 0 },
    });
    expect(reply.result.persistence).toHaveProperty('backlogRows');
    expect(reply.result.mailbox.highWater).toBeGreaterThan(0);
    expect(reply.result.persistence).toHaveProperty('flushMs');
    expect(reply.result.debug.clientsOpen).toBeGreaterThanOrEqual(1);
    expect(typeof reply.result.version).toBe('string');
  });

  it('answers machines with the definition of each machine as JSON', async () => {
    const reply = await client.ask({ id: 4, cmd: 'machines' });
    expect(reply.ok).toBe(true);
    expect(reply.result.bot.id).toBe('bot');
    expect(Object.keys(reply.result.bot.states)).toEqual(
      expect.arrayContaining(['registered', 'alive', 'stale', 'unregistered', 'dead']),
    );
    expect(reply.result.persistence.id).toBe('persistence');
  });

  it.each([
    ['not JSON', 'hello', null, DebugErrorCode.requestInvalidJson],
    ['not an object', '[1,2]', null, DebugErrorCode.requestInvalid],
    ['without an id', '{"cmd":"bots"}', null, DebugErrorCode.requestInvalid],
    ['with an object for id', '{"id":{},"cmd":"bots"}', null, DebugErrorCode.requestInvalid],
    ['with an unknown cmd', '{"id":5,"cmd":"reboot"}', 5, DebugErrorCode.unknownCommand],
    ['without a cmd', '{"id":6}', 6, DebugErrorCode.unknownCommand],
    ['bot without a channel', '{"id":8,"cmd":"bot"}', 8, DebugErrorCode.requestInvalid],
    ['inspect with a bad mode', '{"id":9,"cmd":"inspect","mode":"yes"}', 9, 'REQUEST_INVALID'],
  ])('answers a request %s with a coded error and stays open', async (_, text, id, code) => {
    const reply = await client.ask(text);
    expect(reply.id).toBe(id);
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toContain(code);
    expect(typeof reply.error.message).toBe('string');

    expect(await client.ask({ id: 'after', cmd: 'bots' })).toMatchObject({ ok: true });
  });

  it('answers a line over 64 KiB with KISSMON_ERR_REQUEST_TOO_LONG and reads the next', async () => {
    const reply = await client.ask(`{"id":1,"cmd":"${'x'.repeat(70_000)}"}`);
    expect(reply).toMatchObject({ id: null, error: { code: DebugErrorCode.requestTooLong } });
    expect(await client.ask({ id: 2, cmd: 'bots' })).toMatchObject({ id: 2, ok: true });
  });

  it('streams, on watch, the transitions that real messages cause', async () => {
    const watcher = await DebugTestClient.connect(debugSocket);
    expect(await watcher.ask({ id: 'w', cmd: 'watch' })).toEqual({
      id: 'w',
      ok: true,
      result: { watching: true },
    });

    await sendPersistent(monitor.config.socket, [
      line({ type: 'register', channel: 'gamma', pid: 303, features: {} }),
      line({ type: 'unregister', channel: 'gamma', pid: 303, reason: 'deploy' }),
    ]);

    const first = await watcher.next();
    const second = await watcher.next();
    watcher.close();
    expect(first).toMatchObject({
      id: 'w',
      event: 'transition',
      transition: { channel: 'gamma', pid: 303, from: null, to: 'registered' },
    });
    expect(second.transition).toMatchObject({ from: 'registered', to: 'unregistered' });
    expect(second.transition.reason).toBe('deploy');
  });

  it('adds a stats line to a watch stream every 5 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const watcher = await DebugTestClient.connect(debugSocket);
      expect(await watcher.ask({ id: 's', cmd: 'watch' })).toMatchObject({ ok: true });

      vi.advanceTimersByTime(5000);
      const line = await watcher.next();
      watcher.close();
      expect(line).toMatchObject({ id: 's', event: 'stats' });
      expect(line.stats.bots).toBe(monitor.service.monitor.size);
    } finally {
      vi.useRealTimers();
    }
  });

  it('switches inspection on for running actors and off again', async () => {
    const on = await client.ask({ id: 10, cmd: 'inspect', mode: 'on' });
    expect(on.ok).toBe(true);
    expect(on.result.on).toBe(true);
    // The bots, the fleet actor they are created under, and the persistence actor.
    expect(on.result.actors).toBe(monitor.service.monitor.size + 2);
    expect(on.result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const status = await client.ask({ id: 11, cmd: 'inspect' });
    expect(status.result).toMatchObject({ on: true, url: on.result.url });

    const off = await client.ask({ id: 12, cmd: 'inspect', mode: 'off' });
    expect(off.result).toMatchObject({ on: false, actors: 0 });
  });

  it('never puts environment variables in a reply', async () => {
    const replies = await Promise.all(
      [
        { id: 1, cmd: 'bots' },
        { id: 2, cmd: 'bot', channel: 'alpha' },
        { id: 3, cmd: 'stats' },
        { id: 4, cmd: 'machines' },
        { id: 5, cmd: 'inspect' },
      ].map(async (request) => {
        const own = await DebugTestClient.connect(debugSocket);
        const reply = await own.ask(request);
        own.close();
        return JSON.stringify(reply);
      }),
    );
    for (const text of replies) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(process.env.HOME ?? '/nonexistent-home');
    }
  });
});
