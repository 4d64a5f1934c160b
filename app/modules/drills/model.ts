/**
 * Drill content (岗位练兵): the frontmatter structure of content/drills/<slug>.mdx, validated with
 * zod, and the pure rules that go with it (quiz scoring, scenario graph checks, rubric totals,
 * the 调解协议书 checklist). No I/O here: content.server.ts reads files, attempts.server.ts stores.
 */
import { normaliseArticles } from '#app/lib/law-articles.ts'
import { z } from '#app/lib/validation.ts'

/** Longest draft accepted (characters). */
export const MAX_DRAFT_CHARS = 20_000

export const TECHNIQUES = ['倾听', '共情', '释法明理', '背靠背', '引导协商', '程序规范'] as const
export type Technique = (typeof TECHNIQUES)[number]

const text = z.string().trim().min(1)
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case letters, digits and hyphens')

const base = {
  title: text,
  summary: text,
  topic: text,
  /** Attempts allowed per person (configurable per drill). */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Training hours credited once the drill is completed (passed or graded). */
  creditHours: z.number().min(0).max(8).default(0),
}

const choiceItem = {
  id,
  prompt: text,
  explanation: text,
  points: z.number().int().min(1).max(10).default(1),
}

export const quizItemSchema = z.discriminatedUnion('type', [
  z.object({ ...choiceItem, type: z.literal('single'), options: z.array(text).min(2).max(6), answer: z.number().int().min(0) }),
  z.object({
    ...choiceItem,
    type: z.literal('multiple'),
    options: z.array(text).min(3).max(7),
    answer: z.array(z.number().int().min(0)).min(2),
  }),
  z.object({ ...choiceItem, type: z.literal('truefalse'), answer: z.boolean() }),
  /** Fill-in: any accepted answer matches after normalisation (spaces, width, 第三十一条 = 第31条). */
  z.object({ ...choiceItem, type: z.literal('fill'), accepted: z.array(text).min(1) }),
])
export type QuizItem = z.infer<typeof quizItemSchema>

