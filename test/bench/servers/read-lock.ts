/**
 * Scenario 5's other process: opens the database, starts a read transaction and holds it (and
 * so its WAL snapshot, which no checkpoint may pass) until the harness says `release`, or
 * `maxMs` has passed.
 *
 * Usage: read-lock.ts <db> <maxMs>
 */
import Database from 'better-sqlite3';

const [path, maxMs] = process.argv.slice(2);
if (!path || !maxMs) throw new Error('usage: read-lock.ts <db> <maxMs>');

const db = new Database(path, { fileMustExist: true });
db.exec('BEGIN');
const { rows } = db.prepare('SELECT count(*) AS rows FROM llm_usage').get() as { rows: number };

const release = () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
};
setTimeout(release, Number(maxMs)).unref();
process.on('message', (message) => message === 'release' && release());
process.on('disconnect', release);
process.send!({ kind: 'locked', rows });
