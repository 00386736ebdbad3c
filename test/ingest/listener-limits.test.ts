import { spawn } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import { RejectCode } from '../../src/protocol/errors.js';
import { closedByPeer, openConnection, startListener } from '../helpers/ingest-listener.js';
import { usageLine } from '../helpers/send.js';

type Started = Awaited<ReturnType<typeof startListener>>;

const usage = (channel: string, tokensIn = 1) => `${usageLine(channel, tokensIn)}\n`;

describe('ingest listener limits', () => {
  let started: Started | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await started?.cleanup();
    started = undefined;
  });

  async function open(count: number): Promise<Socket[]> {
    const opened = await Promise.all(
      Array.from({ length: count }, () => openConnection(started!.socketPath)),
    );
    sockets.push(...opened);
    return opened;
  }

  it('closes connections over the limit at once, counts them, and keeps serving the rest', async () => {
    started = await startListener({ maxConnections: 5 });
    const held = await open(5);
    await vi.waitFor(() => expect(started!.listener.stats.open).toBe(5));

    const over = await open(7);
    await Promise.all(over.map(closedByPeer));
    expect(started.listener.stats.refused).toBe(7);
    expect(started.listener.stats.open).toBe(5);

    held.forEach((socket, i) => socket.write(usage(`held_${i}`)));
    await vi.waitFor(() => expect(started!.delivered).toHaveLength(5));

    held[0]!.destroy();
    await vi.waitFor(() => expect(started!.listener.stats.open).toBe(4));
    const [late] = await open(1);
    late!.write(usage('late'));
    await vi.waitFor(() => expect(started!.delivered).toHaveLength(6));
    expect(started.listener.stats.refused).toBe(7);
  });

  it('closes a connection idle for the timeout on the injected clock, and only that one', async () => {
    const clock = new SimulatedClock();
    const idleTimeoutMs = 600_000;
    started = await startListener({
      idleTimeoutMs,
      clock: { now: () => clock.now(), timers: clock },
    });
    const [quiet, chatty] = await open(2);
    await vi.waitFor(() => expect(started!.listener.stats.open).toBe(2));

    clock.increment(idleTimeoutMs / 2);
    chatty!.write(usage('chatty'));
    await vi.waitFor(() => expect(started!.delivered).toHaveLength(1));

    clock.increment(idleTimeoutMs / 2 + idleTimeoutMs / 4);
    await closedByPeer(quiet!);
    expect(chatty!.destroyed).toBe(false);
    expect(started.listener.stats.idleClosed).toBe(1);

    clock.increment(idleTimeoutMs);
    await closedByPeer(chatty!);
    expect(started.listener.stats.idleClosed).toBe(2);
    await vi.waitFor(() => expect(started!.listener.stats.open).toBe(0));
  });

  it('keeps a quiet connection forever when the idle timeout is 0', async () => {
    const clock = new SimulatedClock();
    started = await startListener({
      idleTimeoutMs: 0,
      clock: { now: () => clock.now(), timers: clock },
    });
    const [quiet] = await open(1);
    clock.increment(7 * 24 * 3_600_000);

    quiet!.write(usage('still_here'));
    await vi.waitFor(() => expect(started!.delivered).toHaveLength(1));
    expect(started.listener.stats.idleClosed).toBe(0);
  });

  it('lets slow senders hold no more than their line limit each', async () => {
    const maxLineBytes = 256;
    const senders = 100;
    started = await startListener({ maxLineBytes });
    const slow = await open(senders);

    let written = 0;
    let maxHeld = 0;
    for (let round = 0; round < 40; round += 1) {
      for (const socket of slow) socket.write('{"type":"he'.slice(0, 8));
      written += 8 * senders;
      await vi.waitFor(() => expect(started!.listener.stats.bytes).toBe(written), {
        interval: 5,
      });
      maxHeld = Math.max(maxHeld, started.listener.heldBytes);
      expect(started.listener.heldBytes).toBeLessThanOrEqual(senders * maxLineBytes);
    }
    expect(maxHeld).toBeGreaterThan(senders * maxLineBytes * 0.9);
    expect(started.rejects.byCode.get(RejectCode.lineTooLong)).toBe(senders);

    slow.forEach((socket, i) => socket.write(`\n${usage(`slow_${i}`)}`));
    await vi.waitFor(() => expect(started!.delivered).toHaveLength(senders));
    expect(started.listener.heldBytes).toBe(0);
  });

  // Changing a socket's group to one we are not in, and acting as another user, need root.
  const asRoot = it.skipIf(process.getuid?.() !== 0);

  asRoot('creates the socket with mode 0660 and the configured group', async () => {
    started = await startListener({ permissions: { mode: 0o660, group: 'daemon' } });
    const stats = statSync(started.socketPath);
    expect(stats.mode & 0o777).toBe(0o660);
    expect(stats.gid).toBe(1);
  });

  asRoot('refuses other users with 0660 and admits them with 0666', async () => {
    const tryAsNobody = async (socketPath: string) => {
      const script = `require('net').connect(${JSON.stringify(socketPath)})
        .on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(3); })`;
      const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534 });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      return { code, out: out.trim() };
    };

    started = await startListener({ permissions: { mode: 0o660, group: undefined } });
    chmodSync(started.dir.path, 0o755);
    expect(await tryAsNobody(started.socketPath)).toEqual({ code: 3, out: 'EACCES' });
    await started.cleanup();

    started = await startListener({ permissions: { mode: 0o666, group: undefined } });
    chmodSync(started.dir.path, 0o755);
    expect(await tryAsNobody(started.socketPath)).toEqual({ code: 0, out: '' });
  });
});
