import { afterEach, describe, expect, it } from 'vitest';
import { MonitorClient, type ClientMode } from '../../src/client/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitUntil } from './fixtures/servers.js';
import { startUnacceptingServer } from './fixtures/unaccepting-server.js';

const usage = { model: 'gpt-x', feature: 'chat', tokensIn: 3, tokensOut: 1 };

describe.each<ClientMode>(['per-message', 'persistent'])(
  'a monitor whose accept queue is full, in %s mode',
  (mode) => {
    let dir: ReturnType<typeof makeTempDir>;
    let server: Awaited<ReturnType<typeof startUnacceptingServer>>;
    afterEach(async () => {
      await server.close();
      dir.cleanup();
    });

    it('gives up after a few quick retries while the queue stays full', async () => {
      dir = makeTempDir();
      server = await startUnacceptingServer(dir.file('busy.sock'));
      const client = new MonitorClient('busy_bot', 9, { socketPath: dir.file('busy.sock'), mode });

      expect(await client.logLlmUsage(usage)).toBe(false);
      await client.close(0);
    });

    it('delivers the line when the queue frees during those retries', async () => {
      dir = makeTempDir();
      server = await startUnacceptingServer(dir.file('busy.sock'));
      const client = new MonitorClient('busy_bot', 9, { socketPath: dir.file('busy.sock'), mode });

      // The first connect has already been refused with EAGAIN when the call returns.
      const sent = client.logLlmUsage(usage);
      server.release();

      expect(await sent).toBe(true);
      await client.close(1000);
      await waitUntil(() => server.received.some((text) => text.includes('"tokens_in":3')));
    });
  },
);
