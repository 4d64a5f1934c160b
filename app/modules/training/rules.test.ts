import { describe, expect, it } from 'vitest'
import type { CheckDefinition } from './content-schema.ts'
import {
  CERTIFICATE_PATTERN,
  certificateNumber,
  courseProgress,
  decideCompletion,
  gradeCheck,
  hoursByYear,
  maskName,
  minimumReadingSeconds,
  preServiceDone,
  toTenths,
} from './rules.ts'

const check: CheckDefinition = {
  passRatio: 0.6,
  questions: [
    { id: 'a', prompt: '一', options: ['甲', '乙'], answer: 1, explanation: '' },
    { id: 'b', prompt: '二', options: ['甲', '乙', '丙'], answer: 2, explanation: '' },
    { id: 'c', prompt: '三', options: ['甲', '乙'], answer: 0, explanation: '' },
  ],
}
const START = '2026-11-23T08:00:00.000Z'
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString()

describe('minimum reading time', () => {
  it('is estimated minutes × factor, in whole seconds, never negative', () => {
    expect(minimumReadingSeconds(20, 0.5)).toBe(600)
    expect(minimumReadingSeconds(15, 0.004)).toBe(4)
    expect(minimumReadingSeconds(15, 0)).toBe(0)
  })
})

describe('grading a check', () => {
  it('passes at the pass ratio and reports each question', () => {
    expect(gradeCheck(check, { a: 1, b: 2, c: 1 })).toMatchObject({ correct: 2, total: 3, score: 67, passed: true })
    expect(gradeCheck(check, { a: 1, b: 0, c: 1 })).toMatchObject({ correct: 1, passed: false })
    expect(gradeCheck({ ...check, passRatio: 1 }, { a: 1, b: 2, c: 1 }).passed).toBe(false)
  })
})

describe('completion rules', () => {
  const base = { startedAt: START, minimumSeconds: 600, check, answers: { a: 1, b: 2, c: 0 } }
  it('refuses a module never served, and one completed too early (by the server clock)', () => {
    expect(decideCompletion({ ...base, startedAt: null, now: at(10_000) })).toMatchObject({ ok: false, reason: 'notStarted' })
    expect(decideCompletion({ ...base, now: at(599) })).toMatchObject({ ok: false, reason: 'tooEarly', secondsLeft: 1 })
  })
  it('refuses a failed or incomplete check, and accepts a passed one after the reading time', () => {
    expect(decideCompletion({ ...base, now: at(600), answers: { a: 0, b: 0, c: 0 } })).toMatchObject({ ok: false, reason: 'checkFailed' })
    expect(decideCompletion({ ...base, now: at(600), answers: { a: 1 } })).toMatchObject({ ok: false, reason: 'checkMissing' })
    expect(decideCompletion({ ...base, now: at(600) })).toMatchObject({ ok: true })
    expect(decideCompletion({ ...base, check: undefined, answers: {}, now: at(600) })).toEqual({ ok: true, check: null })
  })
})

describe('course progress', () => {
  it('counts only current modules and names the next one', () => {
    expect(courseProgress(['a', 'b', 'c'], new Set(['a', 'gone']))).toEqual({ completed: 1, total: 3, percent: 33, done: false, next: 'b' })
    expect(courseProgress(['a', 'b'], new Set(['b', 'a']))).toMatchObject({ done: true, next: null, percent: 100 })
  })
})

describe('hours accounting', () => {
  it('sums approved hours per year in tenths, so halves add up exactly', () => {
    const records = [
      { year: 2026, hoursTenths: toTenths(1.5), kind: 'topic' as const, status: 'approved' as const },
      { year: 2026, hoursTenths: toTenths(0.1), kind: 'topic' as const, status: 'approved' as const },
      { year: 2026, hoursTenths: toTenths(0.2), kind: 'topic' as const, status: 'approved' as const },
      { year: 2026, hoursTenths: 80, kind: 'annual' as const, status: 'pending' as const },
      { year: 2025, hoursTenths: 20, kind: 'pre_service' as const, status: 'approved' as const },
    ]
    expect(hoursByYear(records)).toEqual({ 2026: 1.8, 2025: 2 })
    expect(preServiceDone(records)).toBe(true)
    expect(preServiceDone(records.filter((r) => r.year === 2026))).toBe(false)
  })
})

describe('certificates', () => {
  it('numbers certificates by year with 8 unambiguous characters', () => {
    const n = certificateNumber(2026, new Uint8Array([0, 1, 2, 31, 8, 9, 10, 11]))
    expect(n).toBe('TJ-2026-012Z89AB')
    expect(CERTIFICATE_PATTERN.test(certificateNumber(2026))).toBe(true)
  })
  it('masks the holder’s name for the public page', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('李小明')).toBe('李*明')
    expect(maskName('欧阳明华')).toBe('欧**华')
    expect(maskName('王')).toBe('*')
  })
})

describe('a drills quiz as the check', () => {
  const base = { startedAt: '2026-05-01T00:00:00.000Z', now: '2026-05-01T01:00:00.000Z', minimumSeconds: 60, check: undefined, answers: {} }
  it('refuses until the quiz is passed, and still needs the reading time first', () => {
    expect(decideCompletion({ ...base, quizPassed: false })).toMatchObject({ ok: false, reason: 'quizNotPassed' })
    expect(decideCompletion({ ...base, quizPassed: true })).toMatchObject({ ok: true })
    expect(decideCompletion({ ...base, now: '2026-05-01T00:00:30.000Z', quizPassed: true })).toMatchObject({
      ok: false,
      reason: 'tooEarly',
    })
    expect(decideCompletion({ ...base })).toMatchObject({ ok: true })
  })
})
