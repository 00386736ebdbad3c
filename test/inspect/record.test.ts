import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ServerErrorCode } from '../../src/protocol/errors.js';
import { line, sendPersistent } from '../helpers/send.js';
import { startTestMonitor } from '../helpers/test-monitor.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { PATIENCE } from '../helpers/patience.js';

describe('--inspect-record', () => {
  it('writes the inspection events of a register → heartbeat → unregister run as JSONL', async () => {
    const recordDir = makeTempDir();
    const recordFile = recordDir.file('events.jsonl');
    const monitor = await startTestMonitor({ inspectRecord: recordFile });

    await sendPersistent(monitor.config.socket, [
      line({ type: 'register', channel: 'rec', pid: 42, features: { chat: true } }),
      line({ type: 'heartbeat', channel: 'rec', pid: 42 }),
      line({ type: 'unregister', channel: 'rec', pid: 42, reason: 'bye' }),
    ]);
    await vi.waitFor(
      () => expect(monitor.service.monitor.getSnapshot('rec')?.value).toBe('unregistered'),
      PATIENCE,
    );
    await monitor.cleanup();

    const events = readFileSync(recordFile, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    recordDir.cleanup();

    const bot = events.find((event) => event.type === '@xstate.actor' && event.name === 'bot');
    expect(bot).toBeDefined();
    expect(JSON.parse(bot.definition).id).toBe('bot');

    const ofBot = events.filter((event) => event.sessionId === bot.sessionId);
    const received = ofBot.filter((e) => e.type === '@xstate.event').map((e) => e.event.type);
    expect(received).toEqual(expect.arrayContaining(['heartbeat', 'unregister']));
    expect(received.indexOf('heartbeat')).toBeLessThan(received.indexOf('unregister'));

    const states = ofBot.filter((e) => e.type === '@xstate.snapshot').map((e) => e.snapshot.value);
    // Stopping the monitor stops the actor: one more snapshot, in the same state.
    const changes = states.filter((state, index) => state !== states[index - 1]);
    expect(changes).toEqual(['registered', 'alive', 'unregistered']);
    expect(events.some((event) => event.name === 'persistence')).toBe(true);
  });

  it('refuses to start, with a coded error, when the file cannot be opened', async () => {
    const dir = makeTempDir();
    const start = startTestMonitor({
      socket: dir.file('ingest.sock'),
      inspectRecord: dir.file('missing/events.jsonl'),
    });

    await expect(start).rejects.toMatchObject({ code: ServerErrorCode.inspectRecordOpen });
    expect(existsSync(dir.file('ingest.sock'))).toBe(false);
    dir.cleanup();
  });
});
