import type { SnippetPart } from '#app/lib/search/snippet.ts'

/** A search snippet: hits in <mark>, all text escaped by React. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <p className="mt-1 text-sm text-slate-700">
      {parts.map((p, i) =>
        p.hit ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed sequence
          <mark key={i} className="bg-amber-100 text-inherit">
            {p.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed sequence
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  )
}

export function Chips({ items }: { items: string[] }) {
  return (
    <ul className="mt-1 flex flex-wrap gap-1 text-xs">
      {items.map((item) => (
        <li key={item} className="rounded bg-slate-100 px-2 py-0.5 text-slate-700">
          {item}
        </li>
      ))}
    </ul>
  )
}
