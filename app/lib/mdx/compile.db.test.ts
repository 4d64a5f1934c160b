import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { testDb } from '#tests/fixtures/db.ts'
import { clearMemoryCache, compileMdx, ContentError, contentHash } from './compile.server.ts'
import { renderMdx } from './render.server.tsx'

const schema = z.object({ title: z.string(), hours: z.number().positive() })

const SOURCE = `---
title: 人民调解的基本原则
hours: 2
---

## 自愿原则

<Callout type="tip">调解必须在当事人自愿的基础上进行。</Callout>

<LawRef law="人民调解法" article="第三条">人民调解委员会调解民间纠纷，应当遵循下列原则</LawRef>

### 要点
- 不得强迫
`

describe('MDX pipeline', () => {
  it('compiles, validates frontmatter, extracts headings and renders the shared components to HTML', async () => {
    const compiled = await compileMdx(testDb(), SOURCE, schema, 'test.mdx')
    expect(compiled.frontmatter).toEqual({ title: '人民调解的基本原则', hours: 2 })
    expect(compiled.headings).toEqual([
      { depth: 2, text: '自愿原则', id: '自愿原则' },
      { depth: 3, text: '要点', id: '要点' },
    ])
    const html = renderMdx(compiled.hash, compiled.code)
    expect(html).toContain('<h2 id="自愿原则">')
    expect(html).toContain('data-callout="tip"')
    expect(html).toContain('《中华人民共和国人民调解法》第3条')
  })

  it('reuses the database cache after a restart instead of compiling again', async () => {
    const db = testDb()
    await compileMdx(db, SOURCE, schema, 'test.mdx')
    const row = await db.selectFrom('mdx_cache').select('hash').where('hash', '=', contentHash(SOURCE)).executeTakeFirst()
    expect(row).toBeDefined()
    // Mark the stored row: if the pipeline compiled again, the marker would not come back.
    await db.updateTable('mdx_cache').set({ code: '/* from the database */' }).where('hash', '=', contentHash(SOURCE)).execute()
    clearMemoryCache()
    const again = await compileMdx(db, SOURCE, schema, 'test.mdx')
    expect(again.code).toBe('/* from the database */')
  })

  it('names the file and the field when frontmatter is invalid', async () => {
    const bad = SOURCE.replace('hours: 2', 'hours: -1')
    await expect(compileMdx(null, bad, schema, 'content/training/x/01-bad.mdx')).rejects.toThrow(ContentError)
    await expect(compileMdx(null, bad, schema, 'content/training/x/01-bad.mdx')).rejects.toThrow(/01-bad\.mdx: hours/)
  })

  it('reports a syntax error with the file name', async () => {
    await expect(compileMdx(null, '# ok\n\n<Callout>unclosed', schema, 'broken.mdx')).rejects.toThrow(/broken\.mdx/)
  })
})
