/**
 * Demo data for grade evaluation (G1): rules version 1 for the Beijing and Haidian associations,
 * confirmed case statistics for the demo mediator and about twenty other Beijing mediators, and
 * one open round of the Beijing association whose application window includes today, so the demo
 * `mediator` can apply at /grading. Idempotent: rows are found by their keys (association,
 * person + year, round title) and nothing is written twice. Portable SQL only.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { ensureConfig } from '#app/modules/grading/configs.server.ts'
import { addDays } from '#app/modules/grading/rounds.ts'

export const GRADING_DEMO_TITLE = '2026年度北京市人民调解员等级评定'
const BEIJING = '110000'
const HAIDIAN = '110108'

async function associationOf(db: Executor, region: string) {
  return db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'association')
    .where('region_code', '=', region)
    .orderBy('id')
    .executeTakeFirst()
}

export async function seedGrading(db: Executor, today = todayInChina()): Promise<{ inserted: number }> {
  let inserted = 0
  const bj = await associationOf(db, BEIJING)
  const hd = await associationOf(db, HAIDIAN)
  const bjAdmin = await db.selectFrom('users').select('id').where('username', '=', 'bj.assoc').executeTakeFirst()
  const hdAdmin = await db.selectFrom('users').select('id').where('username', '=', 'hd.assoc').executeTakeFirst()
  const orgManager = await db.selectFrom('users').select('id').where('username', '=', 'org.manager').executeTakeFirst()
  const demoMediator = await db.selectFrom('users').select('person_id').where('username', '=', 'mediator').executeTakeFirst()
  if (!bj || !bjAdmin || !orgManager) return { inserted }

  const countConfigs = async () =>
    Number(
      (
        await db
          .selectFrom('grading_configs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const before = await countConfigs()
  const bjConfig = await ensureConfig(db, bj.id, bjAdmin.id)
  if (hd && hdAdmin) await ensureConfig(db, hd.id, hdAdmin.id)
  inserted += (await countConfigs()) - before

  // Case statistics: the demo mediator first, then twenty Beijing mediators, three years each.
  const others = await db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select('m.person_id')
    .where('m.status', '=', 'active')
    .where('r.path', 'like', `/${BEIJING}/%`)
    .orderBy('m.person_id')
    .limit(21)
    .execute()
  const people = [...new Set([...(demoMediator?.person_id ? [demoMediator.person_id] : []), ...others.map((o) => o.person_id)])].slice(
    0,
    21,
  )
  const year = Number(today.slice(0, 4))
  const years = [year - 2, year - 1, year]
  const existing = people.length
    ? await db
        .selectFrom('mediator_case_stats')
        .select(['person_id', 'year'])
        .where('person_id', 'in', people)
        .where('year', 'in', years)
        .execute()
    : []
  const have = new Set(existing.map((r) => `${r.person_id}:${Number(r.year)}`))
  const now = new Date().toISOString()
  const rows = people.flatMap((personId, i) =>
    years
      .filter((y) => !have.has(`${personId}:${y}`))
      .map((y, j) => {
        // Deterministic, plausible figures: 20–60 disputes a year, 84–97 % success, 10–30 % oral.
        const disputes = 20 + ((i * 7 + j * 11) % 41)
        const successful = Math.floor((disputes * (84 + ((i + j) % 14))) / 100)
        const oral = Math.floor((successful * (10 + ((i * 3 + j) % 21))) / 100)
        return {
          id: newId(),
          person_id: personId,
          year: y,
          disputes_mediated: disputes,
          successful,
          oral_agreements: oral,
          entered_by: orgManager.id,
          entered_at: now,
          // The current year's figures wait for the mediator's confirmation; earlier years are confirmed.
          confirmed_at: y === year && i > 0 ? null : now,
          version: 1,
        }
      }),
  )
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('mediator_case_stats')
      .values(rows.slice(i, i + 200))
      .execute()
  inserted += rows.length

  const round = await db
    .selectFrom('grading_rounds')
    .select('id')
    .where('association_org_id', '=', bj.id)
    .where('title', '=', GRADING_DEMO_TITLE)
    .executeTakeFirst()
  if (!round) {
    const id = newId()
    await db
      .insertInto('grading_rounds')
      .values({
        id,
        association_org_id: bj.id,
        config_id: bjConfig.id,
        title: GRADING_DEMO_TITLE,
        status: 'open',
        grade_codes: JSON.stringify(bjConfig.config.grades.map((g) => g.code)),
        quotas: JSON.stringify({ '1': 5, '2': 20 }),
        applications_open_on: addDays(today, -7),
        applications_close_on: addDays(today, 30),
        notice_start_on: null,
        notice_end_on: null,
        committee: JSON.stringify([{ name: '周文静', affiliation: '北京市人民调解协会', kind: '主任委员' }]),
        created_by: bjAdmin.id,
        version: 2,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await db
      .insertInto('grading_round_events')
      .values([
        { id: newId(), round_id: id, from_status: null, to_status: 'draft', user_id: bjAdmin.id, note: null, created_at: now },
        { id: newId(), round_id: id, from_status: 'draft', to_status: 'open', user_id: bjAdmin.id, note: null, created_at: now },
      ])
      .execute()
    inserted += 3
  }
  return { inserted }
}