export const quizSchema = z
  .object({
    ...base,
    kind: z.literal('quiz'),
    /** Percent of the points needed to pass. */
    passMark: z.number().int().min(1).max(100),
    timeLimitMinutes: z.number().int().min(1).max(240).optional(),
    /** Items drawn per attempt from the pool; all when absent. */
    draw: z.number().int().min(1).optional(),
    items: z.array(quizItemSchema).min(1),
  })
  .superRefine((quiz, ctx) => {
    const seen = new Set<string>()
    quiz.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate item id ${item.id}` })
      seen.add(item.id)
      if (item.type === 'single' && item.answer >= item.options.length) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'answer'], message: `item ${item.id}: answer out of range` })
      }
      if (item.type === 'multiple') {
        if (item.answer.some((a) => a >= item.options.length) || new Set(item.answer).size !== item.answer.length) {
          ctx.addIssue({ code: 'custom', path: ['items', i, 'answer'], message: `item ${item.id}: answers out of range or repeated` })
        }
      }
    })
    if (quiz.draw && quiz.draw > quiz.items.length) ctx.addIssue({ code: 'custom', path: ['draw'], message: 'draw exceeds the pool' })
  })
export type Quiz = z.infer<typeof quizSchema>

const scoresSchema = z.record(z.enum(TECHNIQUES), z.number().int().min(-3).max(3))

const choiceSchema = z.object({
  id,
  text,
  next: id,
  scores: scoresSchema.default({}),
  /** Shown after submission, in the review of the path taken. */
  feedback: z.string().optional(),
})

export const scenarioNodeSchema = z.object({
  id,
  type: z.enum(['narration', 'speech', 'event', 'end']),
  speaker: z.string().optional(),
  text,
  choices: z.array(choiceSchema).default([]),
  /** End nodes: the outcome, its rating and related library cases. */
  outcome: z.string().optional(),
  rating: z.enum(['good', 'partial', 'poor']).optional(),
  cases: z.array(z.string()).default([]),
})
export type ScenarioNode = z.infer<typeof scenarioNodeSchema>

export const scenarioSchema = z
  .object({
    ...base,
    kind: z.literal('scenario'),
    passMark: z.number().int().min(1).max(100),
    start: id,
    nodes: z.array(scenarioNodeSchema).min(2),
  })
  .superRefine((scenario, ctx) => {
    for (const problem of scenarioProblems(scenario)) ctx.addIssue({ code: 'custom', path: ['nodes'], message: problem })
  })
export type Scenario = z.infer<typeof scenarioSchema>

const levelSchema = z.object({ name: text, min: z.number().int().min(0), max: z.number().int().min(0), description: text })
const criterionSchema = z.object({
  id,
  name: text,
  description: text,
  weight: z.number().positive().max(10),
  levels: z.array(levelSchema).min(2),
})
export type Criterion = z.infer<typeof criterionSchema>

export const draftingSchema = z
  .object({
    ...base,
    kind: z.literal('drafting'),
    passMark: z.number().int().min(1).max(100),
    document: z.enum(['调解协议书', '调解记录']),
    /** 1, or 2 graders with the difference flagged above `differenceThreshold` percentage points. */
    graders: z.union([z.literal(1), z.literal(2)]).default(1),
    differenceThreshold: z.number().int().min(1).max(100).default(15),
    rubric: z.array(criterionSchema).min(1),
    /** Reusable comments offered to graders. */
    commentBank: z.array(text).default([]),
  })
  .superRefine((drafting, ctx) => {
    drafting.rubric.forEach((criterion, i) => {
      const problem = levelProblem(criterion)
      if (problem) ctx.addIssue({ code: 'custom', path: ['rubric', i, 'levels'], message: `criterion ${criterion.id}: ${problem}` })
    })
  })
export type Drafting = z.infer<typeof draftingSchema>

export const drillSchema = z.union([quizSchema, scenarioSchema, draftingSchema])
export type DrillStructure = Quiz | Scenario | Drafting
export type DrillKind = DrillStructure['kind']

// ---------------------------------------------------------------------------------------------
// Seeded draw

/** A small deterministic generator (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353)
    h = (h << 13) | (h >>> 19)
  }
  let state = h >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The items of one attempt, in order: a seeded draw from the pool and a seeded shuffle. */
export function drawItems(quiz: Pick<Quiz, 'items' | 'draw'>, seed: string): string[] {
  const random = seededRandom(seed)
  const ids = quiz.items.map((item) => item.id)
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
  }
  return ids.slice(0, quiz.draw ?? ids.length)
}

// ---------------------------------------------------------------------------------------------
// Quiz scoring

/** Answers as posted: item id → values (option indexes as strings, 'true'/'false', or text). */
export type QuizAnswers = Record<string, string[]>

export function normaliseFill(value: string): string {
  const halfWidth = value.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
  return normaliseArticles(halfWidth.replace(/\s+/g, ''))
    .replace(/[。．.，,、；;：:！!？?“”"'‘’《》〈〉()（）]/g, '')
    .toLowerCase()
}

export function isCorrect(item: QuizItem, given: string[] | undefined): boolean {
  const values = (given ?? []).map((v) => v.trim()).filter(Boolean)
  switch (item.type) {
    case 'single':
      return values.length === 1 && values[0] === String(item.answer)
    case 'multiple': {
      const chosen = new Set(values)
      return chosen.size === item.answer.length && item.answer.every((a) => chosen.has(String(a)))
    }
    case 'truefalse':
      return values.length === 1 && values[0] === String(item.answer)
    case 'fill': {
      if (values.length !== 1) return false
      const answer = normaliseFill(values[0]!)
      return item.accepted.some((accepted) => normaliseFill(accepted) === answer)
    }
  }
}

export interface QuizResult {
  score: number
  maxScore: number
  percent: number
  passed: boolean
  correct: Record<string, boolean>
}

export function scoreQuiz(quiz: Pick<Quiz, 'items' | 'passMark'>, itemIds: string[], answers: QuizAnswers): QuizResult {
  const byId = new Map(quiz.items.map((item) => [item.id, item]))
  let score = 0
  let maxScore = 0
  const correct: Record<string, boolean> = {}
  for (const itemId of itemIds) {
    const item = byId.get(itemId)
    if (!item) continue
    maxScore += item.points
    correct[itemId] = isCorrect(item, answers[itemId])
    if (correct[itemId]) score += item.points
  }
  const percent = maxScore ? Math.round((score / maxScore) * 100) : 0
  return { score, maxScore, percent, passed: percent >= quiz.passMark, correct }
}

/** Keeps only answers to items of the attempt; reports the first unknown item id. */
export function checkAnswerIds(itemIds: string[], answers: QuizAnswers): string | null {
  const allowed = new Set(itemIds)
  return Object.keys(answers).find((key) => !allowed.has(key)) ?? null
}

// ---------------------------------------------------------------------------------------------
// Scenario graph

/** Every problem with a scenario graph; empty when it is sound. */
export function scenarioProblems(scenario: { start: string; nodes: ScenarioNode[] }): string[] {
  const problems: string[] = []
  const nodes = new Map<string, ScenarioNode>()
  for (const node of scenario.nodes) {
    if (nodes.has(node.id)) problems.push(`duplicate node ${node.id}`)
    nodes.set(node.id, node)
  }
  if (!nodes.has(scenario.start)) problems.push(`start node ${scenario.start} does not exist`)
  for (const node of scenario.nodes) {
    if (node.type === 'end') {
      if (node.choices.length) problems.push(`end node ${node.id} has choices`)
      if (!node.outcome) problems.push(`end node ${node.id} has no outcome`)
      if (!node.rating) problems.push(`end node ${node.id} has no rating`)
    } else if (!node.choices.length) {
      problems.push(`node ${node.id} has no choices and is not an end node`)
    }
    const choiceIds = new Set<string>()
    for (const choice of node.choices) {
      if (choiceIds.has(choice.id)) problems.push(`node ${node.id}: duplicate choice ${choice.id}`)
      choiceIds.add(choice.id)
      if (!nodes.has(choice.next) && !scenario.nodes.some((n) => n.id === choice.next)) {
        problems.push(`node ${node.id}: choice ${choice.id} leads to missing node ${choice.next}`)
      }
    }
  }
  if (problems.length) return problems
  // Reachability from the start.
  const reached = new Set<string>()
  const stack = [scenario.start]
  while (stack.length) {
    const current = stack.pop()!
    if (reached.has(current)) continue
    reached.add(current)
    for (const choice of nodes.get(current)!.choices) stack.push(choice.next)
  }
  for (const node of scenario.nodes) if (!reached.has(node.id)) problems.push(`node ${node.id} is unreachable`)
  // Every path ends: no cycles (with no cycles and every non-end node having choices, every walk ends).
  const state = new Map<string, 'open' | 'done'>()
  const visit = (nodeId: string, trail: string[]): void => {
    if (state.get(nodeId) === 'done') return
    if (state.get(nodeId) === 'open') {
      problems.push(`cycle: ${[...trail.slice(trail.indexOf(nodeId)), nodeId].join(' → ')}`)
      return
    }
    state.set(nodeId, 'open')
    for (const choice of nodes.get(nodeId)!.choices) visit(choice.next, [...trail, nodeId])
    state.set(nodeId, 'done')
  }
  if (nodes.has(scenario.start)) visit(scenario.start, [])
  return problems
}

export function choicePoints(scores: Partial<Record<Technique, number>>): number {
  return Object.values(scores).reduce<number>((sum, n) => sum + (n ?? 0), 0)
}

/** The best total a walk from the start can score (graphs are acyclic once validated). */
export function bestPathScore(scenario: Pick<Scenario, 'start' | 'nodes'>): number {
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]))
  const memo = new Map<string, number>()
  const best = (nodeId: string): number => {
    const hit = memo.get(nodeId)
    if (hit !== undefined) return hit
    const node = nodes.get(nodeId)!
    const value = node.choices.length ? Math.max(...node.choices.map((c) => choicePoints(c.scores) + best(c.next))) : 0
    memo.set(nodeId, value)
    return value
  }
  return best(scenario.start)
}

export interface ScenarioWalk {
  /** The node the walk stands on. */
  node: ScenarioNode
  ended: boolean
  techniques: Record<Technique, number>
  points: number
}

/** Follows a path of choice ids from the start; null when the path is not a walk of this graph. */
export function walkScenario(scenario: Pick<Scenario, 'start' | 'nodes'>, path: string[]): ScenarioWalk | null {
  const nodes = new Map(scenario.nodes.map((n) => [n.id, n]))
  let node = nodes.get(scenario.start)!
  const techniques = Object.fromEntries(TECHNIQUES.map((t) => [t, 0])) as Record<Technique, number>
  let points = 0
  for (const choiceId of path) {
    const choice = node.choices.find((c) => c.id === choiceId)
    if (!choice) return null
    for (const [name, value] of Object.entries(choice.scores) as [Technique, number][]) techniques[name] += value
    points += choicePoints(choice.scores)
    node = nodes.get(choice.next)!
  }
  return { node, ended: node.type === 'end', techniques, points }
}

export function scoreScenario(
  scenario: Scenario,
  path: string[],
): { score: number; maxScore: number; percent: number; passed: boolean } | null {
  const walk = walkScenario(scenario, path)
  if (!walk?.ended) return null
  const maxScore = bestPathScore(scenario)
  const score = Math.max(0, walk.points)
  const percent = maxScore > 0 ? Math.min(100, Math.round((score / maxScore) * 100)) : 0
  return { score, maxScore, percent, passed: percent >= scenario.passMark }
}

// ---------------------------------------------------------------------------------------------
// Rubric

/** Levels must be contiguous from 0, ascending, without gaps or overlaps. */
export function levelProblem(criterion: Pick<Criterion, 'levels'>): string | null {
  const levels = [...criterion.levels].sort((a, b) => a.min - b.min)
  if (levels[0]!.min !== 0) return 'the lowest level must start at 0'
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!
    if (level.max < level.min) return `level ${level.name}: max below min`
    if (i > 0 && level.min !== levels[i - 1]!.max + 1) return `level ${level.name}: gap or overlap with the level below`
  }
  return null
}

export function criterionMax(criterion: Pick<Criterion, 'levels'>): number {
  return Math.max(...criterion.levels.map((l) => l.max))
}

export function levelOf(criterion: Pick<Criterion, 'levels'>, points: number) {
  return criterion.levels.find((l) => points >= l.min && points <= l.max) ?? null
}

export type CriterionScores = Record<string, { points: number; comment: string }>

/** Weighted total and percentage; null when a criterion is missing or out of its range. */
export function rubricTotal(rubric: Criterion[], scores: Record<string, { points: number } | undefined>) {
  let total = 0
  let max = 0
  for (const criterion of rubric) {
    const score = scores[criterion.id]
    const top = criterionMax(criterion)
    max += top * criterion.weight
    if (!score || !Number.isInteger(score.points) || score.points < 0 || score.points > top) return null
    total += score.points * criterion.weight
  }
  const round = (n: number) => Math.round(n * 10) / 10
  return { total: round(total), max: round(max), percent: max ? Math.round((total / max) * 100) : 0 }
}

/** Which criteria are out of range (for messages); points must be whole numbers within the levels. */
export function outOfRange(rubric: Criterion[], scores: Record<string, { points: number } | undefined>): string[] {
  return rubric
    .filter((c) => {
      const s = scores[c.id]
      return !s || !Number.isInteger(s.points) || s.points < 0 || s.points > criterionMax(c)
    })
    .map((c) => c.id)
}

// ---------------------------------------------------------------------------------------------
// 调解协议书 checklist (人民调解法第29条: 当事人基本情况; 纠纷事实; 协议内容, 履行方式、期限; 签名、盖章)

export const CHECKLIST = ['parties', 'facts', 'duties', 'performance', 'signatures'] as const
export type ChecklistKey = (typeof CHECKLIST)[number]

const CHECKS: Record<ChecklistKey, (text: string) => boolean> = {
  // Both sides named as 申请人/被申请人 or 甲方/乙方 (or 当事人), with an identity detail.
  parties: (s) =>
    (/申请人/.test(s) && /被申请人/.test(s)) || (/甲方/.test(s) && /乙方/.test(s)) || (s.match(/当事人/g)?.length ?? 0) >= 2
      ? /(身份证|公民身份号码|证件号|出生|住址|住所|统一社会信用代码|法定代表人|性别|民族)/.test(s)
      : false,
  facts: (s) => /(纠纷(主要)?事实|纠纷事实|争议事项|事实经过|基本事实|纠纷简要情况|纠纷情况)/.test(s),
  duties: (s) =>
    /(协议内容|达成(如下|以下)协议|自愿达成|经调解.{0,10}协议)/.test(s) && /(支付|赔偿|承担|负责|给付|返还|修复|停止|搬离|履行)/.test(s),
  performance: (s) =>
    /(履行方式|履行期限|履行地点|于\s*\d{4}\s*年|\d+\s*日内|之前|前付清|转账|现金|银行|一次性|分期|当场|在.{1,20}(交付|支付|履行))/.test(
      s,
    ) &&
    /(方式|转账|现金|一次性|分期|当场|银行)/.test(s) &&
    /(期限|日内|年.{0,4}月.{0,4}日|之前|前|当场)/.test(s),
  signatures: (s) => /(签名|签字|按指印|捺印)/.test(s) && /(盖章|印章|公章)/.test(s),
}

/** Which required elements of a 调解协议书 the text appears to contain (a heuristic aid, not a grade). */
export function detectChecklist(text: string): Record<ChecklistKey, boolean> {
  const s = text.replace(/\s+/g, ' ')
  return Object.fromEntries(CHECKLIST.map((key) => [key, CHECKS[key](s)])) as Record<ChecklistKey, boolean>
}
