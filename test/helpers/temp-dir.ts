import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under /tmp (short, for Unix socket paths); removed by `cleanup`. */
export function makeTempDir(): {
  path: string;
  file: (name: string) => string;
  cleanup: () => void;
} {
  const path = mkdtempSync(join(tmpdir(), 'kissmon-'));
  return {
    path,
    file: (name) => join(path, name),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}
