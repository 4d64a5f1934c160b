/**
 * Demo training archive: offline records (pre-service classes and annual training) for the first
 * demo mediators, so archives and hours are not empty. Online completions are never seeded: they
 * come only from the completion rules. Idempotent by completion key; never run in production.
 */
import type { Executor } from '#app/lib/db.server.ts'
import type { TrainingKind, TrainingFormat } from '#db/schema.ts'
import { existingValues } from './bulk.ts'
import { DEMO_TODAY, stableId } from './demo.ts'

const DEMO_CREATED_AT_ISO = `${DEMO_TODAY}T00:00:00.000Z`

interface OfflineTemplate {
  key: string
  title: string
  kind: TrainingKind
  format: TrainingFormat
  organiser: string
  hoursTenths: number
  completedOn: string
  assessment: string | null
}

const TEMPLATES: OfflineTemplate[] = [
  {
    key: 'pre-2025',
    title: '2025年新任人民调解员岗前培训班',
    kind: 'pre_service',
    format: 'classroom',
    organiser: '区司法局',
    hoursTenths: 240,
    completedOn: '2025-04-18',
    assessment: '合格',
  },
  {
    key: 'annual-2025',
    title: '2025年度人民调解员业务培训',
    kind: 'annual',
    format: 'classroom',
    organiser: '市司法局',
    hoursTenths: 160,
    completedOn: '2025-10-22',
    assessment: null,
  },
  {
    key: 'hearing-2026',
    title: '婚姻家庭纠纷庭审观摩',
    kind: 'topic',
    format: 'hearing',
    organiser: '区人民法院、区司法局',
    hoursTenths: 40,
    completedOn: '2026-05-12',
    assessment: null,
  },
]

export async function seedTraining(db: Executor, limit = 40): Promise<{ inserted: number }> {
  const first = await db
    .selectFrom('mediators')
    .select('person_id')
    .where('status', '=', 'active')
    .orderBy('person_id')
    .limit(limit)
    .execute()
  // The demo `mediator` account's own archive shows offline records next to what it earns online.
  const account = await db.selectFrom('users').select('person_id').where('username', '=', 'mediator').executeTakeFirst()
  const ids = [...new Set([...(account?.person_id ? [account.person_id] : []), ...first.map((m) => m.person_id)])]
  const mediators = ids.map((person_id) => ({ person_id }))
  const rows = mediators.flatMap(({ person_id }, i) =>
    // Every mediator has the pre-service class; most the annual one; some the observation.
    TEMPLATES.filter((_, t) => t === 0 || (t === 1 && i % 4 !== 3) || (t === 2 && i % 3 === 0)).map((tpl) => ({
      id: stableId(`training:${person_id}:${tpl.key}`),
      person_id,
      source: 'offline' as const,
      completion_key: `seed:${tpl.key}:${person_id}`,
      course_slug: null,
      title: tpl.title,
      kind: tpl.kind,
      format: tpl.format,
      organiser: tpl.organiser,
      hours_tenths: tpl.hoursTenths,
      year: Number(tpl.completedOn.slice(0, 4)),
      completed_on: tpl.completedOn,
      assessment: tpl.assessment,
      status: 'approved' as const,
      created_at: DEMO_CREATED_AT_ISO,
      created_by: null,
    })),
  )
  if (!rows.length) return { inserted: 0 }
  const present = await existingValues(
    db,
    'training_records',
    'completion_key',
    rows.map((r) => r.completion_key),
  )
  const missing = rows.filter((r) => !present.has(r.completion_key))
  for (let i = 0; i < missing.length; i += 200)
    await db
      .insertInto('training_records')
      .values(missing.slice(i, i + 200))
      .execute()
  return { inserted: missing.length }
}
