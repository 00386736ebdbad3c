/**
 * kissmon's inspector: XState inspection events turned into the Stately inspector's format by
 * @statelyai/inspect, then sent to the loopback relay, to a JSONL recording, or to both.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import type { Inspect } from '../clock.js';
import { RecordAdapter } from './record-adapter.js';
import { InspectorRelay } from './relay.js';

export interface InspectorOptions {
  /** Loopback port of the relay; undefined means no relay. */
  relayPort?: number | undefined;
  /** JSONL file to append events to; undefined means no recording. */
  recordFile?: string | undefined;
}

export interface OpenInspector {
  inspect: Inspect;
  /** The page to open in a browser, when a relay runs. */
  url: string | undefined;
  recordFile: string | undefined;
  close: () => Promise<void>;
}

export async function openInspector(options: InspectorOptions): Promise<OpenInspector> {
  const relay = options.relayPort === undefined ? undefined : new InspectorRelay(options.relayPort);
  const record =
    options.recordFile === undefined ? undefined : new RecordAdapter(options.recordFile);

  await relay?.listen();
  try {
    await record?.open();
  } catch (error) {
    await relay?.close();
    throw error;
  }

  const inspector = createInspector({
    send: (event: StatelyInspectionEvent) => {
      relay?.send(event);
      record?.send(event);
    },
  });
  const observer = inspector.inspect;

  return {
    inspect: (event) => observer.next?.(event),
    url: relay?.url,
    recordFile: record?.path,
    close: async () => {
      // @statelyai/inspect converts each event on a zero-delay timer; let those run first.
      await wait(0);
      await Promise.all([relay?.close(), record?.close()]);
    },
  };
}
