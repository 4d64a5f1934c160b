import { describe, expect, it } from 'vitest'
import { archiveFileName, archivedThroughInstant, checkLines, formatWatermark, parseWatermark, retentionCutoff } from './archive.ts'

describe('audit archive rules', () => {
  it('cuts at the retention in whole days before now', () => {
    expect(retentionCutoff(new Date('2026-12-05T10:00:00.000Z'), 180)).toBe('2026-06-08T10:00:00.000Z')
  })

  it('writes and reads the watermark; anything unreadable means nothing archived', () => {
    const w = { at: '2026-06-08T09:59:59.999Z', id: '01JXYZ' }
    expect(parseWatermark(formatWatermark(w))).toEqual(w)
    expect(archivedThroughInstant(formatWatermark(w))).toBe(w.at)
    expect(parseWatermark('')).toBeNull()
    expect(parseWatermark('garbage')).toBeNull()
    expect(archivedThroughInstant('')).toBeNull()
  })

  it('names files by the days they cover and the run', () => {
    expect(archiveFileName('2025-01-02T00:00:00.000Z', '2025-06-30T23:00:00.000Z', new Date('2026-12-05T10:11:12.345Z'))).toBe(
      'audit-log-2025-01-02_2025-06-30-20261205T101112Z.jsonl.gz',
    )
  })

  it('checks lines: objects with ids in (at, id) order', () => {
    const a = JSON.stringify({ id: 'A', at: '2025-01-01T00:00:00.000Z' })
    const b = JSON.stringify({ id: 'B', at: '2025-01-01T00:00:00.000Z' })
    const c = JSON.stringify({ id: 'A', at: '2025-01-02T00:00:00.000Z' })
    expect(checkLines(`${a}\n${b}\n${c}\n`)).toEqual({ ok: true, rows: 3, firstId: 'A', lastId: 'A' })
    expect(checkLines(`${b}\n${a}\n`).ok).toBe(false)
    expect(checkLines(`${a}\n{broken\n`).ok).toBe(false)
    expect(checkLines(`${JSON.stringify({ at: 'x' })}\n`).ok).toBe(false)
    expect(checkLines('')).toEqual({ ok: true, rows: 0, firstId: null, lastId: null })
  })
})
