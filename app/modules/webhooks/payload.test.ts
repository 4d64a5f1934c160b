import { describe, expect, it } from 'vitest'
import { caseStatusBody, outcomeInBody, outcomeOf } from './payload.ts'

describe('webhook payload', () => {
  it('has the id, type, created_at and the case data', () => {
    const body = caseStatusBody('01JEVENT00000000000000000A', '2026-12-05T10:00:00.000Z', {
      case_id: 'C1',
      case_number: '（2026）京海淀调1号',
      external_ref: '(2026)京0108民初123号',
      status: 'succeeded',
      previous_status: 'consulting',
      outcome: 'succeeded',
      outcome_note: '双方达成协议',
      changed_at: '2026-12-05T10:00:00.000Z',
    })
    const parsed = JSON.parse(body)
    expect(Object.keys(parsed)).toEqual(['id', 'type', 'created_at', 'data'])
    expect(parsed.type).toBe('case.status_changed')
    expect(parsed.data.external_ref).toBe('(2026)京0108民初123号')
    expect(outcomeInBody(body)).toBe('succeeded')
  })

  it('reports an outcome only for a concluded mediation', () => {
    expect(outcomeOf('succeeded')).toBe('succeeded')
    expect(outcomeOf('failed')).toBe('failed')
    expect(outcomeOf('closed')).toBeNull()
    expect(outcomeInBody('not json')).toBeNull()
  })
})
