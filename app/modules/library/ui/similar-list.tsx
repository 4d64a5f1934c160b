import { Link } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'

export interface SimilarItem {
  key: string
  title: string
  disputeType: string
  sameType: boolean
  sharedDomains: string[]
  sharedTerms: string[]
}

/** Similar cases (案例推送), each with a one-line reason. */
export function SimilarList({ items, title }: { items: SimilarItem[]; title: string }) {
  const t = useT()
  if (!items.length) return null
  return (
    <section className="card library-no-print" data-testid="similar-cases">
      <h2 className="text-lg font-semibold">{title}</h2>
      <ul className="mt-2 space-y-2">
        {items.map((item) => {
          const reasons = [
            item.sameType ? t('library.similar.sameType', { type: item.disputeType }) : null,
            item.sharedDomains.length && !item.sameType
              ? t('library.similar.sharedDomains', { domains: item.sharedDomains.join('、') })
              : null,
            item.sharedTerms.length ? t('library.similar.sharedTerms', { terms: item.sharedTerms.join('、') }) : null,
          ].filter(Boolean)
          return (
            <li key={item.key}>
              <Link to={`/library/${encodeURIComponent(item.key)}`}>{item.title}</Link>
              <p className="text-xs text-slate-600">{reasons.join('；') || t('library.similar.textOnly')}</p>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
