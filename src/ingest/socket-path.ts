/**
 * Makes a Unix socket path ours: refuses it while a live monitor answers there, and removes the
 * file a dead one left behind.
 */
import { connect } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';

function isAnswering(path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (answering: boolean) => {
      socket.destroy();
      resolve(answering);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function claimSocketPath(path: string, timeoutMs = 1000): Promise<'free' | 'stale'> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stats) return 'free';

  if (!stats.isSocket()) {
    throw new KissmonError(
      ServerErrorCode.socketPathNotSocket,
      `${path} exists and is not a socket; kissmon will not remove it. Choose another --socket.`,
    );
  }
  if (await isAnswering(path, timeoutMs)) {
    throw new KissmonError(
      ServerErrorCode.socketInUse,
      `A monitor is already listening on ${path}. ` +
        'Stop it first, or start this one with another --socket.',
    );
  }

  await unlink(path);
  return 'stale';
}
