/**
 * "Change history" on a record's page: links to /audit/record/$type/$id. Pages show it to the
 * users the history page lets in (record-access.server.ts: the record's managers; auditors use
 * the log itself), so pass `show` from the same check that shows the page's edit button.
 */
import { Link } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'

export function RecordHistoryLink({ type, id, show = true }: { type: string; id: string; show?: boolean }) {
  const t = useT()
  if (!show) return null
  return (
    <Link to={`/audit/record/${type}/${encodeURIComponent(id)}`} className="btn-secondary" data-testid="record-history-link">
      {t('audit.history.link')}
    </Link>
  )
}
