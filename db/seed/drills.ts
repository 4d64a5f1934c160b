/**
 * Demo drill event (练兵比武) for the demo mediator's committee, open for 60 days from the first
 * seed, so the drills page shows an event. Idempotent: a stable id, inserted once. Never run in
 * production (db/seed/run.ts calls it only with the demo data).
 */
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { generateDemo, stableId } from './demo.ts'

export async function seedDrills(db: Kysely<Database>, now = new Date()): Promise<{ inserted: number }> {
  const id = stableId('drill-event:demo')
  const existing = await db.selectFrom('drill_events').select('id').where('id', '=', id).executeTakeFirst()
  if (existing) return { inserted: 0 }
  const demo = generateDemo()
  const mediator = demo.accounts.find((a) => a.username === 'mediator')
  const orgId = demo.people.find((p) => p.id === mediator?.personId)?.org_id
  if (!orgId || !(await db.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst())) return { inserted: 0 }
  await db
    .insertInto('drill_events')
    .values({
      id,
      title: '2026年度人民调解员岗位练兵（知识测试与模拟调解）',
      slugs: JSON.stringify(['quiz-renmin-tiaojie-fa', 'scenario-linli-loushui']),
      region_code: null,
      org_id: orgId,
      starts_at: new Date(now.getTime() - 86_400_000).toISOString(),
      ends_at: new Date(now.getTime() + 60 * 86_400_000).toISOString(),
      created_by: null,
      created_at: now.toISOString(),
      version: 1,
    })
    .execute()
  return { inserted: 1 }
}
