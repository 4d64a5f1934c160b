/**
 * Expert profiles (专家库): a row builder shared by the demo seed, the tests and the roster bench,
 * and the demo pool itself.
 *
 * `seedExpertPool(db, rng)` gives the ~120 expert people of the demo (db/seed/demo.ts) their
 * profiles: every tier (national, provincial and municipal at 北京市, district at the districts),
 * every status, a few terms about to expire and two that already lapsed, domains by profession,
 * term and status history, unavailable periods, declared conflicts and recommendations upward in
 * each state. Deterministic: the same rng gives the same rows and ids; experts that already have a
 * profile are left alone, so running it again writes nothing.
 */
import type { Selectable } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import type {
  ExpertConflictTable,
  ExpertDomainTable,
  ExpertRecommendationTable,
  ExpertStatus,
  ExpertStatusChangeTable,
  ExpertTable,
  ExpertTermTable,
  ExpertTier,
  ExpertUnavailabilityTable,
} from '#db/schema.ts'
import { existingValues, inTransaction, insertRows } from './bulk.ts'
import type { ExpertOccupation } from './data/demo-plan.ts'
import { DEMO_TODAY, type DemoPerson, generateDemo, stableId } from './demo.ts'
import { type BuiltPerson, type PersonInput, type Random, buildPerson, personRow } from './factories.ts'
import { seedReferenceData } from './reference.ts'

export type ExpertRow = Selectable<ExpertTable>
export type ExpertDomainRow = Selectable<ExpertDomainTable>
export type ExpertTermRow = Selectable<ExpertTermTable>
export type ExpertStatusChangeRow = Selectable<ExpertStatusChangeTable>

