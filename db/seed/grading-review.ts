/**
 * Demo data for blind review (G2): a Haidian association round already in scoring, with three
 * applications from Haidian mediators (evidence gathered from their real demo records), a panel of
 * three reviewers (the demo `reviewer` plus `reviewer.b` and `reviewer.c`, same demo password) and
 * the reviews assigned. The demo reviewer signs in, calibrates at /grading/rounds/<id>/calibration
 * and scores at /grading/reviews. Idempotent: the round is found by its title and nothing is
 * written a second time. Works on both dialects (no dialect-specific SQL).
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { assignReviewers } from '#app/modules/grading/assignment.server.ts'
import { ensureConfig } from '#app/modules/grading/configs.server.ts'
import { checkEligibility } from '#app/modules/grading/eligibility.ts'
import { gatherEvidence } from '#app/modules/grading/evidence.server.ts'
import { inTransaction } from './bulk.ts'
import { DEMO_PASSWORD } from './demo.ts'
import { createUser } from './factories.ts'

export const REVIEW_DEMO_TITLE = '2026年度海淀区人民调解员等级评定（评审演示）'
const HAIDIAN = '110108'
const BEIJING = '110000'

export async function seedGradingReview(db: Executor, today = new Date().toISOString().slice(0, 10)): Promise<{ inserted: number }> {
  const association = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'association')
    .where('region_code', '=', HAIDIAN)
    .orderBy('id')
    .executeTakeFirst()
  const admin = await db.selectFrom('users').select('id').where('username', '=', 'hd.assoc').executeTakeFirst()
  const reviewer = await db.selectFrom('users').select('id').where('username', '=', 'reviewer').executeTakeFirst()
  if (!association || !admin || !reviewer) return { inserted: 0 }
  const existing = await db
    .selectFrom('grading_rounds')
    .select('id')
    .where('association_org_id', '=', association.id)
    .where('title', '=', REVIEW_DEMO_TITLE)
    .executeTakeFirst()
  if (existing) return { inserted: 0 }

  // Two more reviewers so every application can get three (created once; reused on later runs).
  const reviewerIds = [reviewer.id]
  for (const [username, name] of [
    ['reviewer.b', '钱思远'],
    ['reviewer.c', '冯雅琴'],
  ] as const) {
    const found = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
    reviewerIds.push(
      found?.id ??
        (await createUser(db, { username, displayName: name, password: DEMO_PASSWORD, roles: [{ role: 'reviewer', regionCode: BEIJING }] }))
          .user.id,
    )
  }

  const demoMediator = await db.selectFrom('users').select('person_id').where('username', '=', 'mediator').executeTakeFirst()
  const mediators = await db
    .selectFrom('mediators as m')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['m.person_id', 'm.org_id'])
    .where('o.region_code', 'like', `${HAIDIAN}%`)
    .where('m.status', '=', 'active')
    .where('m.person_id', '!=', demoMediator?.person_id ?? '')
    .orderBy('m.person_id')
    .limit(3)
    .execute()
  if (mediators.length === 0) return { inserted: 0 }

  const config = await ensureConfig(db, association.id, admin.id)
  const now = new Date().toISOString()
  let inserted = 0
  await inTransaction(db, async (trx) => {
    const roundId = newId()
    await trx
      .insertInto('grading_rounds')
      .values({
        id: roundId,
        association_org_id: association.id,
        config_id: config.id,
        title: REVIEW_DEMO_TITLE,
        status: 'scoring',
        grade_codes: JSON.stringify(config.config.grades.map((g) => g.code)),
        quotas: JSON.stringify({ '4': 2 }),
        applications_open_on: `${today.slice(0, 4)}-01-05`,
        applications_close_on: `${today.slice(0, 4)}-01-31`,
        notice_start_on: null,
        notice_end_on: null,
        committee: JSON.stringify([
          { name: '吴海涛', affiliation: '海淀区人民调解协会', kind: 'association' },
          { name: '陈建国', affiliation: '海淀区司法局', kind: 'bureau' },
          { name: '孙立平', affiliation: '北京市人民调解专家库', kind: 'expert' },
        ]),
        created_by: admin.id,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
    for (const [from, to] of [
      [null, 'draft'],
      ['draft', 'open'],
      ['open', 'eligibility'],
      ['eligibility', 'scoring'],
    ] as const) {
      await trx
        .insertInto('grading_round_events')
        .values({ id: newId(), round_id: roundId, from_status: from, to_status: to, user_id: admin.id, note: '演示数据', created_at: now })
        .execute()
    }
    for (const [i, m] of mediators.entries()) {
      const evidence = await gatherEvidence(trx, m.person_id, config.config, today)
      const gradeCode = '4'
      const eligibility = checkEligibility(evidence, gradeCode, config.config, today)
      await trx
        .insertInto('grading_applications')
        .values({
          id: newId(),
          round_id: roundId,
          person_id: m.person_id,
          org_id: m.org_id,
          grade_code: gradeCode,
          status: 'eligible',
          blind_code: `G-${today.slice(0, 4)}-${String(901 + i).padStart(4, '0')}`,
          applied_by: admin.id,
          evidence: JSON.stringify(evidence),
          eligibility: JSON.stringify(eligibility),
          eligible_auto: eligibility.eligible ? 1 : 0,
          // Demo applications pass pre-review whatever the generated records say, with the reason.
          override_verdict: eligibility.eligible ? null : 'eligible',
          override_reason: eligibility.eligible ? null : '演示数据：预审通过',
          override_by: eligibility.eligible ? null : admin.id,
          final_score: null,
          rank_in_grade: null,
          outcome_reason: null,
          submitted_at: now,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute()
      inserted += 1
    }
    for (const userId of reviewerIds) {
      await trx
        .insertInto('grading_panel_members')
        .values({ id: newId(), round_id: roundId, user_id: userId, active: 1, created_at: now })
        .execute()
    }
    const result = await assignReviewers(trx, roundId, now)
    inserted += result.assigned
  })
  return { inserted }
}
