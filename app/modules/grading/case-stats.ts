/**
 * Mediators' yearly case statistics (办案统计): the figures' own rules and the import columns,
 * pure. successful ≤ disputes and oral ≤ successful, whole numbers, a plausible year.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { ColumnSpec } from '#app/lib/xlsx/headers.ts'

export type CaseStatsField = 'cardNumber' | 'name' | 'year' | 'disputes' | 'successful' | 'oral'

export const CASE_STATS_COLUMNS = [
  { field: 'cardNumber', header: '工作证号', aliases: ['调解员工作证号', 'card number', 'card'], required: true },
  { field: 'name', header: '姓名', aliases: ['name'], required: true },
  { field: 'year', header: '年度', aliases: ['year', '年份'], required: true },
  { field: 'disputes', header: '调解纠纷数', aliases: ['disputes', '调解纠纷'], required: true },
  { field: 'successful', header: '调解成功数', aliases: ['successful', '调解成功'], required: true },
  { field: 'oral', header: '口头协议数', aliases: ['oral', '口头协议'], required: true },
] as const satisfies readonly ColumnSpec<CaseStatsField>[]

export const CASE_STATS_LIMITS = { maxBytes: 2_000_000, maxRows: 5_000, maxCount: 100_000, cardNumber: 32 } as const

export interface CaseFigures {
  year: number
  disputes: number
  successful: number
  oral: number
}

export interface FigureProblem {
  field: 'year' | 'disputes' | 'successful' | 'oral'
  message: MessageKey
  params?: Record<string, string | number>
}

/** The relations between the figures (the form's schema checks each number on its own). */
export function figureProblems(f: CaseFigures): FigureProblem[] {
  const problems: FigureProblem[] = []
  if (f.successful > f.disputes) problems.push({ field: 'successful', message: 'grading.caseStats.successTooHigh' })
  if (f.oral > f.successful) problems.push({ field: 'oral', message: 'grading.caseStats.oralTooHigh' })
  return problems
}

/** A whole number 0…max written in a cell, or null. */
export function parseCount(text: string, max: number = CASE_STATS_LIMITS.maxCount): number | null {
  const t = text.trim()
  if (!/^\d{1,9}$/.test(t)) return null
  const n = Number(t)
  return n <= max ? n : null
}

export function plausibleYear(year: number, today: string): boolean {
  const current = Number(today.slice(0, 4))
  return Number.isInteger(year) && year >= 2000 && year <= current
}
