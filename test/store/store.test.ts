import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { query } from '../helpers/database.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { usageBatch } from '../helpers/rows.js';

describe('Store', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('writes again on a new worker after its worker died', async () => {
    const db = dir.file('respawn.db');
    const store = await Store.open({ path: db, busyTimeoutMs: 1000 });
    await store.write(usageBatch(1, 1));

    // Stands in for the worker dying on its own (out of memory, a native crash).
    const worker = (store as unknown as { worker: Worker }).worker;
    await worker.terminate();

    await expect(store.write(usageBatch(1, 2))).resolves.toMatchObject({ rows: 1 });
    await store.close();

    const rows = query<{ tokens_in: number }>(db, 'SELECT tokens_in FROM llm_usage ORDER BY id');
    expect(rows.map((row) => row.tokens_in)).toEqual([1, 2]);
  });

  it('refuses to open a database it cannot create, with a coded error', async () => {
    await expect(
      Store.open({ path: dir.file('missing/dir/x.db'), busyTimeoutMs: 0 }),
    ).rejects.toMatchObject({
      code: 'KISSMON_ERR_DATABASE_OPEN',
    });
  });
});
