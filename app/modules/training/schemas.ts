import type { CheckDefinition } from './content-schema.ts'

/**
 * Reads the check's answers from a completion form: `answer.<questionId>` = option index. Only the
 * module's own questions are read, and only indices within their options; anything else is ignored
 * (an unanswered question), so a forged form cannot add or reshape answers.
 */
export function parseAnswers(check: CheckDefinition | undefined, form: FormData): Record<string, number | undefined> {
  const answers: Record<string, number | undefined> = {}
  if (!check) return answers
  for (const q of check.questions) {
    const raw = form.get(`answer.${q.id}`)
    if (typeof raw !== 'string' || !/^\d{1,2}$/.test(raw)) continue
    const index = Number(raw)
    if (index < q.options.length) answers[q.id] = index
  }
  return answers
}
