import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MONITOR_NODE_FLAGS } from '../../src/node-flags.js';
import { ROOT } from '../helpers/monitor-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const preload = fileURLToPath(new URL('./fixtures/young-generation.cjs', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
};

describe('the kissmon launcher', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  // npm links the bin into node_modules/.bin: the launcher must find the CLI through the link.
  mkdirSync(dir.file('.bin'));
  const linked = dir.file('.bin/kissmon');
  symlinkSync(`${ROOT}${pkg.bin.kissmon}`, linked);

  async function launch(nodeOptions: string) {
    const report = dir.file(`young-${Math.random().toString(36).slice(2)}`);
    const { stdout } = await promisify(execFile)(linked, ['--version'], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions, YOUNG_GENERATION_REPORT: report },
    });
    return { stdout: stdout.trim(), youngMiB: Number(readFileSync(report, 'utf8')) };
  }

  it('runs the built CLI with a young generation of 8 MiB at most', async () => {
    const { stdout, youngMiB } = await launch(`--require ${preload}`);
    expect(stdout).toBe(pkg.version);
    expect(youngMiB).toBeLessThanOrEqual(8);
  });

  it('lets the same flag in NODE_OPTIONS win', async () => {
    const { youngMiB } = await launch(`--max-semi-space-size=16 --require ${preload}`);
    expect(youngMiB).toBeGreaterThan(8);
  });

  it('passes the flags of src/node-flags.ts, as npm start does, and ships with the package', () => {
    const launcher = readFileSync(`${ROOT}${pkg.bin.kissmon}`, 'utf8');
    expect(launcher).toContain(`KISSMON_NODE_FLAGS="${MONITOR_NODE_FLAGS.join(' ')}"`);
    for (const flag of MONITOR_NODE_FLAGS) expect(pkg.scripts.start).toContain(flag);
    expect(pkg.files).toContain('bin');
  });
});
