import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/monitor-process.js';

const SENTINEL = 'node:dns';
const recorder = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));

// Imports the client, then one more module whose report marks the end of the list: messages
// from the hook arrive in order, so everything the client pulled in has arrived before it.
const program = `
const entry = ${JSON.stringify(pathToFileURL(`${ROOT}src/client/index.ts`).href)};
await import(entry);
await import('${SENTINEL}');
const waitForSentinel = () =>
  globalThis.resolvedUrls.includes('${SENTINEL}') ? undefined : new Promise(setImmediate).then(waitForSentinel);
await waitForSentinel();
const start = globalThis.resolvedUrls.indexOf(entry);
process.stdout.write(JSON.stringify(globalThis.resolvedUrls.slice(start)));
`;

async function loadClientEntry(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', recorder, '--input-type=module', '-e', program],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as string[];
}

describe('the kissmon/client entry point', () => {
  it('loads Node built-ins and the zod-free protocol files only', async () => {
    const urls = await loadClientEntry();
    const files = urls
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url).slice(ROOT.length));

    expect(files).toContain('src/client/monitor-client.ts');
    for (const heavy of ['xstate', 'better-sqlite3', 'pino', 'zod']) {
      expect(files.filter((file) => file.includes(`node_modules/${heavy}/`))).toEqual([]);
    }
    expect(
      files.filter((file) => !/^src\/(client\/|protocol\/(limits|errors)\.ts$)/.test(file)),
    ).toEqual([]);
    expect(urls.filter((url) => !url.startsWith('file:') && !url.startsWith('node:'))).toEqual([]);
  });

  it('is the file package.json exports as kissmon/client once built', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(pkg.exports['./client']).toBe('./dist/src/client/index.js');
  });
});
