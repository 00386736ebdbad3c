import { connect } from 'node:net';

/**
 * Connects, writes `data`, half-closes and resolves when the monitor has closed its side too:
 * by then every byte was read by the monitor.
 */
export function sendOnce(socketPath: string, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => socket.end(data));
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

/** The Python KissBot client's way: one connection per message. */
export async function sendPerMessage(socketPath: string, lines: string[]): Promise<void> {
  for (const line of lines) await sendOnce(socketPath, `${line}\n`);
}

/** One connection kept open, every line streamed on it. */
export function sendPersistent(socketPath: string, lines: string[]): Promise<void> {
  return sendOnce(socketPath, lines.map((line) => `${line}\n`).join(''));
}

export const line = (message: Record<string, unknown>): string => JSON.stringify(message);

/** One `llm_usage` line; `tokens_in` tells rows apart. */
export const usageLine = (channel: string, tokensIn: number, extra: object = {}): string =>
  line({
    type: 'llm_usage',
    channel,
    model: 'm',
    feature: 'f',
    tokens_in: tokensIn,
    tokens_out: 0,
    ...extra,
  });
