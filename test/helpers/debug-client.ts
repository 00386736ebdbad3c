import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export type DebugReply = Record<string, any>;

/** A raw client of the debug socket: writes lines, reads reply lines one at a time. */
export class DebugTestClient {
  readonly socket: Socket;
  private readonly replies: DebugReply[] = [];
  private readonly waiters: ((reply: DebugReply) => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    createInterface({ input: socket }).on('line', (line) => {
      const reply = JSON.parse(line) as DebugReply;
      const waiter = this.waiters.shift();
      if (waiter) waiter(reply);
      else this.replies.push(reply);
    });
  }

  static async connect(path: string): Promise<DebugTestClient> {
    const socket = connect(path);
    await once(socket, 'connect');
    return new DebugTestClient(socket);
  }

  send(request: string | Record<string, unknown>): void {
    const line = typeof request === 'string' ? request : JSON.stringify(request);
    this.socket.write(`${line}\n`);
  }

  next(): Promise<DebugReply> {
    const reply = this.replies.shift();
    if (reply) return Promise.resolve(reply);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends one request and resolves with the next reply line. */
  async ask(request: string | Record<string, unknown>): Promise<DebugReply> {
    this.send(request);
    return this.next();
  }

  close(): void {
    this.socket.destroy();
  }
}
