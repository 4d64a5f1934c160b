import { describe, expect, it } from 'vitest'
import {
  bestPathScore,
  checkAnswerIds,
  detectChecklist,
  drawItems,
  isCorrect,
  levelProblem,
  normaliseFill,
  type QuizItem,
  rubricTotal,
  scenarioProblems,
  type ScenarioNode,
  scoreQuiz,
  scoreScenario,
  scenarioSchema,
  walkScenario,
  type Criterion,
  outOfRange,
  quizSchema,
} from './model.ts'

const single: QuizItem = { id: 's', type: 'single', prompt: 'p', options: ['a', 'b', 'c'], answer: 1, explanation: 'e', points: 1 }
const multiple: QuizItem = {
  id: 'm',
  type: 'multiple',
  prompt: 'p',
  options: ['a', 'b', 'c', 'd'],
  answer: [0, 2],
  explanation: 'e',
  points: 2,
}
const tf: QuizItem = { id: 't', type: 'truefalse', prompt: 'p', answer: false, explanation: 'e', points: 1 }
const fill: QuizItem = { id: 'f', type: 'fill', prompt: 'p', accepted: ['第三十三条', '三十日'], explanation: 'e', points: 1 }

describe('quiz scoring per item type', () => {
  it('single choice: exactly the right option', () => {
    expect(isCorrect(single, ['1'])).toBe(true)
    expect(isCorrect(single, ['0'])).toBe(false)
    expect(isCorrect(single, ['1', '0'])).toBe(false)
    expect(isCorrect(single, undefined)).toBe(false)
  })
  it('multiple choice: all and only the right options, in any order', () => {
    expect(isCorrect(multiple, ['2', '0'])).toBe(true)
    expect(isCorrect(multiple, ['0'])).toBe(false)
    expect(isCorrect(multiple, ['0', '2', '3'])).toBe(false)
    expect(isCorrect(multiple, ['0', '0'])).toBe(false)
  })
  it('true/false', () => {
    expect(isCorrect(tf, ['false'])).toBe(true)
    expect(isCorrect(tf, ['true'])).toBe(false)
  })
  it('fill-in: accepted answers after normalising spaces, width, punctuation and article numbers', () => {
    expect(isCorrect(fill, ['第33条'])).toBe(true)
    expect(isCorrect(fill, [' 第 三十三 条 '])).toBe(true)
    expect(isCorrect(fill, ['第３３条。'])).toBe(true)
    expect(isCorrect(fill, ['三十日'])).toBe(true)
    expect(isCorrect(fill, ['第32条'])).toBe(false)
    expect(normaliseFill('《人民调解法》第三十一条')).toBe('人民调解法第31条')
  })
  it('totals points over the drawn items and applies the pass mark', () => {
    const quiz = { items: [single, multiple, tf, fill], passMark: 60 }
    const result = scoreQuiz(quiz, ['s', 'm', 't', 'f'], { s: ['1'], m: ['0', '2'], t: ['true'], f: ['x'] })
    expect(result).toMatchObject({ score: 3, maxScore: 5, percent: 60, passed: true, correct: { s: true, m: true, t: false, f: false } })
    // Items outside the draw do not count.
    expect(scoreQuiz(quiz, ['s'], { s: ['1'] })).toMatchObject({ score: 1, maxScore: 1, percent: 100 })
  })
  it('flags answers to items not in the attempt', () => {
    expect(checkAnswerIds(['s', 'm'], { s: ['1'] })).toBeNull()
    expect(checkAnswerIds(['s', 'm'], { s: ['1'], zz: ['0'] })).toBe('zz')
  })
  it('draws a seeded, repeatable subset in a seeded order', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ ...single, id: `i${i}` }))
    const a = drawItems({ items, draw: 8 }, 'seed-1')
    expect(a).toHaveLength(8)
    expect(new Set(a).size).toBe(8)
    expect(drawItems({ items, draw: 8 }, 'seed-1')).toEqual(a)
    expect(drawItems({ items, draw: 8 }, 'seed-2')).not.toEqual(a)
  })
  it('rejects a quiz whose answer index is out of range, naming the item', () => {
    const bad = quizSchema.safeParse({
      title: 't',
      summary: 's',
      topic: 't',
      kind: 'quiz',
      passMark: 60,
      items: [{ ...single, answer: 5 }],
    })
    expect(bad.success).toBe(false)
    expect(JSON.stringify(bad.error?.issues)).toContain('item s')
  })
})

const node = (id: string, choices: [string, string, number][] = [], end = false): ScenarioNode => ({
  id,
  type: end ? 'end' : 'narration',
  text: id,
  choices: choices.map(([cid, next, points]) => ({ id: cid, text: cid, next, scores: { 倾听: points } })),
  cases: [],
  ...(end ? { outcome: 'o', rating: 'good' as const } : {}),
})

