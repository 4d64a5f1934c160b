/**
 * Training rules as pure functions (no I/O): minimum reading time, grading an end-of-module
 * check, whether a module may be completed, course progress and hours accounting.
 */
import type { TrainingKind } from '#db/schema.ts'
import type { CheckDefinition } from './content-schema.ts'

/** Seconds a module must have been open (by the server's clock) before it can be completed. */
export function minimumReadingSeconds(estimatedMinutes: number, factor: number): number {
  return Math.ceil(Math.max(0, estimatedMinutes * 60 * factor))
}

export interface CheckResult {
  correct: number
  total: number
  /** Whole percent. */
  score: number
  passed: boolean
  /** Per question: the option chosen (null when unanswered), the right one and the explanation. */
  questions: { id: string; chosen: number | null; answer: number; correct: boolean; explanation: string }[]
}

export function gradeCheck(check: CheckDefinition, answers: Record<string, number | undefined>): CheckResult {
  const questions = check.questions.map((q) => {
    const chosen = answers[q.id] ?? null
    return { id: q.id, chosen, answer: q.answer, correct: chosen === q.answer, explanation: q.explanation }
  })
  const correct = questions.filter((q) => q.correct).length
  const total = questions.length
  // Compare in integers, so 0.6 × 5 does not fail on floating point.
  const passed = correct * 1000 >= Math.round(check.passRatio * 1000) * total
  return { correct, total, score: Math.round((correct / total) * 100), passed, questions }
}

export type CompletionRefusal = 'notStarted' | 'tooEarly' | 'checkFailed' | 'checkMissing' | 'quizNotPassed'

export interface CompletionInput {
  /** When the server first served the module to this mediator; null if it never did. */
  startedAt: string | null
  now: string
  minimumSeconds: number
  check: CheckDefinition | undefined
  answers: Record<string, number | undefined>
  /**
   * When the module's check is a drills quiz: whether this person passed it in an attempt started
   * after the module was (the caller looks it up); undefined when the check is not a quiz.
   */
  quizPassed?: boolean
}

export type CompletionDecision =
  | { ok: true; check: CheckResult | null }
  | { ok: false; reason: CompletionRefusal; check: CheckResult | null; secondsLeft?: number }

/** The server's decision on a completion request; the client's clock and claims play no part. */
export function decideCompletion(input: CompletionInput): CompletionDecision {
  if (!input.startedAt) return { ok: false, reason: 'notStarted', check: null }
  const elapsed = (Date.parse(input.now) - Date.parse(input.startedAt)) / 1000
  if (elapsed < input.minimumSeconds) {
    return { ok: false, reason: 'tooEarly', check: null, secondsLeft: Math.ceil(input.minimumSeconds - elapsed) }
  }
  if (input.quizPassed === false) return { ok: false, reason: 'quizNotPassed', check: null }
  if (!input.check) return { ok: true, check: null }
  if (input.check.questions.some((q) => input.answers[q.id] === undefined)) return { ok: false, reason: 'checkMissing', check: null }
  const graded = gradeCheck(input.check, input.answers)
  return graded.passed ? { ok: true, check: graded } : { ok: false, reason: 'checkFailed', check: graded }
}

export interface CourseProgress {
  completed: number
  total: number
  percent: number
  done: boolean
  /** The module to continue with: the first not completed, else null. */
  next: string | null
}

/** Progress over the course's current modules; completions of modules since removed do not count. */
export function courseProgress(moduleSlugs: string[], completed: ReadonlySet<string>): CourseProgress {
  const done = moduleSlugs.filter((s) => completed.has(s)).length
  const total = moduleSlugs.length
  return {
    completed: done,
    total,
    percent: total ? Math.floor((done / total) * 100) : 0,
    done: total > 0 && done === total,
    next: moduleSlugs.find((s) => !completed.has(s)) ?? null,
  }
}

/** 学时 ↔ stored tenths (1.5 学时 = 15). */
export const toTenths = (hours: number): number => Math.round(hours * 10)
export const fromTenths = (tenths: number): number => tenths / 10

export interface HoursRecord {
  year: number
  hoursTenths: number
  kind: TrainingKind
  status: 'approved' | 'pending' | 'rejected'
}

/** Approved hours per year, in 学时; pending and rejected records do not count. */
export function hoursByYear(records: HoursRecord[]): Record<number, number> {
  const tenths: Record<number, number> = {}
  for (const r of records) {
    if (r.status !== 'approved') continue
    tenths[r.year] = (tenths[r.year] ?? 0) + r.hoursTenths
  }
  return Object.fromEntries(Object.entries(tenths).map(([y, t]) => [y, fromTenths(t)]))
}

export function preServiceDone(records: HoursRecord[]): boolean {
  return records.some((r) => r.status === 'approved' && r.kind === 'pre_service')
}

/** 张三 → 张*; 欧阳明华 → 欧**华; for the public certificate page. */
export function maskName(name: string): string {
  const chars = [...name.trim()]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`
}

const CERT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** TJ-2026-XXXXXXXX: the year of issue and 40 random bits (Crockford base32); uniqueness is the table's. */
export function certificateNumber(year: number, random: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(8))): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += CERT_ALPHABET[random[i]! % 32]
  return `TJ-${year}-${s}`
}

export const CERTIFICATE_PATTERN = /^TJ-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$/
