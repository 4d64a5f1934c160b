/**
 * Partner clients and referred cases for the webhook tests (database and end-to-end): what the
 * partner API's registration and referral endpoint write, made directly so these tests do not
 * depend on that module's forms.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { encrypt } from '#app/lib/crypto.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type { Database } from '#db/schema.ts'

export interface ClientInput {
  name?: string
  webhookUrl: string | null
  secret?: string
  regionCode?: string
  status?: 'active' | 'disabled'
  kind?: 'court' | 'police'
  /** The client's API secret (`tjs_…`), for tests that call /api/v1 as the client. */
  apiSecret?: string
}

export async function createWebhookClient(db: Kysely<Database>, input: ClientInput): Promise<{ id: string; secret: string }> {
  const id = newId()
  const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`
  const now = nowIso()
  await db
    .insertInto('api_clients')
    .values({
      id,
      name: input.name ?? `测试法院 ${id.slice(-4)}`,
      kind: input.kind ?? 'court',
      region_code: input.regionCode ?? '110108',
      scopes: JSON.stringify(['cases:refer', 'cases:read']),
      secret_hash: createHash('sha256')
        .update(input.apiSecret ?? `tjs_unused-${id}`)
        .digest('hex'),
      secret_hint: id.slice(-4),
      webhook_url: input.webhookUrl,
      webhook_secret: input.webhookUrl ? encrypt(secret) : null,
      rate_limit_per_minute: 60,
      status: input.status ?? 'active',
      last_used_at: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return { id, secret }
}

/** Marks a case as referred by the client (what POST /api/v1/cases records). */
export async function referCase(
  db: Kysely<Database>,
  caseId: string,
  clientId: string,
  externalRef = `(2026)京0108民初${caseId.slice(-5)}号`,
) {
  await db
    .insertInto('api_referrals')
    .values({
      id: newId(),
      client_id: clientId,
      case_id: caseId,
      external_ref: externalRef,
      idempotency_key: newId(),
      created_at: nowIso(),
    })
    .execute()
  return externalRef
}
