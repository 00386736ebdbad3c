import { afterEach, describe, expect, it } from 'vitest';
import { RejectCode } from '../../src/protocol/errors.js';
import { query } from '../helpers/database.js';
import { line, sendOnce, sendPerMessage, sendPersistent } from '../helpers/send.js';
import { startTestMonitor } from '../helpers/test-monitor.js';

type TestMonitor = Awaited<ReturnType<typeof startTestMonitor>>;

// A real running process: registers from PIDs that do not run are refused.
const PID = process.pid;

const register = (channel: string, pid = PID) =>
  line({ type: 'register', channel, pid, features: { llm: true, tts: false } });
const heartbeat = (channel: string, pid = PID) => line({ type: 'heartbeat', channel, pid });
const usage = (channel: string, tokensIn: number) =>
  line({
    type: 'llm_usage',
    channel,
    model: 'gpt-x',
    feature: 'chat',
    tokens_in: tokensIn,
    tokens_out: 5,
  });

describe('ingest end to end', () => {
  let monitor: TestMonitor;
  afterEach(() => monitor?.cleanup());

  it('serves a bot that opens a new connection per message', async () => {
    monitor = await startTestMonitor();
    await sendPerMessage(monitor.config.socket, [
      register('per_msg'),
      heartbeat('per_msg'),
      usage('per_msg', 7),
    ]);
    await monitor.stop();

    const db = monitor.config.db;
    expect(query(db, 'SELECT channel, pid, status, features_json, state FROM bot_status')).toEqual([
      {
        channel: 'per_msg',
        pid: PID,
        status: 'online',
        features_json: '{"llm":true,"tts":false}',
        state: 'alive',
      },
    ]);
    expect(
      query(db, 'SELECT channel, model, feature, tokens_in, tokens_out FROM llm_usage'),
    ).toEqual([
      { channel: 'per_msg', model: 'gpt-x', feature: 'chat', tokens_in: 7, tokens_out: 5 },
    ]);
    expect(query(db, 'SELECT from_state, to_state FROM bot_events ORDER BY id')).toEqual([
      { from_state: null, to_state: 'registered' },
      { from_state: 'registered', to_state: 'alive' },
    ]);
  });

  it('serves a bot that streams on one connection, in order', async () => {
    monitor = await startTestMonitor();
    const lines = [register('stream')];
    for (let i = 1; i <= 500; i += 1) lines.push(heartbeat('stream'), usage('stream', i));
    lines.push(line({ type: 'unregister', channel: 'stream', pid: PID, reason: 'bye' }));

    await sendPersistent(monitor.config.socket, lines);
    await monitor.stop();

    const rows = query<{ tokens_in: number }>(
      monitor.config.db,
      'SELECT tokens_in FROM llm_usage ORDER BY id',
    );
    expect(rows.map((row) => row.tokens_in)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(query(monitor.config.db, 'SELECT status, state, reason FROM bot_status')).toEqual([
      { status: 'offline', state: 'unregistered', reason: 'bye' },
    ]);
    expect(monitor.service.monitor.messages).toEqual({
      register: 1,
      heartbeat: 500,
      unregister: 1,
      llm_usage: 500,
    });
  });

  it('counts a last line sent without a newline', async () => {
    monitor = await startTestMonitor();
    await sendOnce(monitor.config.socket, `${register('no_newline')}\n${usage('no_newline', 3)}`);
    await monitor.stop();

    expect(query(monitor.config.db, 'SELECT tokens_in FROM llm_usage')).toEqual([{ tokens_in: 3 }]);
  });

  it('keeps every good line when bad ones are interleaved on one connection', async () => {
    monitor = await startTestMonitor({ maxLineLength: 1024 });
    const bad = [
      'not json',
      '[]',
      line({ type: 'bogus', channel: 'x' }),
      line({ type: 'heartbeat', channel: 'x', pid: -1 }),
      line({ type: 'heartbeat', channel: 'white space', pid: 1 }),
      '{"type":"register","channel":"x","pid":1,"features":{"__proto__":true}}',
      '{"type":"heartbeat","channel":"x","pid":1,"rss_mb":1e999}',
      'x'.repeat(5000),
    ];
    const lines: string[] = [];
    for (let i = 1; i <= 40; i += 1) lines.push(bad[i % bad.length]!, usage('mixed', i));

    await sendPersistent(monitor.config.socket, lines);
    await monitor.stop();

    const rows = query<{ tokens_in: number }>(
      monitor.config.db,
      'SELECT tokens_in FROM llm_usage ORDER BY id',
    );
    expect(rows.map((row) => row.tokens_in)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const { rejects } = monitor.service;
    expect(rejects.total).toBe(40);
    expect(rejects.byCode.get(RejectCode.invalidJson)).toBe(5);
    expect(rejects.byCode.get(RejectCode.lineTooLong)).toBe(5);
    expect(rejects.byCode.get(RejectCode.forbiddenKey)).toBe(5);
    expect(rejects.byCode.get(RejectCode.nonFiniteNumber)).toBe(5);
  });

  it('writes timestamps in the KissBot format so old queries keep sorting', async () => {
    monitor = await startTestMonitor();
    await sendPerMessage(monitor.config.socket, [register('ts_bot')]);
    await monitor.stop();

    const [row] = query<{ registered_at: string }>(
      monitor.config.db,
      'SELECT registered_at FROM bot_status',
    );
    expect(row!.registered_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  });

  it('loses nothing when 1,000 bots connect at once, one message each', async () => {
    monitor = await startTestMonitor();
    const sends = Array.from({ length: 1000 }, (_, i) =>
      sendOnce(monitor.config.socket, `${usage(`bot_${i}`, i)}\n`),
    );
    const results = await Promise.allSettled(sends);
    await monitor.stop();

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(query(monitor.config.db, 'SELECT COUNT(*) AS n FROM llm_usage')).toEqual([{ n: 1000 }]);
    expect(monitor.service.listener.stats.accepted).toBe(1000);
  });
});
