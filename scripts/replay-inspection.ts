/**
 * `npm run inspect:replay -- FILE [PORT]`: serves a recording made with --inspect-record to the
 * Stately inspector through the same loopback relay as `kissmon start --inspect`, until Ctrl-C.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { InspectorRelay } from '../src/inspect/relay.js';

const [file, port = '4820'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: npm run inspect:replay -- FILE [PORT]\n');
  process.exit(1);
}

const relay = new InspectorRelay(Number(port), Number.POSITIVE_INFINITY);
await relay.listen();

let events = 0;
for await (const line of createInterface({ input: createReadStream(file) })) {
  if (line.trim() === '') continue;
  relay.send(JSON.parse(line) as StatelyInspectionEvent);
  events += 1;
}
process.stdout.write(`${events} events from ${file}; open ${relay.url} (Ctrl-C to stop)\n`);
process.on('SIGINT', () => void relay.close().then(() => process.exit(0)));
