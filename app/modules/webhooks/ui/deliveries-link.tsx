/**
 * "Status notifications" on a referred case's page: the delivery log filtered to the case. Pass
 * `show` from the loader (the case was referred through the API and the user may read the log).
 */
import { Link } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'

export function CaseDeliveriesLink({ caseId, show }: { caseId: string; show: boolean }) {
  const t = useT()
  if (!show) return null
  return (
    <Link to={`/admin/webhooks?case=${encodeURIComponent(caseId)}`} className="btn-secondary" data-testid="case-deliveries-link">
      {t('webhooks.caseLink')}
    </Link>
  )
}
