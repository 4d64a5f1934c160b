/**
 * A demo partner client for the API (/api/v1): the Haidian district court's mediation link, with
 * every scope, so `npm run demo` can be tried with curl at once. Its secret is a published constant,
 * printed by the seed like the demo password, and is never created in production.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { API_SCOPES } from '#app/modules/api/model.ts'
import { hashCredential, secretHint } from '#app/modules/api/secrets.server.ts'
import { stableId } from './demo.ts'

/** Public on purpose: demo data only (the seed refuses it in production). */
export const DEMO_API_SECRET = 'tjs_demo-haidian-court-Tiaojie-2026'
export const DEMO_API_CLIENT_ID = stableId('api-client:haidian-court')

export async function seedApiClients(db: Executor): Promise<{ inserted: number; clientId: string; secret: string }> {
  if (process.env.NODE_ENV === 'production') throw new Error('The demo API client is never created in production')
  const present = await db.selectFrom('api_clients').select('id').where('id', '=', DEMO_API_CLIENT_ID).executeTakeFirst()
  const result = { clientId: DEMO_API_CLIENT_ID, secret: DEMO_API_SECRET }
  if (present) return { inserted: 0, ...result }
  const now = new Date().toISOString()
  await db
    .insertInto('api_clients')
    .values({
      id: DEMO_API_CLIENT_ID,
      name: '海淀区人民法院诉调对接平台（演示）',
      kind: 'court',
      region_code: '110108',
      scopes: JSON.stringify(API_SCOPES),
      secret_hash: hashCredential(DEMO_API_SECRET),
      secret_hint: secretHint(DEMO_API_SECRET),
      webhook_url: null,
      webhook_secret: null,
      rate_limit_per_minute: 120,
      status: 'active',
      last_used_at: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return { inserted: 1, ...result }
}
