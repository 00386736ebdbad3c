/**
 * Scenarios 1, 4, 5: `writers` persistent connections, each writing its payload as fast as the
 * socket takes it (pipelined, 64 KiB at a time, waiting for `drain` when the kernel is full).
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

const CHUNK_BYTES = 64 * 1024;

export interface PipelinedResult {
  sentBytes: number;
  timedOut: boolean;
  errors: number;
}

function open(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Connects every writer first, then `start()` (the timer's zero) and sends everything. */
export async function runPipelinedWriters(
  socketPath: string,
  payloads: Buffer[],
  deadlineMs: number,
  start: () => void,
): Promise<PipelinedResult> {
  const sockets = await Promise.all(payloads.map(() => open(socketPath)));
  const result: PipelinedResult = { sentBytes: 0, timedOut: false, errors: 0 };
  for (const socket of sockets) socket.on('error', () => (result.errors += 1));

  const deadline = Date.now() + deadlineMs;
  const send = async (socket: Socket, payload: Buffer) => {
    for (let offset = 0; offset < payload.length; offset += CHUNK_BYTES) {
      if (Date.now() > deadline || socket.destroyed) {
        result.timedOut = true;
        break;
      }
      const chunk = payload.subarray(offset, offset + CHUNK_BYTES);
      result.sentBytes += chunk.length;
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
    socket.end();
  };

  start();
  await Promise.all(sockets.map((socket, index) => send(socket, payloads[index]!)));
  return result;
}
