/**
 * What the attempt page may receive. Before submission: prompts and options only (no answers, no
 * explanations, no scenario scores or next nodes, no debrief). After: the full review.
 */
import type { Attempt } from './attempts.server.ts'
import { isExpired, parseJson } from './attempts.server.ts'
import type { Drill } from './content.server.ts'
import { criterionMax, detectChecklist, type QuizAnswers, type QuizItem, walkScenario } from './model.ts'

export interface QuizItemView {
  id: string
  type: QuizItem['type']
  prompt: string
  options: string[] | null
  given: string[]
  /** Only after submission. */
  review: { correct: boolean; key: string[]; explanation: string } | null
}

export function attemptView(drill: Drill, attempt: Attempt, now = new Date()) {
  const structure = drill.structure
  const done = attempt.status !== 'in_progress'
  const base = {
    id: attempt.id,
    attemptNo: attempt.attempt_no,
    status: attempt.status,
    expired: isExpired(attempt, now),
    revision: attempt.revision,
    version: attempt.version,
    score: attempt.score,
    passed: attempt.passed === 1,
    startedAt: attempt.started_at,
    submittedAt: attempt.submitted_at,
    deadlineAt: attempt.deadline_at,
    timeSpentSeconds: attempt.time_spent_seconds,
    debriefHtml: attempt.status === 'graded' ? drill.debriefHtml : null,
  }
  if (structure.kind === 'quiz') {
    const ids = parseJson<string[]>(attempt.items, [])
    const answers = parseJson<QuizAnswers>(attempt.answers, {})
    const correct = parseJson<{ correct?: Record<string, boolean> }>(attempt.result, {}).correct ?? {}
    const byId = new Map(structure.items.map((i) => [i.id, i]))
    const items: QuizItemView[] = []
    for (const itemId of ids) {
      const item = byId.get(itemId)
      if (!item) continue
      const shown = {
        id: item.id,
        type: item.type,
        prompt: item.prompt,
        options: 'options' in item ? item.options : null,
        given: answers[item.id] ?? [],
      }
      if (!done) {
        items.push({ ...shown, review: null })
        continue
      }
      const key =
        item.type === 'single' || item.type === 'truefalse'
          ? [String(item.answer)]
          : item.type === 'multiple'
            ? item.answer.map(String)
            : [item.accepted[0]!]
      items.push({ ...shown, review: { correct: correct[item.id] === true, key, explanation: item.explanation } })
    }
    return { ...base, kind: 'quiz' as const, passMark: structure.passMark, items }
  }
  if (structure.kind === 'scenario') {
    const path = parseJson<string[]>(attempt.answers, [])
    const nodes = new Map(structure.nodes.map((n) => [n.id, n]))
    const history: { speaker: string | null; type: string; text: string; chose: string; feedback: string | null }[] = []
    let node = nodes.get(structure.start)!
    for (const choiceId of path) {
      const choice = node.choices.find((c) => c.id === choiceId)
      if (!choice) break
      history.push({
        speaker: node.speaker ?? null,
        type: node.type,
        text: node.text,
        chose: choice.text,
        feedback: done ? (choice.feedback ?? null) : null,
      })
      node = nodes.get(choice.next)!
    }
    const walk = walkScenario(structure, path)
    return {
      ...base,
      kind: 'scenario' as const,
      passMark: structure.passMark,
      history,
      current: {
        type: node.type,
        speaker: node.speaker ?? null,
        text: node.text,
        choices: node.choices.map((c) => ({ id: c.id, text: c.text })),
      },
      ending:
        done && node.type === 'end'
          ? { outcome: node.outcome ?? '', rating: node.rating ?? 'partial', cases: node.cases, techniques: walk?.techniques ?? null }
          : null,
    }
  }
  const text = parseJson<{ text: string }>(attempt.answers, { text: '' }).text
  return {
    ...base,
    kind: 'drafting' as const,
    passMark: structure.passMark,
    document: structure.document,
    text,
    checklist: detectChecklist(text),
    rubric: structure.rubric.map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description,
      weight: c.weight,
      max: criterionMax(c),
      levels: c.levels,
    })),
  }
}

export type AttemptView = ReturnType<typeof attemptView>
