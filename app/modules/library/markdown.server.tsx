/**
 * The sanitising Markdown renderer for text users submit (security checklist 19). Markdown is
 * parsed to an AST (CommonMark, no HTML, no MDX: `mdast-util-from-markdown` without extensions),
 * and React elements are built from an allow-list of node types; everything else becomes text.
 * - raw HTML (`<script>`, `<img onerror>`) is shown as text, never as markup;
 * - links keep only http, https and mailto targets and same-site paths; others become plain text;
 * - images are shown as their alt text (no third-party requests from a case page);
 * - `{expressions}` and `import` lines are ordinary text: nothing is ever compiled or evaluated;
 * - input is capped in size, nesting in depth, and the tree in number of nodes.
 * React escapes every text node, so the HTML produced here contains only the allow-listed tags.
 */
import { fromMarkdown } from 'mdast-util-from-markdown'
import type { Content, Root } from 'mdast'
import type { ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'

export const MARKDOWN_MAX_CHARS = 25_000
export const MAX_DEPTH = 8
export const MAX_NODES = 8_000

const SAFE_PROTOCOL = /^(https?:|mailto:)/i

export function safeHref(url: string): string | null {
  const trimmed = url.trim()
  // Control characters and spaces inside the scheme are a classic bypass (java\tscript:).
  for (const ch of trimmed) {
    const code = ch.charCodeAt(0)
    if (code < 0x20 || code === 0x7f) return null
  }
  if (trimmed.startsWith('/') && !trimmed.startsWith('//') && !trimmed.startsWith('/\\')) return trimmed
  if (trimmed.startsWith('#')) return trimmed
  if (SAFE_PROTOCOL.test(trimmed)) return trimmed
  return null
}

interface Budget {
  nodes: number
}

/** Text of a subtree, iteratively (a hostile tree may be thousands of levels deep). */
function textOf(root: Content | Root): string {
  let out = ''
  const stack: (Content | Root)[] = [root]
  while (stack.length && out.length < MARKDOWN_MAX_CHARS) {
    const node = stack.pop()!
    if ('value' in node && typeof node.value === 'string') out += node.value
    else if ('alt' in node && typeof node.alt === 'string') out += node.alt
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Content)
    if (node.type === 'paragraph' || node.type === 'listItem') out += ' '
  }
  return out
}

function children(node: { children: Content[] }, depth: number, budget: Budget): ReactNode[] {
  return node.children.map((child, i) => render(child, depth, budget, i))
}

function render(node: Content, depth: number, budget: Budget, key: number): ReactNode {
  if (--budget.nodes < 0) return null
  // Too deep: the rest of this branch is shown as flat text.
  if (depth >= MAX_DEPTH) return <span key={key}>{textOf(node)}</span>
  const d = depth + 1
  switch (node.type) {
    case 'paragraph':
      return <p key={key}>{children(node, d, budget)}</p>
    case 'heading': {
      const level = Math.min(6, node.depth + 2)
      const Tag = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6'
      return <Tag key={key}>{children(node, d, budget)}</Tag>
    }
    case 'text':
      return node.value
    case 'emphasis':
      return <em key={key}>{children(node, d, budget)}</em>
    case 'strong':
      return <strong key={key}>{children(node, d, budget)}</strong>
    case 'inlineCode':
      return <code key={key}>{node.value}</code>
    case 'code':
      return (
        <pre key={key}>
          <code>{node.value}</code>
        </pre>
      )
    case 'break':
      return <br key={key} />
    case 'thematicBreak':
      return <hr key={key} />
    case 'blockquote':
      return <blockquote key={key}>{children(node, d, budget)}</blockquote>
    case 'list':
      return node.ordered ? (
        <ol key={key} start={node.start ?? undefined}>
          {children(node, d, budget)}
        </ol>
      ) : (
        <ul key={key}>{children(node, d, budget)}</ul>
      )
    case 'listItem':
      // Tight list items hold their paragraph without <p>.
      return (
        <li key={key}>
          {node.spread
            ? children(node, d, budget)
            : node.children.map((child, i) => (child.type === 'paragraph' ? children(child, d, budget) : render(child, d, budget, i)))}
        </li>
      )
    case 'link': {
      const href = safeHref(node.url)
      if (!href) return <span key={key}>{children(node, d, budget)}</span>
      return (
        <a key={key} href={href} rel="nofollow noopener noreferrer">
          {children(node, d, budget)}
        </a>
      )
    }
    case 'image':
      return node.alt ? <span key={key}>{node.alt}</span> : null
    case 'html':
      // Raw HTML is not markup here: the reader sees the characters that were typed.
      return node.value
    case 'linkReference':
      return <span key={key}>{children(node, d, budget)}</span>
    case 'imageReference':
      return node.alt ? <span key={key}>{node.alt}</span> : null
    case 'definition':
      return null
    default:
      return <span key={key}>{textOf(node)}</span>
  }
}

/** Renders untrusted Markdown to HTML that holds only allow-listed elements and safe links. */
export function renderMarkdown(markdown: string): string {
  const source = markdown.length > MARKDOWN_MAX_CHARS ? markdown.slice(0, MARKDOWN_MAX_CHARS) : markdown
  let tree: Root
  try {
    tree = fromMarkdown(source)
  } catch {
    return renderToStaticMarkup(<p>{source}</p>)
  }
  const budget: Budget = { nodes: MAX_NODES }
  return renderToStaticMarkup(children(tree, 0, budget))
}
