/**
 * `npm run bench [-- --quick] [--docs] [--only=1,3]`: runs the scenarios against kissmon and
 * the baselines, writes bench-results/latest.json, and (on a full run, or with --docs) rewrites the
 * generated tables of docs/BENCHMARKS.md and the copy of the result in docs/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FULL_PLAN, QUICK_PLAN } from './plan.js';
import { describeMachine } from './report/machine.js';
import { renderResults, replaceResults } from './report/markdown.js';
import type { BenchResult } from './report/result.js';
import { runScenarios } from './scenarios/index.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const args = process.argv.slice(2);
const plan = args.includes('--quick') ? QUICK_PLAN : FULL_PLAN;
const onlyArgument = args.find((arg) => arg.startsWith('--only='));
const only = new Set((onlyArgument?.slice('--only='.length).split(',') ?? []).map(Number));
const writeDocs = (plan.mode === 'full' && only.size === 0) || args.includes('--docs');

const started = Date.now();
const loadAtStart = loadavg();
const log = (text: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}\n`);

log(`kissmon benchmarks, ${plan.mode} run`);
const scenarios = await runScenarios(plan, only, log);

const result: BenchResult = {
  version: 1,
  date: new Date().toISOString(),
  mode: plan.mode,
  rounds: plan.rounds,
  durationSeconds: (Date.now() - started) / 1000,
  machine: describeMachine(loadAtStart),
  scenarios,
};
const json = `${JSON.stringify(result, null, 2)}\n`;

mkdirSync(root('bench-results'), { recursive: true });
writeFileSync(root('bench-results/latest.json'), json);
writeFileSync(root(`bench-results/${plan.mode}-${result.date.replaceAll(':', '-')}.json`), json);

const rendered = renderResults(result);
if (writeDocs) {
  const path = root('docs/BENCHMARKS.md');
  let document = '';
  try {
    document = readFileSync(path, 'utf8');
  } catch {
    document = '# Benchmarks\n';
  }
  writeFileSync(path, replaceResults(document, rendered));
  writeFileSync(root('docs/benchmark-results.json'), json);
}

process.stdout.write(`${rendered}\n`);
log(`done; wrote bench-results/latest.json${writeDocs ? ' and docs/BENCHMARKS.md' : ''}`);
process.exit(0);
