/**
 * Scenario 2, the Python KissBot client's way: connect, send one line, close; `concurrency`
 * such loops at once. A connect that fails is counted by its error code and not retried,
 * as the fire-and-forget client drops it.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { usageLine } from './lines.js';

const PACED_TICK_MS = 5;
const PACED_SLACK_MS = 2000;

export interface PerMessageResult {
  delivered: number;
  refused: number;
  refusedByCode: Record<string, number>;
  timedOut: boolean;
}

function sendOne(socketPath: string, line: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(socketPath, () => {
      socket.end(line, () => {
        socket.destroy();
        resolve(null);
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? 'ERROR');
    });
  });
}

export async function runPerMessageWriters(
  socketPath: string,
  messages: number,
  concurrency: number,
  deadlineMs: number,
): Promise<PerMessageResult> {
  const result: PerMessageResult = { delivered: 0, refused: 0, refusedByCode: {}, timedOut: false };
  const deadline = Date.now() + deadlineMs;
  let next = 0;

  const loop = async (writer: number) => {
    while (next < messages) {
      if (Date.now() > deadline) {
        result.timedOut = true;
        return;
      }
      const index = next++;
      const code = await sendOne(socketPath, `${usageLine(writer, index)}\n`);
      if (code === null) {
        result.delivered += 1;
      } else {
        result.refused += 1;
        result.refusedByCode[code] = (result.refusedByCode[code] ?? 0) + 1;
      }
    }
  };

  await Promise.all(Array.from({ length: concurrency }, (_, writer) => loop(writer)));
  return result;
}

/**
 * A fleet of `bots` sending one message a second each, a new connection per message, the sends
 * spread evenly over each second and not waiting on one another, for `seconds`.
 */
export async function runPacedPerMessage(
  socketPath: string,
  bots: number,
  seconds: number,
): Promise<PerMessageResult> {
  const result: PerMessageResult = { delivered: 0, refused: 0, refusedByCode: {}, timedOut: false };
  const total = bots * seconds;
  const spacingMs = 1000 / bots;
  const started = Date.now();
  const sends: Promise<void>[] = [];

  let sent = 0;
  while (sent < total && Date.now() < started + seconds * 1000 + PACED_SLACK_MS) {
    while (sent < total && started + sent * spacingMs <= Date.now()) {
      const index = sent++;
      const send = sendOne(socketPath, `${usageLine(index % bots, index)}\n`).then((code) => {
        if (code === null) {
          result.delivered += 1;
          return;
        }
        result.refused += 1;
        result.refusedByCode[code] = (result.refusedByCode[code] ?? 0) + 1;
      });
      sends.push(send);
    }
    await sleep(PACED_TICK_MS);
  }

  result.timedOut = sent < total;
  await Promise.all(sends);
  return result;
}
