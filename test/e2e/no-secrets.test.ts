import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startMonitorProcess } from '../helpers/monitor-process.js';
import { line, sendPersistent } from '../helpers/send.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SECRET = 'sk-kissmon-test-7f3a9c1e5b';

describe('secrets in the environment', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('never reach the logs or the database, whatever the bots send', async () => {
    const monitor = await startMonitorProcess(
      ['--socket', dir.file('s.sock'), '--db', dir.file('s.db'), '--log-level', 'trace'],
      { OPENAI_API_KEY: SECRET, TWITCH_TOKEN: SECRET },
    );
    await sendPersistent(dir.file('s.sock'), [
      line({ type: 'register', channel: 'env_bot', pid: 9, features: { llm: true } }),
      line({ type: 'heartbeat', channel: 'env_bot', pid: 9, status: 'ok' }),
      'not json at all',
      line({ type: 'heartbeat', channel: 'bad channel', pid: 9 }),
      line({ type: 'unregister', channel: 'env_bot', pid: 9, reason: 'bye' }),
    ]);
    expect(await monitor.stop()).toBe(0);

    const logs = JSON.stringify(monitor.logs) + monitor.stderr();
    expect(monitor.logs.length).toBeGreaterThan(5);
    expect(logs).not.toContain(SECRET);
    const databaseFiles = readdirSync(dir.path).filter((name) => name.startsWith('s.db'));
    expect(databaseFiles).toContain('s.db');
    for (const file of databaseFiles) {
      expect(readFileSync(dir.file(file)).includes(SECRET)).toBe(false);
    }
  });
});
