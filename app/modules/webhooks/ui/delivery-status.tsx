/** A delivery's status (word and colour, never colour alone) and its last result. */
import { useT } from '#app/components/i18n.tsx'
import type { WebhookDeliveryStatus } from '#db/schema.ts'
import { deliveryStatusLabel, errorLabel } from '../labels.ts'

const STYLES: Record<WebhookDeliveryStatus, string> = {
  pending: 'bg-amber-50 text-amber-900',
  sending: 'bg-sky-50 text-sky-900',
  delivered: 'bg-green-50 text-green-900',
  failed: 'bg-red-50 font-semibold text-red-900',
}

export function StatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  const t = useT()
  return (
    <span className={`inline-block whitespace-nowrap rounded px-2 py-0.5 text-sm ${STYLES[status]}`} data-status={status}>
      {t(deliveryStatusLabel(status))}
    </span>
  )
}

export function LastResult({ statusCode, error }: { statusCode: number | null; error: string | null }) {
  const t = useT()
  if (statusCode === null && error === null) return null
  const label = error ? errorLabel(error) : null
  return (
    <span className="text-sm">
      {statusCode !== null ? <span className="font-mono">HTTP {statusCode}</span> : null}
      {label ? (
        <span className="block text-slate-700">
          {t(label.key)}
          {label.detail ? <span className="font-mono"> ({label.detail})</span> : null}
        </span>
      ) : null}
    </span>
  )
}
