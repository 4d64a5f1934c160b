/** Readable names for delivery statuses, kinds and failure codes (the stored values are codes). */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { WebhookDeliveryKind, WebhookDeliveryStatus } from '#db/schema.ts'

const STATUS: Record<WebhookDeliveryStatus, MessageKey> = {
  pending: 'webhooks.status.pending',
  sending: 'webhooks.status.sending',
  delivered: 'webhooks.status.delivered',
  failed: 'webhooks.status.failed',
}

const KIND: Record<WebhookDeliveryKind, MessageKey> = {
  original: 'webhooks.kind.original',
  replay: 'webhooks.kind.replay',
}

const ERRORS: Record<string, MessageKey> = {
  timeout: 'webhooks.error.timeout',
  redirect: 'webhooks.error.redirect',
  status: 'webhooks.error.status',
  network: 'webhooks.error.network',
  invalid_url: 'webhooks.error.invalid_url',
  no_webhook_url: 'webhooks.error.no_webhook_url',
  client_disabled: 'webhooks.error.client_disabled',
  secret_unreadable: 'webhooks.error.secret_unreadable',
  no_event: 'webhooks.error.no_event',
}

export function deliveryStatusLabel(status: WebhookDeliveryStatus): MessageKey {
  return STATUS[status]
}

export function deliveryKindLabel(kind: WebhookDeliveryKind): MessageKey {
  return KIND[kind]
}

/** `network:ECONNREFUSED` → the network label plus the code as detail. */
export function errorLabel(error: string): { key: MessageKey; detail: string | null } {
  const [code = '', detail] = error.split(':', 2)
  return { key: ERRORS[code] ?? 'webhooks.error.other', detail: detail ?? (ERRORS[code] ? null : error) }
}
