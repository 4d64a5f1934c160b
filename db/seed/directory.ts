/**
 * Demo data for the public directory (issue 12), so each of its sections shows something:
 * - public information (services, opening hours, dispute types taken) on every listed
 *   organisation that has none yet;
 * - a finalised Beijing association round of last year (notice over, grades awarded with
 *   certificates, still valid), so graded mediators appear; one of them hides their organisation.
 * Experts come from the expert-pool seed. Idempotent: organisations with services are left alone,
 * the round is found by its title. Portable SQL only.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { issueGradeCertificate } from '#app/modules/grading/certificates.server.ts'
import { ensureConfig } from '#app/modules/grading/configs.server.ts'
import { checkEligibility } from '#app/modules/grading/eligibility.ts'
import { gatherEvidence } from '#app/modules/grading/evidence.server.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import { PUBLIC_ORG_KINDS } from '#app/modules/directory/model.ts'
import type { OrgKind } from '#db/schema.ts'
import { inTransaction } from './bulk.ts'

const BEIJING = '110000'

export function directoryDemoTitle(today: string): string {
  return `${Number(today.slice(0, 4)) - 1}年度北京市人民调解员等级评定（已公示）`
}

const HOURS = ['周一至周五 9:00—17:00（法定节假日除外）', '周一至周五 8:30—12:00，13:30—17:30', '周一至周六 9:00—18:00']

/** What an organisation of each kind typically offers, and the dispute types it takes. */
function publicInfoFor(kind: OrgKind, sector: string | null, index: number): { services: string; hours: string; types: string[] } {
  const hours = HOURS[index % HOURS.length]!
  switch (kind) {
    case 'committee_village':
      return {
        services: '受理本村（社区）居民之间的婚姻家庭、邻里、房屋宅基地纠纷调解；开展矛盾纠纷排查和法治宣传。',
        hours,
        types: ['婚姻家庭', '邻里', '房屋宅基地', '物业'],
      }
    case 'committee_township':
      return {
        services: '受理辖区内跨村（社区）及疑难复杂纠纷的调解；指导村（居）人民调解委员会工作；引导调解协议司法确认。',
        hours,
        types: ['婚姻家庭', '邻里', '合同', '损害赔偿', '劳动争议', '物业'],
      }
    case 'committee_enterprise':
      return { services: '受理本单位职工之间、职工与单位之间的劳动争议和其他纠纷调解。', hours, types: ['劳动争议', '合同'] }
    case 'committee_sector':
      return {
        services: `受理${sector ?? '本行业'}领域纠纷的专业调解，提供政策法规咨询，可引导当事人申请调解协议司法确认。`,
        hours,
        types: ['损害赔偿', '合同'],
      }
    case 'committee_stationed':
      return {
        services: '派驻法院、公安派出所或信访部门，受理诉前、警情和信访中的矛盾纠纷调解。',
        hours,
        types: ['道路交通事故', '邻里', '损害赔偿', '消费'],
      }
    case 'studio':
      return { services: '以调解员个人命名的调解工作室，受理婚姻家庭、邻里纠纷调解并提供心理疏导。', hours, types: ['婚姻家庭', '邻里'] }
    default:
      return { services: '人民调解行业组织：调解员培训、等级评定和调解业务指导；不直接受理纠纷。', hours, types: [] }
  }
}

export async function seedDirectory(db: Executor, today = todayInChina()): Promise<{ organisations: number; grades: number }> {
  const organisations = await seedPublicInfo(db)
  const grades = await seedFinalisedRound(db, today)
  return { organisations, grades }
}

async function seedPublicInfo(db: Executor): Promise<number> {
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'kind', 'sector_code'])
    .where('kind', 'in', PUBLIC_ORG_KINDS)
    .where('services', 'is', null)
    .orderBy('id')
    .execute()
  if (!orgs.length) return 0
  const known = new Set((await db.selectFrom('dispute_types').select('code').execute()).map((d) => d.code))
  await inTransaction(db, async (trx) => {
    for (const [i, org] of orgs.entries()) {
      const info = publicInfoFor(org.kind, org.sector_code, i)
      await trx.updateTable('organisations').set({ services: info.services, opening_hours: info.hours }).where('id', '=', org.id).execute()
      const types = info.types.filter((t) => known.has(t))
      if (types.length) {
        await trx
          .insertInto('organisation_dispute_types')
          .values(types.map((code) => ({ org_id: org.id, dispute_type_code: code })))
          .execute()
      }
    }
  })
  return orgs.length
}

