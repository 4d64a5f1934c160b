/**
 * Registering and administering partner clients. A new or rotated secret is returned once, to be
 * shown once (secret-cookie.server.ts); the database keeps only its hash. The webhook signing
 * secret is encrypted with the data key because Tiaojie must read it to sign deliveries.
 * Every change is version-checked; rotating or disabling revokes the client's access tokens.
 */
import { sql } from 'kysely'
import { encrypt } from '#app/lib/crypto.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { inTransaction } from '#app/modules/cases/consultations.server.ts'
import type { ApiClientStatus } from '#db/schema.ts'
import type { ClientInput } from './client-form.ts'
import { parseScopes } from './model.ts'
import { hashCredential, newClientSecret, newWebhookSecret, secretHint } from './secrets.server.ts'

export interface IssuedSecrets {
  secret?: string
  webhookSecret?: string
}

export async function listApiClients(db: Executor) {
  const rows = await db
    .selectFrom('api_clients as k')
    .innerJoin('regions as r', 'r.code', 'k.region_code')
    .select([
      'k.id',
      'k.name',
      'k.kind',
      'k.region_code',
      'r.name as region_name',
      'k.scopes',
      'k.status',
      'k.secret_hint',
      'k.rate_limit_per_minute',
      'k.webhook_url',
      'k.last_used_at',
      'k.created_at',
    ])
    .select((eb) =>
      eb.selectFrom('api_referrals as f').select(sql<number>`count(*)`.as('n')).whereRef('f.client_id', '=', 'k.id').as('referrals'),
    )
    .orderBy('k.name')
    .orderBy('k.id')
    .execute()
  return rows.map((r) => ({ ...r, scopes: parseScopes(r.scopes), referrals: Number(r.referrals ?? 0) }))
}
export type ApiClientRow = Awaited<ReturnType<typeof listApiClients>>[number]

export async function getApiClient(db: Executor, id: string) {
  const row = await db
    .selectFrom('api_clients as k')
    .innerJoin('regions as r', 'r.code', 'k.region_code')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.kind',
      'k.region_code',
      'r.name as region_name',
      'k.scopes',
      'k.status',
      'k.secret_hint',
      'k.rate_limit_per_minute',
      'k.webhook_url',
      'k.webhook_secret',
      'k.last_used_at',
      'k.version',
      'k.created_at',
      'k.updated_at',
      'u.username as created_by_username',
    ])
    .where('k.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const { webhook_secret, ...rest } = row
  return { ...rest, scopes: parseScopes(row.scopes), hasWebhookSecret: !!webhook_secret }
}

export async function createApiClient(db: Executor, input: ClientInput, userId: string | null): Promise<{ id: string } & IssuedSecrets> {
  const id = newId()
  const secret = newClientSecret()
  const webhookSecret = input.webhookUrl ? newWebhookSecret() : undefined
  const now = nowIso()
  await db
    .insertInto('api_clients')
    .values({
      id,
      name: input.name,
      kind: input.kind,
      region_code: input.regionCode,
      scopes: JSON.stringify(input.scopes),
      secret_hash: hashCredential(secret),
      secret_hint: secretHint(secret),
      webhook_url: input.webhookUrl ?? null,
      webhook_secret: webhookSecret ? encrypt(webhookSecret) : null,
      rate_limit_per_minute: input.rateLimitPerMinute,
      status: 'active',
      last_used_at: null,
      version: 1,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return { id, secret, webhookSecret }
}

type Changed<T> = { ok: true } & T
type Stale = { ok: false }

/** Edits the client; a webhook URL added where there was none gets a new signing secret (shown once). */
export async function updateApiClient(
  db: Executor,
  id: string,
  input: ClientInput,
  version: number,
): Promise<Changed<IssuedSecrets & { before: Record<string, unknown> }> | Stale> {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('api_clients')
      .select(['name', 'kind', 'region_code', 'scopes', 'rate_limit_per_minute', 'webhook_url', 'webhook_secret'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!current) return { ok: false }
    const webhookSecret = input.webhookUrl && !current.webhook_secret ? newWebhookSecret() : undefined
    const result = await trx
      .updateTable('api_clients')
      .set({
        name: input.name,
        kind: input.kind,
        region_code: input.regionCode,
        scopes: JSON.stringify(input.scopes),
        rate_limit_per_minute: input.rateLimitPerMinute,
        webhook_url: input.webhookUrl ?? null,
        ...(input.webhookUrl ? (webhookSecret ? { webhook_secret: encrypt(webhookSecret) } : {}) : { webhook_secret: null }),
        version: sql`version + 1`,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return { ok: false }
    const { webhook_secret: _sealed, ...before } = current
    return { ok: true, webhookSecret, before: { ...before, scopes: parseScopes(before.scopes) } }
  })
}

async function bump(db: Executor, id: string, version: number, set: Record<string, unknown>): Promise<boolean> {
  const result = await db
    .updateTable('api_clients')
    .set({ ...set, version: sql`version + 1`, updated_at: nowIso() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** A new client secret; the old one and every access token issued with it stop working at once. */
export async function rotateApiClientSecret(db: Executor, id: string, version: number): Promise<Changed<{ secret: string }> | Stale> {
  const secret = newClientSecret()
  return inTransaction(db, async (trx) => {
    if (!(await bump(trx, id, version, { secret_hash: hashCredential(secret), secret_hint: secretHint(secret) }))) return { ok: false }
    await trx.deleteFrom('api_access_tokens').where('client_id', '=', id).execute()
    return { ok: true, secret }
  })
}

export async function rotateWebhookSecret(db: Executor, id: string, version: number): Promise<Changed<{ webhookSecret: string }> | Stale> {
  const webhookSecret = newWebhookSecret()
  const row = await db.selectFrom('api_clients').select('webhook_url').where('id', '=', id).executeTakeFirst()
  if (!row?.webhook_url) return { ok: false }
  if (!(await bump(db, id, version, { webhook_secret: encrypt(webhookSecret) }))) return { ok: false }
  return { ok: true, webhookSecret }
}

export async function setApiClientStatus(db: Executor, id: string, status: ApiClientStatus, version: number): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await bump(trx, id, version, { status }))) return false
    if (status === 'disabled') await trx.deleteFrom('api_access_tokens').where('client_id', '=', id).execute()
    return true
  })
}
