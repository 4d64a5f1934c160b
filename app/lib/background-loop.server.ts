import { randomBytes } from 'node:crypto'
import os from 'node:os'

/** A name for this process in claims (`claimed_by`): host, pid and a random suffix per start. */
export function workerIdentity(): string {
  return `${os.hostname().slice(0, 30)}:${process.pid}:${randomBytes(4).toString('hex')}`
}

export interface BackgroundLoop {
  stop(): void
  /** True once stopped: a round in progress checks it between its steps. */
  readonly stopped: boolean
}

/**
 * Runs `round` in this process every `intervalMs` until stopped (the webhook, export and
 * retention workers). A round starts only after the previous one has ended, so rounds never
 * overlap; a failed round is logged and the next one tries again (the database may be
 * restarting); the timer never keeps the process alive at shutdown.
 */
export function startLoop(
  name: string,
  intervalMs: number,
  round: (loop: BackgroundLoop) => Promise<void>,
  { firstDelayMs = intervalMs }: { firstDelayMs?: number } = {},
): BackgroundLoop {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const loop: BackgroundLoop = {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
    get stopped() {
      return stopped
    },
  }
  const schedule = (delay: number) => {
    if (stopped) return
    timer = setTimeout(tick, delay)
    timer.unref()
  }
  const tick = async () => {
    try {
      await round(loop)
    } catch (error) {
      console.warn(`${name}: round failed`, error instanceof Error ? error.message : error)
    } finally {
      schedule(intervalMs)
    }
  }
  schedule(firstDelayMs)
  return loop
}
