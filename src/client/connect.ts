/**
 * Opens one connection to the ingest socket without ever blocking or throwing.
 *
 * A Unix socket whose accept queue is full refuses a connect with EAGAIN; that is a monitor
 * busy for a moment, not a monitor gone, so the connect is retried a few times, briefly.
 */
import { connect, type Socket } from 'node:net';

export interface ConnectOptions {
  socketPath: string;
  timeoutMs: number;
}

const EAGAIN_RETRY_DELAYS_MS = [1, 2, 4, 8, 16, 32];

function connectOnce(options: ConnectOptions): Promise<Socket | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    let socket: Socket;
    try {
      socket = connect(options.socketPath);
    } catch (error) {
      resolve(error as NodeJS.ErrnoException);
      return;
    }
    const timer = setTimeout(() => fail(timeoutError()), options.timeoutMs).unref();

    function fail(error: NodeJS.ErrnoException): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    }

    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

function timeoutError(): NodeJS.ErrnoException {
  return Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' });
}

function pause(ms: number): Promise<void> {
  // Kept referenced: the retries are bounded (63 ms in all) and a short script awaiting its
  // message must not exit in the middle of them.
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Connects, retrying EAGAIN, all within `timeoutMs`; resolves with the socket or with the last
 * error, never rejects.
 */
export async function openConnection(
  options: ConnectOptions,
): Promise<Socket | NodeJS.ErrnoException> {
  const deadline = Date.now() + options.timeoutMs;
  let result = await connectOnce(options);

  for (const delay of EAGAIN_RETRY_DELAYS_MS) {
    if (!(result instanceof Error) || result.code !== 'EAGAIN') break;
    if (Date.now() + delay >= deadline) break;

    await pause(delay);
    result = await connectOnce({ ...options, timeoutMs: Math.max(1, deadline - Date.now()) });
  }
  return result;
}
