/**
 * Compiles ALL shipped training content through the one MDX pipeline: every file must compile,
 * its frontmatter must validate (the error names the file and the field), every check's answer
 * key must point at an option, and every LawRef must cite an article listed in
 * docs/legal-references.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { articleNumber } from '#app/lib/law-articles.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import { CONTENT_DIR, loadCatalogue } from './content.server.ts'

const SHORT_NAMES: Record<string, string> = {
  中华人民共和国人民调解法: '人民调解法',
  中华人民共和国民法典: '民法典',
  中华人民共和国民事诉讼法: '民事诉讼法',
  中华人民共和国劳动合同法: '劳动合同法',
  中华人民共和国劳动争议调解仲裁法: '劳动争议调解仲裁法',
  中华人民共和国道路交通安全法: '道路交通安全法',
  中华人民共和国消费者权益保护法: '消费者权益保护法',
  中华人民共和国电子商务法: '电子商务法',
}

/** `人民调解法#31` for every article docs/legal-references.md lists. */
function allowedArticles(): Set<string> {
  const doc = fs.readFileSync(path.resolve('docs/legal-references.md'), 'utf8')
  const allowed = new Set<string>()
  let law: string | null = null
  for (const line of doc.split('\n')) {
    const heading = /^## (中华人民共和国\S+?)\s*\(/.exec(line)
    if (heading) law = SHORT_NAMES[heading[1]!] ?? heading[1]!
    if (line.startsWith('## Other')) law = null
    const cells = line.split('|').map((c) => c.trim())
    if (cells.length < 4) continue
    // Two-column tables under a law heading, three-column tables naming the law in the row.
    const [rowLaw, article] =
      law && articleNumber(cells[1] ?? '') !== null ? [law, cells[1]!] : [SHORT_NAMES[cells[1] ?? ''], cells[2] ?? '']
    const n = articleNumber(article)
    if (rowLaw && n !== null) allowed.add(`${rowLaw}#${n}`)
  }
  return allowed
}

describe('shipped training content', () => {
  it('compiles every course and module, with valid frontmatter and at least 3 courses and 12 modules', { timeout: 60_000 }, async () => {
    const courses = await loadCatalogue(null)
    expect(courses.map((c) => c.slug)).toEqual(expect.arrayContaining(['gangqian-peixun', 'tiaojie-jiqiao', 'wuye-jiufen']))
    expect(courses.length).toBeGreaterThanOrEqual(3)
    expect(courses.reduce((n, c) => n + c.modules.length, 0)).toBeGreaterThanOrEqual(12)
    let quizChecks = 0
    for (const course of courses) {
      for (const module of course.modules) {
        const html = renderMdx(module.hash, module.code)
        expect(html, module.file).toContain('data-keypoints')
        expect(html, module.file).toContain('data-callout')
        expect(html, module.file).toContain('class="law-ref"')
        expect(module.headings.length, `${module.file}: table of contents`).toBeGreaterThanOrEqual(2)
        if (module.frontmatter.quizCheck) {
          // A drills quiz as the check: loading already proved it exists and is a quiz.
          expect(module.frontmatter.check, module.file).toBeUndefined()
          quizChecks++
          continue
        }
        const check = module.frontmatter.check
        expect(check, `${module.file}: end-of-module check`).toBeDefined()
        expect(check!.questions.length).toBeGreaterThanOrEqual(2)
        for (const q of check!.questions) expect(q.answer, `${module.file}: ${q.id}`).toBeLessThan(q.options.length)
      }
    }
    // At least one shipped module uses a drills quiz as its check.
    expect(quizChecks).toBeGreaterThanOrEqual(1)
  })

  it('cites only articles listed in docs/legal-references.md', () => {
    const allowed = allowedArticles()
    expect(allowed.has('人民调解法#31')).toBe(true)
    expect(allowed.has('民法典#944')).toBe(true)
    const problems: string[] = []
    for (const course of fs.readdirSync(CONTENT_DIR)) {
      for (const file of fs.readdirSync(path.join(CONTENT_DIR, course))) {
        const source = fs.readFileSync(path.join(CONTENT_DIR, course, file), 'utf8')
        for (const match of source.matchAll(/<LawRef\s+law="([^"]+)"(?:\s+article="([^"]+)")?/g)) {
          const n = match[2] ? articleNumber(match[2]) : null
          if (n === null) {
            problems.push(`${course}/${file}: ${match[0]} has no article number`)
          } else if (!allowed.has(`${match[1]}#${n}`)) {
            problems.push(`${course}/${file}: ${match[1]} 第${n}条 is not in docs/legal-references.md`)
          }
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('names the file and the field when content is invalid', { timeout: 30_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tj-training-'))
    try {
      fs.mkdirSync(path.join(dir, 'bad-course'))
      fs.writeFileSync(
        path.join(dir, 'bad-course', 'course.mdx'),
        '---\ntitle: 测试\nsummary: 测试\nkind: 岗前\nhours: 2\naudience: [all]\nobjectives: [a]\ncompetencies: [b]\n---\n\n正文\n',
      )
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 0\nobjectives: [a]\ncompetencies: [b]\n---\n\n## 一\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/01-bad\.mdx: estimatedMinutes/)
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 10\nobjectives: [a]\ncompetencies: [b]\ncheck:\n  questions:\n    - {id: a, prompt: 问, options: [甲, 乙], answer: 5, explanation: 解}\n    - {id: b, prompt: 问, options: [甲, 乙], answer: 0, explanation: 解}\n---\n\n## 一\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/01-bad\.mdx: check\.questions\.0\.answer/)
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 10\nobjectives: [a]\ncompetencies: [b]\ncheck:\n  quiz: no-such-drill\n---\n\n## 一\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/01-bad\.mdx: check\.quiz: no drill "no-such-drill"/)
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 10\nobjectives: [a]\ncompetencies: [b]\ncheck:\n  quiz: scenario-linli-loushui\n---\n\n## 一\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/01-bad\.mdx: check\.quiz: drill "scenario-linli-loushui" is a scenario/)
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 10\nobjectives: [a]\ncompetencies: [b]\ncheck:\n  quiz: Bad Slug\n---\n\n## 一\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/01-bad\.mdx: check\.quiz/)
      fs.writeFileSync(
        path.join(dir, 'bad-course', '01-bad.mdx'),
        '---\ntitle: 坏单元\nestimatedMinutes: 10\nobjectives: [a]\ncompetencies: [b]\n---\n\n## 一\n',
      )
      fs.writeFileSync(
        path.join(dir, 'bad-course', 'course.mdx'),
        '---\ntitle: 测试\nsummary: 测试\nkind: 培训\nhours: 2\naudience: [all]\nobjectives: [a]\ncompetencies: [b]\n---\n',
      )
      await expect(loadCatalogue(null, dir)).rejects.toThrow(/bad-course\/course\.mdx: kind/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
