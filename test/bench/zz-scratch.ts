import Database from 'better-sqlite3';
import { migrate } from '../../src/store/schema.js';
import { rmSync } from 'node:fs';
const N = 300000;
const rows = Array.from({ length: N }, (_, i) => [
  new Date(Date.now() + Math.floor(i / 500)).toISOString(),
  `bench_bot_${i % 10}`,
  'gpt-4o-mini',
  'chat',
  100 + (i % 900),
  20,
  250.5,
  0.0001,
  10000,
]);
for (const batch of [1000, 5000, 20000, 60000, 1000]) {
  for (const f of ['', '-wal', '-shm']) rmSync('/tmp/sqlb.db' + f, { force: true });
  const db = new Database('/tmp/sqlb.db');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  const ins = db.prepare(
    'INSERT INTO llm_usage (ts, channel, model, feature, tokens_in, tokens_out, latency_ms, estimated_cost, pid) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  const tx = db.transaction((b: any[]) => {
    for (const r of b) ins.run(r);
  });
  const t = performance.now();
  for (let i = 0; i < N; i += batch) tx(rows.slice(i, i + batch));
  const s = (performance.now() - t) / 1000;
  console.log('batch', batch, Math.round(N / s), 'rows/s', ((s * 1e6) / N).toFixed(2), 'µs/row');
  db.close();
}
