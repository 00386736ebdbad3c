import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { formatTimestamp } from '../../src/store/rows.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('database file permissions', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('creates a new database, its -wal and -shm files 0640', async () => {
    const path = dir.file('new.db');
    const store = await Store.open({ path, busyTimeoutMs: 0 });
    await store.write({
      status: [],
      seen: [],
      usage: [
        {
          ts: formatTimestamp(0),
          channel: 'c',
          model: 'm',
          feature: 'f',
          tokens_in: 1,
          tokens_out: 1,
          latency_ms: null,
          estimated_cost: null,
          pid: null,
        },
      ],
      events: [],
      metrics: [],
    });

    expect(modeOf(path)).toBe(0o640);
    expect(modeOf(`${path}-wal`)).toBe(0o640);
    expect(modeOf(`${path}-shm`)).toBe(0o640);
    await store.close();
  });

  it('leaves the mode of an existing database file as its operator set it', async () => {
    const path = dir.file('existing.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);

    const store = await Store.open({ path, busyTimeoutMs: 0 });
    await store.close();
    expect(modeOf(path)).toBe(0o644);
  });
});
