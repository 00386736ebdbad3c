/**
 * A relay between kissmon and the Stately inspector in an operator's browser, on loopback only.
 *
 * It serves one page that embeds the inspector and a WebSocket that feeds it. The page is opened
 * by the operator (kissmon never opens a browser) and needs the inspector's web app, so internet
 * access in that browser; without it, use --inspect-record.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { configure } from 'safe-stable-stringify';
import { WebSocket, WebSocketServer } from 'ws';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';

const HOST = '127.0.0.1';
const INSPECTOR_URL = 'https://stately.ai/inspect';
const REPLAY_EVENTS = 500;
const MAX_CLIENT_BUFFER = 4 * 1024 * 1024;

const stringify = configure({ maximumDepth: 10, circularValue: '[Circular]' });

function renderPage(): string {
  return `<!doctype html>
<meta charset="utf-8">
<title>kissmon · Stately inspector</title>
<style>html,body,iframe{margin:0;border:0;width:100%;height:100%}</style>
<iframe id="inspector" src="${INSPECTOR_URL}"></iframe>
<script>
  const inspector = document.getElementById('inspector');
  const waiting = [];
  let ready = false;
  addEventListener('message', (message) => {
    if (message.data?.type !== '@statelyai.connected') return;
    ready = true;
    for (const event of waiting.splice(0)) inspector.contentWindow.postMessage(event, '*');
  });
  const feed = new WebSocket('ws://' + location.host);
  feed.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (ready) inspector.contentWindow.postMessage(event, '*');
    else waiting.push(event);
  };
</script>
`;
}

export class InspectorRelay {
  dropped = 0;
  private port: number;
  private readonly replayLimit: number;
  private readonly server: Server;
  private readonly sockets: WebSocketServer;
  private readonly replay: string[] = [];

  /** Port 0 picks a free one; `replayLimit` events are kept for pages that connect later. */
  constructor(port: number, replayLimit = REPLAY_EVENTS) {
    this.port = port;
    this.replayLimit = replayLimit;
    this.server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(renderPage());
    });
    this.sockets = new WebSocketServer({ server: this.server });
    this.sockets.on('connection', (socket) => {
      for (const line of this.replay) socket.send(line);
    });
  }

  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (error) => {
        const where = `${HOST}:${this.port}`;
        const message = `The inspector relay cannot listen on ${where}: ${error.message}`;
        reject(new KissmonError(ServerErrorCode.inspectorListen, message, { cause: error }));
      });
      this.server.listen(this.port, HOST, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  send(event: StatelyInspectionEvent): void {
    const line = stringify(event) ?? 'null';
    this.replay.push(line);
    if (this.replay.length > this.replayLimit) this.replay.shift();

    for (const client of this.sockets.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_CLIENT_BUFFER) this.dropped += 1;
      else client.send(line);
    }
  }

  async close(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
