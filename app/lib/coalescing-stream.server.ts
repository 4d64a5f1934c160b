import { Transform, type TransformCallback } from 'node:stream'

/** Past this much buffered output a piece goes on without waiting for React's flush(). */
const MAX_PENDING_BYTES = 64 * 1024

/**
 * React's server renderer writes a page in 2 KB pieces and calls `flush()` on its destination
 * whenever it has nothing more to write for now (the convention compression streams follow).
 * Passed on one by one, each piece would be its own web-stream chunk, promise and socket write:
 * seventy for a 140 KB page. This stream keeps the pieces and sends them on together at each
 * `flush()` (and at the end), so streaming still happens at the points React chose.
 */
export class CoalescingStream extends Transform {
  private pending: Buffer[] = []
  private pendingBytes = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    if (this.pendingBytes >= MAX_PENDING_BYTES) this.flush()
    callback()
  }

  override _flush(callback: TransformCallback): void {
    this.flush()
    callback()
  }

  /** Sends on everything written since the last flush, as one chunk. */
  flush(): void {
    if (!this.pending.length) return
    const out = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes)
    this.pending = []
    this.pendingBytes = 0
    this.push(out)
  }
}
