import { describe, expect, it } from 'vitest'
import type { CaseStatus } from '#db/schema.ts'
import { type RetentionCandidate, isDue, partyLabel, personLabels, retentionCutoff, retentionStart, runIsDue } from './rules.ts'

const closed = (at: string | null, overrides: Partial<RetentionCandidate> = {}): RetentionCandidate => ({
  status: 'closed',
  closed_at: at,
  archived_at: null,
  parties_purged_at: null,
  ...overrides,
})

describe('retentionCutoff', () => {
  it('goes back whole calendar months, keeping the time of day', () => {
    expect(retentionCutoff(new Date('2026-12-06T01:02:03.456Z'), 36)).toBe('2023-12-06T01:02:03.456Z')
    expect(retentionCutoff(new Date('2026-12-06T00:00:00.000Z'), 6)).toBe('2026-06-06T00:00:00.000Z')
  })

  it('crosses year boundaries', () => {
    expect(retentionCutoff(new Date('2026-03-15T08:00:00.000Z'), 6)).toBe('2025-09-15T08:00:00.000Z')
    expect(retentionCutoff(new Date('2026-01-01T00:00:00.000Z'), 13)).toBe('2024-12-01T00:00:00.000Z')
  })

  it('clamps the day to the end of a shorter month instead of rolling into the next', () => {
    expect(retentionCutoff(new Date('2026-08-31T12:00:00.000Z'), 6)).toBe('2026-02-28T12:00:00.000Z')
    expect(retentionCutoff(new Date('2028-08-31T12:00:00.000Z'), 6)).toBe('2028-02-29T12:00:00.000Z')
    expect(retentionCutoff(new Date('2026-05-31T23:59:59.999Z'), 1)).toBe('2026-04-30T23:59:59.999Z')
  })
})

describe('isDue', () => {
  const cutoff = '2023-12-06T00:00:00.000Z'

  it('is due exactly at the end of the period and after it, not a millisecond before', () => {
    expect(isDue(closed('2023-12-06T00:00:00.000Z'), cutoff)).toBe(true)
    expect(isDue(closed('2023-12-05T23:59:59.999Z'), cutoff)).toBe(true)
    expect(isDue(closed('2023-12-06T00:00:00.001Z'), cutoff)).toBe(false)
  })

  it('never touches a case that is still open, whatever its dates', () => {
    const open: CaseStatus[] = ['registered', 'accepted', 'mediating', 'consulting', 'succeeded', 'failed']
    for (const status of open) {
      expect(isDue(closed('2020-01-01T00:00:00.000Z', { status }), cutoff), status).toBe(false)
    }
  })

  it('counts an archived case from its closing, or from its archiving when it has no closing time', () => {
    expect(isDue(closed('2020-01-01T00:00:00.000Z', { status: 'archived', archived_at: '2025-01-01T00:00:00.000Z' }), cutoff)).toBe(true)
    expect(isDue(closed(null, { status: 'archived', archived_at: '2020-01-01T00:00:00.000Z' }), cutoff)).toBe(true)
    expect(isDue(closed(null, { status: 'archived', archived_at: '2025-01-01T00:00:00.000Z' }), cutoff)).toBe(false)
    expect(retentionStart({ closed_at: '2020-01-01T00:00:00.000Z', archived_at: '2021-01-01T00:00:00.000Z' })).toBe(
      '2020-01-01T00:00:00.000Z',
    )
  })

  it('is not due without any closing date, nor once purged', () => {
    expect(isDue(closed(null), cutoff)).toBe(false)
    expect(isDue(closed('2020-01-01T00:00:00.000Z', { parties_purged_at: '2024-01-01T00:00:00.000Z' }), cutoff)).toBe(false)
  })
})

describe('partyLabel', () => {
  it('numbers parties from 1 by their place in the list', () => {
    expect(partyLabel(1)).toBe('当事人1')
    expect(partyLabel(3)).toBe('当事人3')
  })
})

describe('runIsDue', () => {
  const now = new Date('2026-12-06T10:00:00.000Z')
  it('runs when it never ran, and again 23 hours after the last run', () => {
    expect(runIsDue(null, now)).toBe(true)
    expect(runIsDue('2026-12-05T11:00:00.000Z', now)).toBe(true)
    expect(runIsDue('2026-12-05T11:00:00.001Z', now)).toBe(false)
    expect(runIsDue('2026-12-06T09:00:00.000Z', now)).toBe(false)
  })
})

describe('personLabels', () => {
  it('numbers persons by their place in their own case, organisations counted but not renamed', () => {
    const labels = personLabels([
      { id: 'a1', case_id: 'A', kind: 'person' },
      { id: 'a2', case_id: 'A', kind: 'organisation' },
      { id: 'a3', case_id: 'A', kind: 'person' },
      { id: 'b1', case_id: 'B', kind: 'organisation' },
      { id: 'b2', case_id: 'B', kind: 'person' },
      { id: 'c1', case_id: 'C', kind: 'person' },
    ])
    expect(Object.fromEntries(labels)).toEqual({ a1: '当事人1', a3: '当事人3', b2: '当事人2', c1: '当事人1' })
  })

  it('has nothing to rename when there are only organisations', () => {
    expect(personLabels([{ id: 'o', case_id: 'A', kind: 'organisation' }]).size).toBe(0)
  })
})
