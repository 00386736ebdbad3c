import { afterAll, describe, expect, it } from 'vitest';
import {
  HeartbeatTask,
  MonitorClient,
  registerWithMonitor,
  sendHeartbeat,
  unregisterFromMonitor,
  type ClientMode,
} from '../../src/client/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startLineRecorder, waitUntil } from './fixtures/servers.js';

const dir = makeTempDir();
afterAll(() => dir.cleanup());

async function recordLines(
  name: string,
  count: number,
  act: (socketPath: string) => Promise<void>,
) {
  const recorder = await startLineRecorder(dir.file(name));
  await act(dir.file(name));
  await waitUntil(() => recorder.lines.length >= count);
  await recorder.close();
  // Per-message lines arrive on separate connections, whose reads may interleave in any order.
  return recorder.lines.sort();
}

async function useLegacyFunctions(socketPath: string): Promise<void> {
  const options = { socketPath };
  expect(await registerWithMonitor('ported_bot', 31337, { llm: true, tts: false }, options)).toBe(
    true,
  );
  expect(await sendHeartbeat('ported_bot', 31337, options)).toBe(true);

  const task = new HeartbeatTask('ported_bot', 31337, 60_000, options);
  expect(await task.start()).toBe(true);
  expect(await task.stop()).toBe(true);

  expect(await unregisterFromMonitor('ported_bot', 31337, 'shutdown', options)).toBe(true);
}

async function useMonitorClient(socketPath: string, mode: ClientMode): Promise<void> {
  const client = new MonitorClient('ported_bot', 31337, { socketPath, mode });
  expect(await client.register({ llm: true, tts: false })).toBe(true);
  expect(await client.heartbeat()).toBe(true);
  expect(await client.startHeartbeat(60_000)).toBe(true);
  expect(await client.stopHeartbeat()).toBe(true);
  expect(await client.unregister('shutdown')).toBe(true);
  expect(await client.close()).toBe(true);
}

describe('the legacy functions', () => {
  it.each<ClientMode>(['persistent', 'per-message'])(
    'write the same lines as MonitorClient in %s mode',
    async (mode) => {
      const legacy = await recordLines(`legacy-${mode}.sock`, 4, useLegacyFunctions);
      const modern = await recordLines(`client-${mode}.sock`, 4, (path) =>
        useMonitorClient(path, mode),
      );

      expect(legacy).toEqual(modern);
      expect(legacy.map((line) => JSON.parse(line))).toEqual([
        { type: 'heartbeat', channel: 'ported_bot', pid: 31337 },
        { type: 'heartbeat', channel: 'ported_bot', pid: 31337 },
        {
          type: 'register',
          channel: 'ported_bot',
          pid: 31337,
          features: { llm: true, tts: false },
        },
        { type: 'unregister', channel: 'ported_bot', pid: 31337, reason: 'shutdown' },
      ]);
    },
  );
});
