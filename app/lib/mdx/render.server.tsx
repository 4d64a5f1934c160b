/**
 * Turns compiled MDX into HTML on the server. The browser receives HTML, never the compiled
 * code: evaluating it would need `unsafe-eval` in the Content-Security-Policy, and the bundle
 * would add the MDX runtime to every content page (docs/decisions/012-mdx-pipeline.md).
 */
import { getMDXComponent } from 'mdx-bundler/client'
import type { ComponentProps, ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { mdxComponents, type MdxLinkContext } from '#app/components/mdx/components.tsx'
import { headingId } from './headings.ts'

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node)
  if (Array.isArray(node)) return node.map(textOf).join('')
  if (node && typeof node === 'object' && 'props' in node) return textOf((node.props as { children?: ReactNode }).children)
  return ''
}

const headings = {
  h2: (props: ComponentProps<'h2'>) => <h2 id={headingId(textOf(props.children))} {...props} />,
  h3: (props: ComponentProps<'h3'>) => <h3 id={headingId(textOf(props.children))} {...props} />,
}

const MEMORY_LIMIT = 500
const rendered = new Map<string, string>()

/** Renders compiled code (cached by content hash + locale-independent link context) to HTML. */
export function renderMdx(hash: string, code: string, context: MdxLinkContext = {}): string {
  const key = `${hash}:${JSON.stringify(context)}`
  const hit = rendered.get(key)
  if (hit !== undefined) {
    rendered.delete(key)
    rendered.set(key, hit)
    return hit
  }
  const Component = getMDXComponent(code)
  const html = renderToStaticMarkup(<Component components={{ ...mdxComponents(context), ...headings }} />)
  rendered.set(key, html)
  if (rendered.size > MEMORY_LIMIT) rendered.delete(rendered.keys().next().value!)
  return html
}
