/** kissmon's own version, read from package.json wherever the code runs from. */
import { readFileSync } from 'node:fs';

export function readPackageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const url = new URL(relative, import.meta.url);
      const { name, version } = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>;
      if (name === 'kissmon' && version) return version;
    } catch {
      // Not at this depth: src/cli under tsx, dist/src/cli when built.
    }
  }
  return 'unknown';
}
