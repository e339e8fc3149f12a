import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { EventFrames, Frame } from "./frames";

/** Frames are JSON text frames, handed to ws as ready-made UTF-8. */
const TEXT = { binary: false } as const;

/**
 * One connection's send buffer: what ws has not written yet plus the live
 * events its session streams hold while they catch up, both counted against
 * `bufferLimitBytes`. Deciding what to do past the limit is the connection's.
 */
export class WsSendBuffer {
  /** Bytes of live events held by session streams while they catch up: part of the send buffer limit. */
  private heldBytes = 0;
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    /** Read at every check (the hub's options). */
    private readonly limits: { readonly bufferLimitBytes: number },
    /** The upgraded TCP socket under `socket`: corked while a burst is sent. */
    private readonly tcp: Socket | null,
  ) {}

  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  get held(): number {
    return this.heldBytes;
  }

  /** Whether `bytes` more stay within the limit. */
  fits(bytes: number): boolean {
    return this.socket.bufferedAmount + this.heldBytes + bytes <= this.limits.bufferLimitBytes;
  }

  /** Writes a frame or a batch of them; returns how many frames went out. */
  write(f: Frame | EventFrames): number {
    this.cork();
    if ("frames" in f) for (const x of f.frames) this.socket.send(x.data, TEXT);
    else this.socket.send(f.data, TEXT);
    return "frames" in f ? f.frames.length : 1;
  }

  /** Writes past the limit: only for the last frame before a close. */
  writeLast(f: Frame): void {
    this.socket.send(f.data, TEXT);
  }

  /** Counts bytes a stream holds (1) or lets go of (-1); false when holding more passes the limit. */
  hold(bytes: number, sign: 1 | -1): boolean {
    this.heldBytes += sign * bytes;
    return sign < 0 || this.socket.bufferedAmount + this.heldBytes <= this.limits.bufferLimitBytes;
  }

  /** Over half the limit: a replay waits before adding to it. */
  congested(): boolean {
    return this.socket.bufferedAmount > this.limits.bufferLimitBytes / 2;
  }

  /** A replay waits for the socket to drain below half the limit, so a replay alone never makes a slow consumer. */
  async drained(closing: () => boolean): Promise<void> {
    const low = this.limits.bufferLimitBytes / 2;
    while (!closing() && this.socket.bufferedAmount > low) await new Promise((r) => setTimeout(r, 10));
  }

  /**
   * Frames sent in one turn of the event loop (a committed batch of events is
   * published synchronously) leave in one write instead of one per frame.
   */
  private cork(): void {
    const tcp = this.tcp;
    if (this.corked || !tcp) return;
    this.corked = true;
    tcp.cork();
    process.nextTick(() => {
      this.corked = false;
      tcp.uncork();
    });
  }
}