async function seedFinalisedRound(db: Executor, today: string): Promise<number> {
  const title = directoryDemoTitle(today)
  const association = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'association')
    .where('region_code', '=', BEIJING)
    .orderBy('id')
    .executeTakeFirst()
  const admin = await db.selectFrom('users').select('id').where('username', '=', 'bj.assoc').executeTakeFirst()
  if (!association || !admin) return 0
  const existing = await db
    .selectFrom('grading_rounds')
    .select('id')
    .where('association_org_id', '=', association.id)
    .where('title', '=', title)
    .executeTakeFirst()
  if (existing) return 0

  // Mediators with no other grading history, so other demos (the open round, the scoring round) are unchanged.
  const demoMediator = await db.selectFrom('users').select('person_id').where('username', '=', 'mediator').executeTakeFirst()
  const mediators = await db
    .selectFrom('mediators as m')
    .select(['m.person_id', 'm.org_id'])
    .where('m.status', '=', 'active')
    .where('m.person_id', '!=', demoMediator?.person_id ?? '')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('grading_applications as ga').select('ga.id').whereRef('ga.person_id', '=', 'm.person_id'))),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom('mediator_grades as mg').select('mg.id').whereRef('mg.person_id', '=', 'm.person_id'))))
    .orderBy('m.person_id')
    .limit(12)
    .execute()
  if (!mediators.length) return 0

  const config = await ensureConfig(db, association.id, admin.id)
  const rated = config.config.grades.filter((g) => g.action === 'rate')
  if (!rated.length) return 0
  const year = Number(today.slice(0, 4)) - 1
  const noticeStart = addDays(today, -60)
  const noticeEnd = addDays(today, -50)
  const validFrom = addDays(today, -45)
  const validUntil = addDays(validFrom, config.config.validityYears * 365)
  const now = new Date().toISOString()
  let awarded = 0
  await inTransaction(db, async (trx) => {
    const roundId = newId()
    await trx
      .insertInto('grading_rounds')
      .values({
        id: roundId,
        association_org_id: association.id,
        config_id: config.id,
        title,
        status: 'finalised',
        grade_codes: JSON.stringify(rated.map((g) => g.code)),
        quotas: JSON.stringify({}),
        applications_open_on: `${year}-09-01`,
        applications_close_on: `${year}-09-30`,
        notice_start_on: noticeStart,
        notice_end_on: noticeEnd,
        committee: JSON.stringify([
          { name: '吴海涛', affiliation: '北京人民调解协会', kind: 'association' },
          { name: '陈建国', affiliation: '北京市司法局', kind: 'bureau' },
          { name: '孙立平', affiliation: '北京市人民调解专家库', kind: 'expert' },
        ]),
        created_by: admin.id,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute()
    const steps = [null, 'draft', 'open', 'eligibility', 'scoring', 'notice', 'resolved', 'finalised'] as const
    for (let i = 1; i < steps.length; i++) {
      await trx
        .insertInto('grading_round_events')
        .values({
          id: newId(),
          round_id: roundId,
          from_status: steps[i - 1]!,
          to_status: steps[i]!,
          user_id: admin.id,
          note: '演示数据',
          created_at: now,
        })
        .execute()
    }
    for (const [i, m] of mediators.entries()) {
      const grade = rated[i % rated.length]!
      const evidence = await gatherEvidence(trx, m.person_id, config.config, today)
      const eligibility = checkEligibility(evidence, grade.code, config.config, today)
      const applicationId = newId()
      await trx
        .insertInto('grading_applications')
        .values({
          id: applicationId,
          round_id: roundId,
          person_id: m.person_id,
          org_id: m.org_id,
          grade_code: grade.code,
          status: 'awarded',
          blind_code: `G-${year}-${String(801 + i).padStart(4, '0')}`,
          applied_by: admin.id,
          evidence: JSON.stringify(evidence),
          eligibility: JSON.stringify(eligibility),
          eligible_auto: eligibility.eligible ? 1 : 0,
          override_verdict: eligibility.eligible ? null : 'eligible',
          override_reason: eligibility.eligible ? null : '演示数据：预审通过',
          override_by: eligibility.eligible ? null : admin.id,
          final_score: 8000 + ((i * 37) % 1500),
          rank_in_grade: Math.floor(i / rated.length) + 1,
          outcome_reason: null,
          submitted_at: now,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute()
      const row = {
        id: newId(),
        person_id: m.person_id,
        association_org_id: association.id,
        grade_code: grade.code,
        grade_name: grade.name,
        grade_rank: grade.rank,
        status: 'current' as const,
        valid_from: validFrom,
        valid_until: validUntil,
        source: 'round' as const,
        round_id: roundId,
        application_id: applicationId,
        change_reason: null,
        notice_start_on: null,
        notice_end_on: null,
        changed_by: null,
        changed_at: null,
        version: 1,
        created_at: now,
      }
      await trx.insertInto('mediator_grades').values(row).execute()
      await issueGradeCertificate(trx, row, association.name)
      awarded++
    }
    // One graded mediator chose not to publish their organisation (the directory shows it hidden).
    await trx
      .insertInto('directory_mediator_preferences')
      .values({ person_id: mediators[0]!.person_id, hide_org: 1, hide_valid_until: 0, version: 1, updated_at: now })
      .execute()
  })
  return awarded
}
