import { describe, expect, it } from 'vitest'
import { MAX_DEPTH, renderMarkdown, safeHref } from './markdown.server.tsx'

const ALLOWED_TAGS = new Set([
  'p',
  'h3',
  'h4',
  'h5',
  'h6',
  'em',
  'strong',
  'code',
  'pre',
  'br',
  'hr',
  'blockquote',
  'ol',
  'ul',
  'li',
  'a',
  'span',
])

function tagsIn(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase())
}

function expectOnlyAllowed(html: string) {
  for (const tag of tagsIn(html)) expect(ALLOWED_TAGS, `unexpected <${tag}> in ${html.slice(0, 200)}`).toContain(tag)
  expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i)
  expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i)
}

describe('renderMarkdown (hostile payloads)', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# 标题\n\n**调解员**耐心*倾听*。\n\n- 一\n- 二\n\n[规定](https://www.moj.gov.cn/)')
    expect(html).toContain('<h3>标题</h3>')
    expect(html).toContain('<strong>调解员</strong>')
    expect(html).toContain('<ul><li>一</li><li>二</li></ul>')
    expect(html).toContain('<a href="https://www.moj.gov.cn/" rel="nofollow noopener noreferrer">规定</a>')
  })

  it('shows script tags and inline HTML as text', () => {
    for (const payload of [
      '<script>alert(1)</script>',
      'text <img src=x onerror="alert(1)"> more',
      '<iframe src="https://evil.example"></iframe>',
      '<a href="javascript:alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '<style>body{display:none}</style>',
    ]) {
      const html = renderMarkdown(payload)
      expectOnlyAllowed(html)
      expect(html).toContain('&lt;')
    }
  })

  it('drops javascript:, data: and vbscript: links, keeping their text', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox',
      '//evil.example/x',
    ]) {
      const html = renderMarkdown(`[点我](${url})`)
      expectOnlyAllowed(html)
      expect(html).toContain('点我')
      expect(html).not.toContain('<a ')
    }
    expect(renderMarkdown('<javascript:alert(1)>')).not.toContain('<a ')
    expect(safeHref('java\tscript:alert(1)')).toBeNull()
    expect(safeHref('/library')).toBe('/library')
  })

  it('shows MDX expressions, JSX and import/export lines as text, evaluating nothing', () => {
    const html = renderMarkdown(
      "import fs from 'node:fs'\n\nexport const x = 1\n\n{process.exit(1)}\n\n<Commentary>{alert(1)}</Commentary>",
    )
    expectOnlyAllowed(html)
    expect(html).toContain('import fs from')
    expect(html).toContain('{process.exit(1)}')
    expect(html).toContain('&lt;Commentary&gt;')
  })

  it('shows images as their alt text only', () => {
    const html = renderMarkdown('![现场照片](https://tracker.example/p.png)')
    expect(html).toBe('<p><span>现场照片</span></p>')
  })

  it('flattens deeply nested lists and quotes beyond the depth limit', () => {
    const nested = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- 第${i}层`).join('\n')
    const html = renderMarkdown(nested)
    expectOnlyAllowed(html)
    expect((html.match(/<ul>/g) ?? []).length).toBeLessThanOrEqual(MAX_DEPTH)
    const quotes = renderMarkdown(`${'>'.repeat(5000)} 深`)
    expect((quotes.match(/<blockquote>/g) ?? []).length).toBeLessThanOrEqual(MAX_DEPTH)
  })

  it('caps huge input in time and size', () => {
    const started = performance.now()
    const html = renderMarkdown('调解'.repeat(200_000))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(html.length).toBeLessThan(40_000)
    const many = renderMarkdown('- x\n'.repeat(30_000))
    expectOnlyAllowed(many)
  })
})
