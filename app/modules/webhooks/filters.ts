/** The delivery log's filters, from the URL (anything unknown is ignored, never trusted). */
import { isId } from '#app/lib/ids.ts'
import type { WebhookDeliveryStatus } from '#db/schema.ts'

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const satisfies readonly WebhookDeliveryStatus[]

export interface DeliveryFilter {
  clientId: string | null
  status: WebhookDeliveryStatus | null
  caseId: string | null
  page: number
}

export function parseDeliveryFilter(params: URLSearchParams): DeliveryFilter {
  const client = params.get('client')
  const status = params.get('status')
  const kase = params.get('case')
  const page = Number(params.get('page') ?? '1')
  return {
    clientId: isId(client) ? client : null,
    status: (DELIVERY_STATUSES as readonly string[]).includes(status ?? '') ? (status as WebhookDeliveryStatus) : null,
    caseId: isId(kase) ? kase : null,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  }
}
