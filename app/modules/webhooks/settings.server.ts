/** Webhook delivery's configurable defaults (stored in `settings` under `webhooks.*`). */
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { z } from '#app/lib/validation.ts'
import type { RetryPolicy } from './backoff.ts'

export const WEBHOOK_SETTINGS = {
  /** Attempts per delivery, the first included; after the last failure the delivery is failed. */
  maxAttempts: defineSetting('webhooks.maxAttempts', z.number().int().min(1).max(20), 8),
  /** The delay after the first failure; each later one doubles (with jitter). */
  baseDelaySeconds: defineSetting('webhooks.baseDelaySeconds', z.number().int().min(1).max(3600), 30),
  /** The longest delay between two attempts. */
  maxDelaySeconds: defineSetting('webhooks.maxDelaySeconds', z.number().int().min(10).max(86_400), 3600),
  /** How long one request may take, connection to last byte read. */
  timeoutSeconds: defineSetting('webhooks.timeoutSeconds', z.number().int().min(1).max(60), 10),
}

export interface WebhookConfig {
  policy: RetryPolicy
  timeoutMs: number
}

export async function readWebhookConfig(db: Executor): Promise<WebhookConfig> {
  const s = await readSettings(db, WEBHOOK_SETTINGS)
  return {
    policy: {
      maxAttempts: s.maxAttempts,
      baseDelaySeconds: s.baseDelaySeconds,
      maxDelaySeconds: Math.max(s.maxDelaySeconds, s.baseDelaySeconds),
    },
    timeoutMs: s.timeoutSeconds * 1000,
  }
}
