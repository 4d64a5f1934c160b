/**
 * Pager for keyset-paginated lists (deep pages cost the same as the first): links to the first,
 * previous and next pages, each a full search string that keeps the filters and carries a cursor.
 * Plain links, so it works without JavaScript and the back button retraces the pages.
 */
import { Link } from '@remix-run/react'
import { useT } from '../i18n.tsx'

export interface CursorPages {
  /** Search strings (`?…`); null where there is no such page. */
  first: string | null
  previous: string | null
  next: string | null
}

export function CursorPager({ pages }: { pages: CursorPages }) {
  const t = useT()
  return (
    <nav aria-label={t('table.pagination')} className="flex flex-wrap items-center gap-3">
      {pages.first ? <Link to={pages.first}>{t('table.first')}</Link> : null}
      {pages.previous ? (
        <Link to={pages.previous} rel="prev">
          {t('table.previous')}
        </Link>
      ) : null}
      {pages.next ? (
        <Link to={pages.next} rel="next">
          {t('table.next')}
        </Link>
      ) : null}
    </nav>
  )
}
