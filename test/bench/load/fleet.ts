/**
 * Scenario 3's fleet: `bots` persistent connections in this process, each registering once and
 * then heart-beating once a second, phases spread evenly over the second. One 5 ms ticker
 * sends whatever is due, instead of ten thousand timers. Each heartbeat carries its write time
 * in its status text for the server to time.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { preciseNow } from '../precise-time.js';
import { heartbeatLine, registerLine } from './lines.js';

const CONNECT_BATCH = 100;
const TICK_MS = 5;
const BASE_PID = 100_000;

export interface Bot {
  channel: string;
  pid: number;
  socket: Socket;
  registerSentAt: number;
}

export interface Fleet {
  bots: Bot[];
  errors: number;
  connectFailures: number;
  heartbeatsSent: number;
}

function connectBot(socketPath: string, index: number, fleet: Fleet): Promise<void> {
  const channel = `fleet_bot_${index}`;
  const pid = BASE_PID + index;

  return new Promise((resolve) => {
    const socket = connect(socketPath, () => {
      const registerSentAt = preciseNow();
      socket.write(`${registerLine(channel, pid)}\n`);
      fleet.bots.push({ channel, pid, socket, registerSentAt });
      resolve();
    });
    socket.on('error', () => {
      if (socket.connecting) fleet.connectFailures += 1;
      else fleet.errors += 1;
      resolve();
    });
  });
}

/** Connects and registers every bot, `CONNECT_BATCH` connects in flight at a time. */
export async function registerFleet(socketPath: string, bots: number): Promise<Fleet> {
  const fleet: Fleet = { bots: [], errors: 0, connectFailures: 0, heartbeatsSent: 0 };
  for (let first = 0; first < bots; first += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, bots - first) }, (_, offset) =>
      connectBot(socketPath, first + offset, fleet),
    );
    await Promise.all(batch);
  }
  return fleet;
}

/** Every bot heart-beats once a second for `seconds`; bounded by count and by time. */
export async function heartbeatFleet(fleet: Fleet, seconds: number): Promise<void> {
  const { bots } = fleet;
  const spacingMs = 1000 / bots.length;
  const total = bots.length * seconds;
  const started = preciseNow();
  const deadline = started + seconds * 1000 + 2000;
  let sent = 0;

  while (sent < total && preciseNow() < deadline) {
    const now = preciseNow();
    while (sent < total && started + sent * spacingMs <= now) {
      const bot = bots[sent % bots.length]!;
      bot.socket.write(`${heartbeatLine(bot.channel, bot.pid, preciseNow())}\n`);
      sent += 1;
    }
    await sleep(TICK_MS);
  }
  fleet.heartbeatsSent = sent;
}

export function closeFleet(fleet: Fleet): void {
  for (const bot of fleet.bots) bot.socket.destroy();
}