const DAY_MS = 86_400_000
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
const addYears = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`
const termOf = (start: string, years: number) => addDays(addYears(start, years), -1)

// ---------------------------------------------------------------------------------------------
// Builder

export interface ExpertInput extends Partial<Omit<ExpertRow, 'person_id'>> {
  /** The person: an existing id, or the fields of a new one (built with buildPerson). */
  personId?: string
  person?: PersonInput
  primary?: string[]
  secondary?: string[]
  specialty?: string[]
}

export interface BuiltExpert {
  /** The new person row, or null when `personId` named an existing one. */
  person: BuiltPerson | null
  expert: ExpertRow
  domains: ExpertDomainRow[]
  term: ExpertTermRow
  admission: ExpertStatusChangeRow
}

/** A complete expert (and, unless given, person) as rows; valid defaults for everything. */
export function buildExpert(input: ExpertInput = {}, random: Random = Math.random): BuiltExpert {
  const tier: ExpertTier = input.tier ?? 'district'
  const regionCode = input.region_code === undefined ? (tier === 'national' ? null : '110108') : input.region_code
  const person = input.personId ? null : buildPerson({ region_code: regionCode ?? '110000', ...input.person }, random)
  const personId = input.personId ?? person!.id
  const now = input.created_at ?? nowIso()
  const termStart = input.term_start ?? '2024-01-01'
  const termEnd = input.term_end ?? termOf(termStart, 5)
  const expert: ExpertRow = {
    person_id: personId,
    name: input.name ?? person?.name ?? '专家',
    tier,
    region_code: regionCode,
    appointing_org_id: input.appointing_org_id ?? null,
    employer: input.employer ?? '北京市示例律师事务所',
    employer_org_id: input.employer_org_id ?? null,
    title: input.title === undefined ? '律师' : input.title,
    professions: input.professions ?? JSON.stringify(['law']),
    languages: input.languages ?? JSON.stringify(['普通话']),
    bio: input.bio ?? null,
    photo_file: null,
    photo_type: null,
    term_start: termStart,
    term_end: termEnd,
    status: input.status ?? 'active',
    max_concurrent_cases: input.max_concurrent_cases ?? 3,
    contact_preference: input.contact_preference ?? 'phone',
    contact_note: input.contact_note ?? null,
    version: input.version ?? 1,
    created_at: now,
    updated_at: input.updated_at ?? now,
    created_by: input.created_by ?? null,
  }
  const role = (r: ExpertDomainRow['role']) => (code: string) => ({ expert_id: personId, dispute_type_code: code, role: r })
  const domains = [
    ...(input.primary ?? ['合同']).map(role('primary')),
    ...(input.secondary ?? []).map(role('secondary')),
    ...(input.specialty ?? []).map(role('specialty')),
  ]
  return {
    person,
    expert,
    domains,
    term: {
      id: newId(),
      expert_id: personId,
      kind: 'appointed',
      start_date: termStart,
      end_date: termEnd,
      note: null,
      created_by: null,
      created_at: now,
    },
    admission: { id: newId(), expert_id: personId, from_status: null, to_status: 'active', reason: '', changed_by: null, changed_at: now },
  }
}

/** Inserts one expert (with its person unless `personId` is given), for tests. */
export async function createExpert(db: Executor, input: ExpertInput = {}): Promise<BuiltExpert> {
  const built = buildExpert(input)
  return inTransaction(db, async (trx) => {
    const codes = [built.expert.region_code ?? '110000', built.person?.region_code].filter((c): c is string => !!c)
    const known = await existingValues(trx, 'regions', 'code', codes)
    if (known.size < new Set(codes).size) await seedReferenceData(trx)
    if (built.person) await trx.insertInto('people').values(personRow(built.person)).execute()
    await trx.insertInto('experts').values(built.expert).execute()
    await insertRows(trx, 'expert_domains', built.domains)
    await trx.insertInto('expert_terms').values(built.term).execute()
    await trx.insertInto('expert_status_changes').values(built.admission).execute()
    return built
  })
}

// ---------------------------------------------------------------------------------------------
// The demo pool

const BEIJING = '110000'

interface ProfessionPlan {
  professions: string[]
  titles: string[]
  employers: string[]
  primary: string[][]
  secondary: string[]
  specialty: string[]
}

const PLANS: Record<ExpertOccupation, ProfessionPlan> = {
  lawyer: {
    professions: ['law'],
    titles: ['律师', '高级合伙人', '一级律师'],
    employers: ['北京市中伦律师事务所', '北京市金杜律师事务所', '北京大成律师事务所', '北京市君合律师事务所', '北京市盈科律师事务所'],
    primary: [['合同'], ['婚姻家庭'], ['劳动争议'], ['房屋宅基地']],
    secondary: ['损害赔偿', '消费', '邻里', '生产经营'],
    specialty: ['合同', '婚姻家庭', '劳动争议', '房屋宅基地'],
  },
  retired_judge: {
    professions: ['law'],
    titles: ['退休法官', '原审判员'],
    employers: ['北京市第一中级人民法院（退休）', '北京市海淀区人民法院（退休）', '北京市朝阳区人民法院（退休）'],
    primary: [['合同', '损害赔偿'], ['婚姻家庭']],
    secondary: ['房屋宅基地', '邻里', '征地拆迁'],
    specialty: ['损害赔偿', '婚姻家庭', '征地拆迁'],
  },
  law_professor: {
    professions: ['law', 'education'],
    titles: ['教授', '副教授'],
    employers: ['中国人民大学法学院', '北京大学法学院', '中国政法大学', '清华大学法学院'],
    primary: [['知识产权'], ['合同'], ['环境污染']],
    secondary: ['互联网', '电子商务', '生产经营'],
    specialty: ['知识产权', '电子商务', '环境污染'],
  },
  doctor: {
    professions: ['medicine'],
    titles: ['主任医师', '副主任医师', '主治医师'],
    employers: ['北京大学第三医院', '首都医科大学附属北京朝阳医院', '北京协和医院', '首都医科大学宣武医院', '北京积水潭医院'],
    primary: [['医疗']],
    secondary: ['损害赔偿', '保险'],
    specialty: ['医疗'],
  },
  psychologist: {
    professions: ['psychology'],
    titles: ['国家二级心理咨询师', '心理治疗师'],
    employers: ['北京师范大学心理学部', '北京市心理援助热线', '海淀区心理咨询服务中心'],
    primary: [['婚姻家庭'], ['邻里']],
    secondary: ['劳动争议', '医疗'],
    specialty: ['婚姻家庭', '邻里'],
  },
  social_worker: {
    professions: ['social_work'],
    titles: ['中级社会工作师', '高级社会工作师'],
    employers: ['北京市社会工作发展中心', '朝阳区社会工作服务中心', '海淀区睦邻社会工作事务所'],
    primary: [['邻里'], ['婚姻家庭']],
    secondary: ['物业', '劳动争议'],
    specialty: ['邻里', '物业'],
  },
  engineer: {
    professions: ['construction'],
    titles: ['高级工程师', '注册结构工程师', '注册监理工程师'],
    employers: ['北京市建筑设计研究院', '中国建筑科学研究院', '北京市市政工程设计研究总院'],
    primary: [['物业'], ['道路交通事故'], ['房屋宅基地']],
    secondary: ['损害赔偿', '合同', '环境污染'],
    specialty: ['物业', '道路交通事故'],
  },
  accountant: {
    professions: ['accounting', 'finance'],
    titles: ['注册会计师', '高级会计师'],
    employers: ['信永中和会计师事务所', '致同会计师事务所', '立信会计师事务所北京分所'],
    primary: [['金融'], ['生产经营']],
    secondary: ['合同', '保险'],
    specialty: ['金融', '生产经营'],
  },
  financial_analyst: {
    professions: ['finance', 'insurance'],
    titles: ['高级经济师', '金融风险管理师'],
    employers: ['中国工商银行北京市分行', '北京银行', '中国人寿北京分公司'],
    primary: [['金融'], ['保险']],
    secondary: ['合同', '消费'],
    specialty: ['金融', '保险'],
  },
  property_manager: {
    professions: ['construction', 'other'],
    titles: ['物业管理师', '高级物业经理'],
    employers: ['北京首开物业服务有限公司', '北京万科物业服务有限公司', '北京金隅物业管理有限责任公司'],
    primary: [['物业']],
    secondary: ['邻里', '合同'],
    specialty: ['物业'],
  },
}

const STATUS_REASONS: Record<Exclude<ExpertStatus, 'active'>, string[]> = {
  suspended: ['本人申请，因工作调动暂停参加调解咨询', '年度考评未完成，暂停至补正后恢复', '因健康原因暂停半年'],
  retired: ['本人申请退出专家库', '任期届满不再续聘'],
  removed: ['连续两次无正当理由拒绝参与调解，经研究予以除名'],
}

const LANGUAGE_EXTRAS = ['英语', '粤语', '日语', '上海话', '蒙古语']

export interface ExpertPoolSummary {
  experts: number
  skipped: number
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

function randomDate(random: Random, from: string, to: string): string {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS)
  return addDays(from, int(random, 0, days))
}

interface PoolPlan {
  tier: ExpertTier
  regionCode: string | null
  status: ExpertStatus
  termEnd: 'expiring' | 'lapsed' | 'normal'
}

/**
 * Which expert gets which tier, status and term. Index 0 is the demo `expert` account (a Haidian
 * district expert, active, in term); the rest spread deterministically by position.
 */
function planFor(index: number, person: DemoPerson, nationalLeft: { n: number }): PoolPlan {
  const atCity = person.region_code === BEIJING
  let tier: ExpertTier = atCity ? (index % 3 === 0 ? 'provincial' : 'municipal') : 'district'
  if (atCity && index % 5 === 2 && nationalLeft.n > 0) {
    tier = 'national'
    nationalLeft.n--
  }
  const regionCode = tier === 'national' ? null : atCity ? BEIJING : person.region_code.slice(0, 6)
  let status: ExpertStatus = 'active'
  if (index > 0) {
    if (index % 13 === 6) status = 'suspended'
    else if (index % 19 === 9) status = 'retired'
    else if (index % 37 === 20) status = 'removed'
  }
  const termEnd =
    index > 0 && status === 'active' && index % 17 === 4
      ? 'expiring'
      : index > 0 && status === 'active' && index % 43 === 17
        ? 'lapsed'
        : 'normal'
  return { tier, regionCode, status, termEnd }
}

export async function seedExpertPool(db: Executor, rng: Random): Promise<ExpertPoolSummary> {
  const people = generateDemo().people.filter((p) => p.kind === 'expert')
  const ids = people.map((p) => p.id)
  const present = await existingValues(db, 'people', 'id', ids)
  const profiled = await existingValues(db, 'experts', 'person_id', ids)
  const bureaus = await db.selectFrom('organisations').select(['id', 'region_code']).where('kind', '=', 'justice_bureau').execute()
  const bureauOf = new Map(bureaus.map((b) => [b.region_code, b.id]))
  const created = `${DEMO_TODAY}T00:00:00.000Z`

  const experts: ExpertRow[] = []
  const domains: ExpertDomainRow[] = []
  const terms: ExpertTermRow[] = []
  const statusChanges: ExpertStatusChangeRow[] = []
  const unavailability: Selectable<ExpertUnavailabilityTable>[] = []
  const conflicts: Selectable<ExpertConflictTable>[] = []
  const recommendations: Selectable<ExpertRecommendationTable>[] = []
  const nationalLeft = { n: 6 }
  let pendingMade = false
  // Haidian's staff (the demo's district account) should find a term to renew on their own list.
  let haidianActive = 0

  people.forEach((person, index) => {
    // Draw for every person, present or not, so each one's values do not depend on the others'.
    const plan = PLANS[person.occupation ?? 'lawyer']
    const shape = planFor(index, person, nationalLeft)
    if (index > 0 && shape.regionCode === '110108' && shape.status === 'active' && ++haidianActive === 2) shape.termEnd = 'expiring'
    const draws = {
      title: pick(rng, plan.titles),
      employer: pick(rng, plan.employers),
      primary: pick(rng, plan.primary),
      secondary: plan.secondary.filter(() => rng() < 0.4).slice(0, 2),
      specialty: plan.specialty.filter(() => rng() < 0.6).slice(0, 2),
      extraLanguage: rng() < 0.25 ? pick(rng, LANGUAGE_EXTRAS) : null,
      start: randomDate(rng, '2022-01-01', '2026-06-30'),
      renewed: rng() < 0.3,
      cases: int(rng, 2, 5),
      contact: pick(rng, ['phone', 'sms', 'wechat', 'via_office'] as const),
      away: rng() < 0.06,
      conflict: rng() < 0.1,
      conflictWith: pick(rng, ['北京某房地产开发有限公司', '北京某物业管理有限公司', '某保险公司北京分公司']),
    }
    if (!present.has(person.id) || profiled.has(person.id)) return
    const id = person.id
    const key = (what: string, n = 0) => stableId(`expert:${id}:${what}:${n}`)

    let termStart = index === 0 ? '2024-03-01' : draws.start
    let termEnd = termOf(termStart, 5)
    if (shape.termEnd === 'expiring') {
      termEnd = addDays(DEMO_TODAY, 30 + (index % 25))
      termStart = addDays(addYears(termEnd, -5), 1)
    } else if (shape.termEnd === 'lapsed') {
      termEnd = addDays(DEMO_TODAY, -20)
      termStart = addDays(addYears(termEnd, -5), 1)
    }
    if (draws.renewed && shape.termEnd === 'normal' && index > 0) {
      const firstStart = addYears(termStart, -5)
      terms.push({
        id: key('term', 0),
        expert_id: id,
        kind: 'appointed',
        start_date: firstStart,
        end_date: addDays(termStart, -1),
        note: null,
        created_by: null,
        created_at: `${firstStart}T02:00:00.000Z`,
      })
      terms.push({
        id: key('term', 1),
        expert_id: id,
        kind: 'renewed',
        start_date: termStart,
        end_date: termEnd,
        note: '任期届满，经考评续聘',
        created_by: null,
        created_at: `${addDays(termStart, -10)}T02:00:00.000Z`,
      })
    } else {
      terms.push({
        id: key('term', 0),
        expert_id: id,
        kind: 'appointed',
        start_date: termStart,
        end_date: termEnd,
        note: null,
        created_by: null,
        created_at: created,
      })
    }
    const primary = draws.primary
    const secondary = draws.secondary.filter((c) => !primary.includes(c))
    experts.push({
      person_id: id,
      name: person.name,
      tier: shape.tier,
      region_code: shape.regionCode,
      appointing_org_id: shape.regionCode ? (bureauOf.get(shape.regionCode) ?? null) : null,
      employer: draws.employer,
      employer_org_id: null,
      title: draws.title,
      professions: JSON.stringify(plan.professions),
      languages: JSON.stringify(draws.extraLanguage ? ['普通话', draws.extraLanguage] : ['普通话']),
      bio: `${draws.employer}${draws.title}，长期参与${primary.join('、')}纠纷的调解咨询工作。`,
      photo_file: null,
      photo_type: null,
      term_start: termStart,
      term_end: termEnd,
      status: shape.status,
      max_concurrent_cases: draws.cases,
      contact_preference: draws.contact,
      contact_note: null,
      version: 1,
      created_at: created,
      updated_at: created,
      created_by: null,
    })
    for (const code of primary) domains.push({ expert_id: id, dispute_type_code: code, role: 'primary' })
    for (const code of secondary) domains.push({ expert_id: id, dispute_type_code: code, role: 'secondary' })
    for (const code of draws.specialty) domains.push({ expert_id: id, dispute_type_code: code, role: 'specialty' })
    statusChanges.push({
      id: key('status', 0),
      expert_id: id,
      from_status: null,
      to_status: 'active',
      reason: '',
      changed_by: null,
      changed_at: created,
    })
    if (shape.status !== 'active') {
      statusChanges.push({
        id: key('status', 1),
        expert_id: id,
        from_status: 'active',
        to_status: shape.status,
        reason: pick(rng, STATUS_REASONS[shape.status]),
        changed_by: null,
        changed_at: `${addDays(DEMO_TODAY, -(index % 60) - 1)}T03:00:00.000Z`,
      })
    }
    if (draws.away || index === 1) {
      unavailability.push({
        id: key('away', 0),
        expert_id: id,
        start_date: addDays(DEMO_TODAY, 14),
        end_date: addDays(DEMO_TODAY, 49),
        reason: '出差',
        entered_by: index === 1 ? 'expert' : 'staff',
        created_by: null,
        created_at: created,
      })
    }
    if (draws.conflict || index === 0) {
      conflicts.push({
        id: key('conflict', 0),
        expert_id: id,
        kind: 'organisation',
        name: index === 0 ? '北京市海淀区某科技有限公司' : draws.conflictWith,
        org_id: null,
        id_number_hash: null,
        id_number_masked: null,
        note: '曾担任该单位法律顾问',
        start_date: '2023-01-01',
        end_date: null,
        declared_by: 'expert',
        created_by: null,
        created_at: created,
      })
    }
    // Recommendations upward in every state: one waiting at 北京市, one accepted, one declined.
    if (shape.tier === 'district' && shape.status === 'active' && index > 0 && !pendingMade && shape.regionCode === '110108') {
      pendingMade = true
      recommendations.push({
        id: key('recommendation', 0),
        expert_id: id,
        from_tier: 'district',
        from_region_code: shape.regionCode,
        to_tier: 'municipal',
        to_region_code: BEIJING,
        reason: '近三年参与重大疑难纠纷调解咨询二十余次，当事人满意度高，推荐纳入市级专家库。',
        status: 'pending',
        decision_reason: null,
        recommended_by: null,
        recommended_at: `${addDays(DEMO_TODAY, -7)}T02:00:00.000Z`,
        decided_by: null,
        decided_at: null,
        pending_key: id,
        version: 1,
      })
    }
    if (shape.tier === 'municipal' && index % 9 === 1) {
      recommendations.push({
        id: key('recommendation', 0),
        expert_id: id,
        from_tier: 'district',
        from_region_code: '110105',
        to_tier: 'municipal',
        to_region_code: BEIJING,
        reason: '在朝阳区专家库表现突出，推荐至市级。',
        status: 'accepted',
        decision_reason: '同意纳入市级专家库。',
        recommended_by: null,
        recommended_at: `${termStart}T02:00:00.000Z`,
        decided_by: null,
        decided_at: `${termStart}T06:00:00.000Z`,
        pending_key: null,
        version: 2,
      })
    }
    if (shape.tier === 'district' && shape.regionCode === '110105' && index % 8 === 3) {
      recommendations.push({
        id: key('recommendation', 0),
        expert_id: id,
        from_tier: 'district',
        from_region_code: '110105',
        to_tier: 'municipal',
        to_region_code: BEIJING,
        reason: '推荐至市级专家库。',
        status: 'declined',
        decision_reason: '本年度市级专家库名额已满，下一年度再议。',
        recommended_by: null,
        recommended_at: `${addDays(DEMO_TODAY, -90)}T02:00:00.000Z`,
        decided_by: null,
        decided_at: `${addDays(DEMO_TODAY, -60)}T02:00:00.000Z`,
        pending_key: null,
        version: 2,
      })
    }
  })

  if (!experts.length) return { experts: 0, skipped: people.length }
  await inTransaction(db, async (trx) => {
    await insertRows(trx, 'experts', experts)
    await insertRows(trx, 'expert_domains', domains)
    await insertRows(trx, 'expert_terms', terms)
    await insertRows(trx, 'expert_status_changes', statusChanges)
    await insertRows(trx, 'expert_unavailability', unavailability)
    await insertRows(trx, 'expert_conflicts', conflicts)
    await insertRows(trx, 'expert_recommendations', recommendations)
  })
  return { experts: experts.length, skipped: people.length - experts.length }
}
