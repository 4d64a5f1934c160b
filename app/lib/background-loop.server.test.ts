import { afterEach, describe, expect, it, vi } from 'vitest'
import { startLoop } from './background-loop.server.ts'

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('startLoop', () => {
  it('waits for a round to end before the next, goes on after a failed round, and stops', async () => {
    vi.useFakeTimers()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    let active = 0
    let most = 0
    let rounds = 0
    const loop = startLoop(
      'test loop',
      10,
      async () => {
        rounds++
        active++
        most = Math.max(most, active)
        await new Promise((resolve) => setTimeout(resolve, 25))
        active--
        if (rounds === 2) throw new Error('database restarting')
      },
      { firstDelayMs: 5 },
    )
    await vi.advanceTimersByTimeAsync(200)
    expect(rounds).toBeGreaterThanOrEqual(4)
    expect(most).toBe(1)
    expect(warn).toHaveBeenCalledWith('test loop: round failed', 'database restarting')
    loop.stop()
    expect(loop.stopped).toBe(true)
    const after = rounds
    await vi.advanceTimersByTimeAsync(200)
    expect(rounds).toBe(after)
  })
})
