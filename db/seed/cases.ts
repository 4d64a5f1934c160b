/**
 * Demo difficult cases (疑难复杂纠纷) waiting for experts, so the case pages and the batch
 * assignment have work: 24 cases across 北京市, most in 海淀区 (the demo `hd.staff` scope), with the
 * dispute types the demo expert pool covers. Makes sure the expert pool itself is seeded first.
 * Deterministic ids; cases already present are left alone.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { sealPersonalNumber } from '#app/lib/crypto.server.ts'
import { formatCaseNumber, orgAbbreviation } from '#app/modules/cases/model.ts'
import { requirementsOf } from '#app/modules/cases/cases.server.ts'
import type { CaseDifficulty, CaseSource } from '#db/schema.ts'
import { existingValues } from './bulk.ts'
import { DEMO_SEED, mulberry32, stableId } from './demo.ts'
import { seedExpertPool } from './expert-pool.ts'
import { validIdNumber } from './factories.ts'

const TYPES = [
  '合同',
  '婚姻家庭',
  '劳动争议',
  '房屋宅基地',
  '医疗',
  '物业',
  '损害赔偿',
  '道路交通事故',
  '知识产权',
  '邻里',
  '金融',
  '消费',
] as const
const SOURCES: CaseSource[] = ['party', 'committee', 'court', 'police', 'petition', 'procuratorate', 'other']
const DIFFICULTIES: CaseDifficulty[] = ['complex', 'complex', 'major', 'ordinary']
const TITLES: Record<string, string> = {
  合同: '装修工程款结算纠纷',
  婚姻家庭: '离婚后子女抚养费纠纷',
  劳动争议: '工伤待遇及拖欠工资纠纷',
  房屋宅基地: '老旧小区房屋漏水赔偿纠纷',
  医疗: '术后并发症医疗损害纠纷',
  物业: '小区物业费及公共收益纠纷',
  损害赔偿: '宠物伤人损害赔偿纠纷',
  道路交通事故: '电动自行车交通事故赔偿纠纷',
  知识产权: '商标使用许可费纠纷',
  邻里: '加装电梯邻里纠纷',
  金融: '理财产品销售纠纷',
  消费: '预付式消费退费群体纠纷',
}

export const DEMO_CASE_COUNT = 24

export async function seedCases(db: Executor): Promise<{ inserted: number; experts: number }> {
  const pool = await seedExpertPool(db, mulberry32(DEMO_SEED))
  const ids = Array.from({ length: DEMO_CASE_COUNT }, (_, i) => stableId(`case:${i}`))
  const present = await existingValues(db, 'cases', 'id', ids)
  if (present.size === ids.length) return { inserted: 0, experts: pool.experts }
  const committees = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'o.region_code', 'r.path'])
    .where('o.kind', 'in', ['committee_township', 'committee_village', 'committee_sector'])
    .where('r.path', 'like', '/110000/%')
    .orderBy('o.id')
    .execute()
  if (!committees.length) return { inserted: 0, experts: pool.experts }
  const haidian = committees.filter((c) => c.path.startsWith('/110000/110108/'))
  const others = committees.filter((c) => !c.path.startsWith('/110000/110108/'))
  const rng = mulberry32(DEMO_SEED + 4)
  const seqs = new Map<string, number>()
  const year = 2026
  // Existing numbers of the year, so a re-run after partial seeding continues the sequence.
  for (const row of await db.selectFrom('cases').select(['org_id', 'case_seq']).where('case_year', '=', year).execute()) {
    seqs.set(row.org_id, Math.max(seqs.get(row.org_id) ?? 0, row.case_seq))
  }
  let inserted = 0
  for (let i = 0; i < DEMO_CASE_COUNT; i++) {
    const id = ids[i]!
    if (present.has(id)) continue
    const list = i % 4 === 3 && others.length ? others : haidian.length ? haidian : others
    const org = list[Math.floor(rng() * list.length)]!
    const type = TYPES[i % TYPES.length]!
    const seq = (seqs.get(org.id) ?? 0) + 1
    seqs.set(org.id, seq)
    const regionName = await db
      .selectFrom('regions')
      .select('name')
      .where('code', '=', org.path.split('/')[2] ?? org.region_code)
      .executeTakeFirst()
    const registered = `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T02:00:00.000Z`
    const difficulty = DIFFICULTIES[i % DIFFICULTIES.length]!
    const requirements = requirementsOf({
      requiredProfession: type === '医疗' ? 'medicine' : undefined,
      minTier: difficulty === 'major' ? 'municipal' : undefined,
    })
    await db
      .insertInto('cases')
      .values({
        id,
        case_number: formatCaseNumber(year, orgAbbreviation(regionName?.name ?? '', org.name), seq),
        org_id: org.id,
        case_year: year,
        case_seq: seq,
        title: `${TITLES[type] ?? '疑难纠纷'}（${i + 1}）`,
        summary: `双方因${TITLES[type]}发生争议，经初步调解未果，涉及专业问题，申请专家提供咨询意见。`,
        dispute_type_code: type,
        domains: '[]',
        region_code: org.region_code,
        source: SOURCES[i % SOURCES.length]!,
        difficulty,
        amount_fen: (5 + Math.floor(rng() * 500)) * 100_000,
        party_count: 2,
        experts_needed: 1 + (i % 3 === 0 ? 1 : 0),
        experts_assigned: 0,
        requirements: JSON.stringify(requirements),
        requires_outside_region: 0,
        consultation_mode: i % 3 === 0 ? 'joining' : 'written',
        period_start: '2026-11-20',
        period_end: '2026-12-31',
        deadline: '2026-12-20',
        status: i % 5 === 0 ? 'registered' : 'accepted',
        registered_at: registered,
        accepted_at: i % 5 === 0 ? null : registered,
        mediation_started_at: null,
        concluded_at: null,
        closed_at: null,
        archived_at: null,
        outcome_note: null,
        version: 1,
        created_by: null,
        created_at: registered,
        updated_at: registered,
      })
      .execute()
    const idNumber = validIdNumber('110108', `19${70 + (i % 25)}-0${1 + (i % 9)}-1${i % 10}`, 100 + i, i % 2 ? 'male' : 'female')
    const sealed = sealPersonalNumber('id', idNumber)
    await db
      .insertInto('case_parties')
      .values([
        {
          id: stableId(`case:${i}:party:0`),
          case_id: id,
          kind: 'person',
          name: ['王某', '李某', '张某', '刘某', '陈某'][i % 5]!,
          org_id: null,
          id_number_enc: sealed.enc,
          id_number_hash: sealed.hash,
          id_number_masked: sealed.masked,
          sort: 0,
        },
        {
          id: stableId(`case:${i}:party:1`),
          case_id: id,
          kind: 'organisation',
          name: ['北京某装饰工程有限公司', '北京某物业管理有限公司', '某保险公司北京分公司', '北京某医院', '北京某科技有限公司'][i % 5]!,
          org_id: null,
          id_number_enc: null,
          id_number_hash: null,
          id_number_masked: null,
          sort: 1,
        },
      ])
      .execute()
    inserted++
  }
  return { inserted, experts: pool.experts }
}
