/**
 * The CLI's side of the debug socket: one request and its reply, or a stream of replies until
 * the operator stops it. A monitor that is not there becomes one coded error.
 */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { CliErrorCode, KissmonError } from '../protocol/errors.js';

export interface Reply {
  id: number | string | null;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: string;
  [key: string]: unknown;
}

/** A reply with `ok: false`, carried to the command that asked. */
export class ReplyError extends Error {
  readonly code: string;

  constructor(error: { code: string; message: string }) {
    super(error.message);
    this.code = error.code;
  }
}

function describeConnectError(path: string, error: NodeJS.ErrnoException): KissmonError {
  if (error.code === 'EACCES') {
    const message = `The debug socket ${path} belongs to another user; run as that user.`;
    return new KissmonError(CliErrorCode.monitorNotRunning, message);
  }
  const message =
    `No monitor is running on ${path}. Start one with \`kissmon start\`, or pass the ` +
    '--socket (or --debug-socket) it was started with.';
  return new KissmonError(CliErrorCode.monitorNotRunning, message);
}

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', (error) => reject(describeConnectError(path, error)));
  });
}

/**
 * Sends one request and calls `onReply` for every line that answers it, until `onReply`
 * returns false or the monitor closes the connection (`closedByMonitor` tells which).
 */
export async function exchange(
  path: string,
  request: Record<string, unknown>,
  onReply: (reply: Reply) => boolean,
): Promise<{ closedByMonitor: boolean }> {
  const socket = await open(path);
  const lines = createInterface({ input: socket });
  socket.on('error', () => undefined);
  socket.write(`${JSON.stringify({ id: 1, ...request })}\n`);

  try {
    for await (const line of lines) {
      if (!onReply(JSON.parse(line) as Reply)) return { closedByMonitor: false };
    }
    return { closedByMonitor: true };
  } finally {
    socket.destroy();
  }
}

/** One request, one reply: the result, or a ReplyError with the monitor's code. */
export async function request<T>(path: string, body: Record<string, unknown>): Promise<T> {
  let reply: Reply | undefined;
  await exchange(path, body, (line) => {
    reply = line;
    return false;
  });

  if (!reply) {
    throw new KissmonError(
      CliErrorCode.monitorClosed,
      `The monitor on ${path} closed the connection.`,
    );
  }
  if (reply.ok === false && reply.error) throw new ReplyError(reply.error);
  return reply.result as T;
}
