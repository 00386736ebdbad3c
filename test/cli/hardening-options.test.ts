import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { ServerErrorCode } from '../../src/protocol/errors.js';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { resolveDefaultMaxConnections } from '../../src/ingest/connection-limit.js';
import { runKissmon } from '../helpers/monitor-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('limits and permission options', () => {
  it('defaults to 0660, a ten-minute idle timeout and a limit sized from ulimit -n', () => {
    expect(defaultConfig()).toMatchObject({
      socketMode: 0o660,
      socketGroup: undefined,
      idleTimeout: 600,
      maxConnections: resolveDefaultMaxConnections(),
      maxPendingRows: 100_000,
    });
  });

  it('refuses a socket mode that is not three octal digits', async () => {
    const dir = makeTempDir();
    const child = runKissmon(['start', '--db', dir.file('m.db'), '--socket', dir.file('m.sock')], {
      KISSMON_SOCKET_MODE: '0999',
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    dir.cleanup();

    expect(code).not.toBe(0);
    expect(stderr).toContain('expected an octal mode such as 660, got 0999');
  });

  it('fails to start with a coded error and no socket when the group does not exist', async () => {
    const dir = makeTempDir();
    const socket = dir.file('g.sock');
    const child = runKissmon(['start', '--db', dir.file('g.db'), '--socket', socket], {
      KISSMON_SOCKET_GROUP: 'no_such_group_for_kissmon',
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    const left = existsSync(socket);
    dir.cleanup();

    expect(code).toBe(1);
    expect(stderr).toContain(ServerErrorCode.socketPermissions);
    expect(left).toBe(false);
  });
});
