/**
 * Scenario 3's fleet: `bots` persistent connections in this process, each registering once and
 * then heart-beating once a second, phases spread evenly over the second. One 5 ms ticker
 * sends whatever is due, instead of ten thousand timers. Each heartbeat carries its write time
 * in its status text for the server to time.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { preciseNow } from '../precise-time.js';
import { botUsageLine, heartbeatLine, registerLine } from './lines.js';

const CONNECT_BATCH = 100;
const CONNECT_ATTEMPTS = 50;
const RETRY_PAUSE_MS = 20;
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
  /** Refused connects (each retried) and later socket errors, by code. */
  errorsByCode: Record<string, number>;
  heartbeatsSent: number;
  /** Usage rows sent beside the heartbeats (scenario 8's light `llm_usage` traffic). */
  usageSent: number;
}

function tryConnect(socketPath: string): Promise<Socket | string> {
  return new Promise((resolve) => {
    const socket = connect(socketPath, () => resolve(socket));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? 'ERROR');
    });
  });
}

// A refused connect is retried after a pause, as a bot's client reconnects; the refusals are
// counted, because a fleet registering at once overruns the accept queue when kissmon lags.
async function connectBot(socketPath: string, index: number, fleet: Fleet): Promise<void> {
  const channel = `fleet_bot_${index}`;
  const pid = BASE_PID + index;

  for (let attempt = 0; attempt < CONNECT_ATTEMPTS; attempt += 1) {
    const outcome = await tryConnect(socketPath);
    if (typeof outcome !== 'string') {
      const registerSentAt = preciseNow();
      outcome.write(`${registerLine(channel, pid)}\n`);
      outcome.on(
        'error',
        () => (fleet.errorsByCode.AFTER_CONNECT = (fleet.errorsByCode.AFTER_CONNECT ?? 0) + 1),
      );
      fleet.bots.push({ channel, pid, socket: outcome, registerSentAt });
      return;
    }
    fleet.errorsByCode[outcome] = (fleet.errorsByCode[outcome] ?? 0) + 1;
    await sleep(RETRY_PAUSE_MS);
  }
}

/** Connects and registers every bot, `CONNECT_BATCH` connects in flight at a time. */
export async function registerFleet(socketPath: string, bots: number): Promise<Fleet> {
  const fleet: Fleet = { bots: [], errorsByCode: {}, heartbeatsSent: 0, usageSent: 0 };
  await registerMore(socketPath, fleet, bots);
  return fleet;
}

/** Connects and registers bots until the fleet has `bots` of them. */
export async function registerMore(socketPath: string, fleet: Fleet, bots: number): Promise<void> {
  for (let first = fleet.bots.length; first < bots; first += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, bots - first) }, (_, offset) =>
      connectBot(socketPath, first + offset, fleet),
    );
    await Promise.all(batch);
  }
}

/**
 * Every bot heart-beats once a second for `seconds`; bounded by count and by time. With
 * `usageEvery` set, every such heartbeat is followed by a usage row on the same connection.
 */
export async function heartbeatFleet(fleet: Fleet, seconds: number, usageEvery = 0): Promise<void> {
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
      fleet.heartbeatsSent = sent;

      if (usageEvery > 0 && sent % usageEvery === 0) {
        bot.socket.write(`${botUsageLine(bot.channel, bot.pid, fleet.usageSent)}\n`);
        fleet.usageSent += 1;
      }
    }
    await sleep(TICK_MS);
  }
}

export function closeFleet(fleet: Fleet): void {
  for (const bot of fleet.bots) bot.socket.destroy();
}
