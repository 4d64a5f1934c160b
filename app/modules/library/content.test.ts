/**
 * Every shipped case in content/cases compiles through the one MDX pipeline, and its frontmatter
 * passes the schema; a failure names the file and the field.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileMdx } from '#app/lib/mdx/compile.server.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import { casesDir, parseCuratedCase, readCuratedCases } from './curated.server.ts'
import { caseFrontmatterSchema } from './schemas.ts'
import { SECTIONS } from './vocabulary.ts'

const { cases, errors } = await readCuratedCases()

describe('curated cases (content/cases)', () => {
  it('are all valid (file and field named on failure)', () => {
    expect(errors.map((e) => e.message)).toEqual([])
    expect(cases.length).toBeGreaterThan(0)
  })

  it.each(cases.map((c) => [c.file, c] as const))(
    '%s compiles, renders and has the four sections',
    async (file, c) => {
      const compiled = await compileMdx(null, c.mdx, caseFrontmatterSchema as never, file)
      const html = renderMdx(compiled.hash, compiled.code)
      const h2 = compiled.headings.filter((h) => h.depth === 2).map((h) => h.text)
      for (const section of SECTIONS)
        expect(
          h2.some((h) => h.startsWith(section.heading)),
          `${file}: section ${section.heading}`,
        ).toBe(true)
      expect(html).toContain('data-commentary')
      // 1,500-3,000 characters of body text (domain.md, "Exemplar cases"), with some slack for markup.
      const length = Array.from(c.text.replace(/\s+/g, '')).length
      expect(length, `${file}: body length`).toBeGreaterThanOrEqual(1200)
      expect(length, `${file}: body length`).toBeLessThanOrEqual(3600)
    },
    30_000,
  )

  it('names the file and the field when frontmatter is wrong', () => {
    const bad = '---\nid: TJAL-2026-999\ntitle: 一个标题不错的案例\ndisputeType: 不存在的类型\n---\n\n## 基本案情\n'
    expect(() => parseCuratedCase(path.join('content/cases', 'bad-case.mdx'), bad)).toThrow(/bad-case\.mdx: disputeType/)
    expect(casesDir()).toMatch(/content[/\\]cases$/)
  })
})
