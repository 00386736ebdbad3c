/**
 * One operator's connection to the debug socket, with a bounded write buffer: a client that
 * stops reading is disconnected instead of holding memory, and ingestion never waits for it.
 */
import type { Socket } from 'node:net';

export class DebugConnection {
  private readonly socket: Socket;
  private readonly maxBuffer: number;
  private readonly onSlow: () => void;
  private readonly cleanups: (() => void)[] = [];
  private corked = false;

  constructor(socket: Socket, maxBuffer: number, onSlow: () => void) {
    this.socket = socket;
    this.maxBuffer = maxBuffer;
    this.onSlow = onSlow;
    socket.once('close', () => this.cleanup());
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes one reply line; false when the client is gone or was dropped for being slow. */
  send(reply: object): boolean {
    return this.sendLine(JSON.stringify(reply));
  }

  /** Writes one line already serialised (a transition is serialised once for all watchers). */
  sendLine(json: string): boolean {
    if (this.socket.destroyed) return false;
    if (this.socket.writableLength > this.maxBuffer) {
      this.socket.destroy();
      this.onSlow();
      return false;
    }

    // A burst of transitions within one tick leaves as one write, not one syscall each.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(`${json}\n`);
    return true;
  }

  /** Runs `cleanup` when the connection closes (a watch unsubscribes there). */
  onClose(cleanup: () => void): void {
    if (this.socket.destroyed) cleanup();
    else this.cleanups.push(cleanup);
  }

  private cleanup(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}