describe('scenario graph validation', () => {
  const good = {
    start: 'a',
    nodes: [
      node('a', [
        ['x', 'b', 1],
        ['y', 'c', 2],
      ]),
      node('b', [['x', 'e1', 2]]),
      node('c', [['x', 'e2', 0]]),
      node('e1', [], true),
      node('e2', [], true),
    ],
  }
  it('accepts a sound graph', () => {
    expect(scenarioProblems(good)).toEqual([])
  })
  it('finds dangling links', () => {
    expect(scenarioProblems({ start: 'a', nodes: [node('a', [['x', 'nowhere', 0]]), node('e', [], true)] })).toContain(
      'node a: choice x leads to missing node nowhere',
    )
  })
  it('finds unreachable nodes', () => {
    expect(scenarioProblems({ ...good, nodes: [...good.nodes, node('orphan', [['x', 'e1', 0]])] })).toContain('node orphan is unreachable')
  })
  it('finds paths that never end (cycles) and dead ends that are not end nodes', () => {
    expect(
      scenarioProblems({
        start: 'a',
        nodes: [
          node('a', [['x', 'b', 0]]),
          node('b', [
            ['x', 'a', 0],
            ['y', 'e', 0],
          ]),
          node('e', [], true),
        ],
      }).join(),
    ).toMatch(/cycle: a → b → a/)
    expect(scenarioProblems({ start: 'a', nodes: [node('a', [['x', 'b', 0]]), node('b')] })).toContain(
      'node b has no choices and is not an end node',
    )
  })
  it('finds a missing start, duplicate ids and end nodes without an outcome', () => {
    expect(scenarioProblems({ start: 'z', nodes: good.nodes })).toContain('start node z does not exist')
    expect(scenarioProblems({ start: 'a', nodes: [...good.nodes, node('b', [['x', 'e1', 0]])] })).toContain('duplicate node b')
    const noOutcome = { ...node('e1', [], true), outcome: undefined }
    expect(scenarioProblems({ start: 'a', nodes: [node('a', [['x', 'e1', 0]]), noOutcome] })).toContain('end node e1 has no outcome')
  })
  it('the schema refuses an unsound graph', () => {
    const parsed = scenarioSchema.safeParse({
      title: 't',
      summary: 's',
      topic: 't',
      kind: 'scenario',
      passMark: 50,
      start: 'a',
      nodes: [node('a', [['x', 'gone', 0]]), node('e', [], true)],
    })
    expect(parsed.success).toBe(false)
  })
  it('walks, scores against the best path and refuses paths that are not walks', () => {
    expect(bestPathScore(good)).toBe(3)
    expect(walkScenario(good, ['x'])?.node.id).toBe('b')
    expect(walkScenario(good, ['x', 'x'])).toMatchObject({ ended: true, points: 3 })
    expect(walkScenario(good, ['nope'])).toBeNull()
    const scenario = scenarioSchema.parse({ title: 't', summary: 's', topic: 't', kind: 'scenario', passMark: 60, ...good })
    expect(scoreScenario(scenario, ['x', 'x'])).toEqual({ score: 3, maxScore: 3, percent: 100, passed: true })
    expect(scoreScenario(scenario, ['y', 'x'])).toEqual({ score: 2, maxScore: 3, percent: 67, passed: true })
    expect(scoreScenario(scenario, ['x'])).toBeNull()
  })
})

describe('rubric', () => {
  const levels = [
    { name: '差', min: 0, max: 4, description: 'd' },
    { name: '好', min: 5, max: 10, description: 'd' },
  ]
  const rubric: Criterion[] = [
    { id: 'a', name: 'A', description: 'd', weight: 1, levels },
    { id: 'b', name: 'B', description: 'd', weight: 2, levels },
    { id: 'c', name: 'C', description: 'd', weight: 0.5, levels },
  ]
  it('weights the criteria and totals them', () => {
    expect(rubricTotal(rubric, { a: { points: 10 }, b: { points: 5 }, c: { points: 3 } })).toEqual({ total: 21.5, max: 35, percent: 61 })
  })
  it('refuses missing, fractional and out-of-range scores', () => {
    expect(rubricTotal(rubric, { a: { points: 10 }, b: { points: 5 } })).toBeNull()
    expect(rubricTotal(rubric, { a: { points: 11 }, b: { points: 5 }, c: { points: 1 } })).toBeNull()
    expect(outOfRange(rubric, { a: { points: -1 }, b: { points: 2.5 }, c: { points: 10 } })).toEqual(['a', 'b'])
  })
  it('checks that levels are contiguous from zero', () => {
    expect(levelProblem({ levels })).toBeNull()
    expect(levelProblem({ levels: [levels[0]!, { ...levels[1]!, min: 6 }] })).toMatch(/gap/)
    expect(levelProblem({ levels: [{ ...levels[0]!, min: 1 }, levels[1]!] })).toMatch(/start at 0/)
  })
})

describe('调解协议书 checklist', () => {
  const full = `人民调解协议书
申请人：张某，女，1962年3月出生，公民身份号码××，住址：某小区。
被申请人：刘某，男，住址：某小区。
纠纷主要事实、争议事项：犬只咬伤申请人。
经调解，双方自愿达成如下协议：被申请人赔偿申请人4600元。
履行方式、期限：于2026年11月30日前以银行转账方式支付。
本协议自双方签名、调解员签名并加盖人民调解委员会印章之日起生效。`
  it('finds every element in a complete agreement', () => {
    expect(detectChecklist(full)).toEqual({ parties: true, facts: true, duties: true, performance: true, signatures: true })
  })
  it('notices what is missing', () => {
    const bare = '张三和李四吵架了。李四赔张三100元。'
    expect(detectChecklist(bare)).toEqual({ parties: false, facts: false, duties: false, performance: false, signatures: false })
    const noIdentity = full.replace('女，1962年3月出生，公民身份号码××，住址：某小区。', '').replace('男，住址：某小区。', '')
    expect(detectChecklist(noIdentity).parties).toBe(false)
    const noDeadline = full.replace('履行方式、期限：于2026年11月30日前以银行转账方式支付。', '')
    expect(detectChecklist(noDeadline).performance).toBe(false)
    const noSeal = full.replace('并加盖人民调解委员会印章', '')
    expect(detectChecklist(noSeal).signatures).toBe(false)
  })
})
