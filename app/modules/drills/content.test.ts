/**
 * Loads every shipped drill through the real MDX pipeline and the real schemas: a broken drill
 * fails here, naming the file and the field or item.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDrill } from './content.server.ts'
import { CHECKLIST, bestPathScore, detectChecklist } from './model.ts'

const dir = path.join(process.cwd(), 'content', 'drills')
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mdx'))
  .sort()

describe('shipped drills', () => {
  it.each(files)('%s loads and validates', async (name) => {
    const drill = await parseDrill(null, `content/drills/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'))
    expect(drill.briefHtml.length).toBeGreaterThan(20)
    expect(drill.debriefHtml.length).toBeGreaterThan(20)
    if (drill.structure.kind === 'scenario') expect(bestPathScore(drill.structure)).toBeGreaterThan(0)
  })

  it('ship the content the issue asks for', async () => {
    const drills = await Promise.all(
      files.map((name) => parseDrill(null, `content/drills/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'))),
    )
    const quizzes = drills.flatMap((d) => (d.structure.kind === 'quiz' ? [d.structure] : []))
    const scenarios = drills.flatMap((d) => (d.structure.kind === 'scenario' ? [d.structure] : []))
    const drafting = drills.flatMap((d) => (d.structure.kind === 'drafting' ? [d.structure] : []))
    expect(quizzes.length).toBeGreaterThanOrEqual(6)
    expect(quizzes.reduce((n, q) => n + q.items.length, 0)).toBeGreaterThanOrEqual(80)
    expect(scenarios.length).toBeGreaterThanOrEqual(4)
    expect(drafting.length).toBeGreaterThanOrEqual(3)
    for (const s of scenarios) {
      expect(s.nodes.length, s.title).toBeGreaterThanOrEqual(12)
      expect(s.nodes.filter((n) => n.type === 'end').length, s.title).toBeGreaterThanOrEqual(3)
    }
  })

  it('the model agreement in each drafting debrief passes its own checklist', async () => {
    let checked = 0
    for (const name of files) {
      const source = fs.readFileSync(path.join(dir, name), 'utf8')
      if (!source.includes('kind: drafting')) continue
      const model = /```text\n([\s\S]*?)```/.exec(source.split(/^##\s*讲评\s*$/m)[1] ?? '')
      expect(model?.[1], `${name}: the debrief should end with a model text in a \`\`\`text block`).toBeTruthy()
      const found = detectChecklist(model![1]!)
      for (const key of CHECKLIST) expect(found[key], `${name}: ${key}`).toBe(true)
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(3)
  })

  it('links only library cases that exist', async () => {
    const casesDir = path.join(process.cwd(), 'content', 'cases')
    const cases = new Set(fs.existsSync(casesDir) ? fs.readdirSync(casesDir).map((f) => f.replace(/\.mdx$/, '')) : [])
    for (const name of files) {
      const drill = await parseDrill(null, `content/drills/${name}`, fs.readFileSync(path.join(dir, name), 'utf8'))
      const slugs = drill.structure.kind === 'scenario' ? drill.structure.nodes.flatMap((n) => n.cases) : []
      slugs.push(...[...(drill.debriefHtml + drill.briefHtml).matchAll(/data-case="([^"]+)"/g)].map((m) => m[1]!))
      for (const slug of slugs) expect(cases.has(slug), `${name}: unknown case ${slug}`).toBe(true)
    }
  })
})
