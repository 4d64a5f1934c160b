import { describe, expect, it } from 'vitest'
import { CoalescingStream } from './coalescing-stream.server.ts'

function collect(stream: CoalescingStream): Buffer[] {
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  return chunks
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('CoalescingStream', () => {
  it('sends the pieces written before a flush as one chunk, in order', async () => {
    const stream = new CoalescingStream()
    const chunks = collect(stream)
    stream.write(new TextEncoder().encode('<!DOCTYPE html>'))
    stream.write(Buffer.from('<html>'))
    stream.write(Buffer.from('<body>'))
    await tick()
    expect(chunks).toHaveLength(0)
    stream.flush()
    await tick()
    expect(chunks.map(String)).toEqual(['<!DOCTYPE html><html><body>'])
    stream.write(Buffer.from('later'))
    stream.end(Buffer.from('</html>'))
    await new Promise((resolve) => stream.on('end', resolve))
    expect(chunks.map(String)).toEqual(['<!DOCTYPE html><html><body>', 'later</html>'])
  })

  it('does not hold more than 64 KB waiting for a flush', async () => {
    const stream = new CoalescingStream()
    const chunks = collect(stream)
    const piece = Buffer.alloc(2048, 'a')
    for (let i = 0; i < 40; i++) stream.write(piece)
    await tick()
    expect(chunks.map((c) => c.length)).toEqual([64 * 1024])
    stream.flush()
    await tick()
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(40 * 2048)
  })

  it('sends nothing for an empty flush', async () => {
    const stream = new CoalescingStream()
    const chunks = collect(stream)
    stream.flush()
    stream.end()
    await new Promise((resolve) => stream.on('end', resolve))
    expect(chunks).toHaveLength(0)
  })
})
