/**
 * Scale data (issue 10, item 1): a municipal or provincial data set, generated deterministically
 * (seeded PRNG, ids made from the generated creation instants and the PRNG) and written in bulk.
 * `db/gen-data.ts` is the command line; tests call `generateScaleData` at the `tiny` scale.
 *
 * Rows are built with the same builders as the demo seed (buildPerson seals every ID and phone
 * number with the app's crypto helpers, buildMediator, buildUser, buildExpert) and written by a
 * `BulkWriter` that batches multi-row inserts inside transactions. Memory stays bounded at the
 * province scale because the big tables (people, training records) are streamed per batch.
 *
 * Accounts: most generated accounts wait for their set-up link (no password), like real ones;
 * the `LOAD_ACCOUNTS` (load test and benches) get the demo password, hashed once.
 */
import fs from 'node:fs'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { formatCaseNumber, orgAbbreviation } from '#app/modules/cases/model.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { isMysql } from '#db/connect.ts'
import type { Database, ExpertStatus, ExpertTier, OrgKind, Role } from '#db/schema.ts'
import { DISPUTE_TYPES } from './data/dispute-types.ts'
import { REGIONS } from './data/regions.ts'
import { DEMO_PASSWORD, mulberry32 } from './demo.ts'
import { buildExpert } from './expert-pool.ts'
import {
  type Random,
  buildMediator,
  buildOrganisation,
  buildPerson,
  buildUser,
  mediatorCardNumber,
  personRow,
  randomChineseName,
  randomMobile,
  validIdNumber,
} from './factories.ts'
import { seedReferenceData } from './reference.ts'

// ---------------------------------------------------------------------------------------------
// Scales

export interface ScaleSpec {
  /** Region codes whose districts hold the data: Beijing for a city, every reference district for a province. */
  area: 'city' | 'province'
  organisations: number
  mediators: number
  experts: number
  cases: number
  trainingRecords: number
  drillAttempts: number
  librarySubmissions: number
  /** Share of mediators with an account (the rest are registered without one). */
  accountShare: number
}

export const SCALES = {
  tiny: {
    area: 'city',
    organisations: 80,
    mediators: 400,
    experts: 60,
    cases: 120,
    trainingRecords: 3_000,
    drillAttempts: 300,
    librarySubmissions: 40,
    accountShare: 0.5,
  },
  city: {
    area: 'city',
    organisations: 7_800,
    mediators: 40_000,
    experts: 5_000,
    cases: 20_000,
    trainingRecords: 500_000,
    drillAttempts: 40_000,
    librarySubmissions: 3_000,
    accountShare: 0.5,
  },
  province: {
    area: 'province',
    organisations: 58_000,
    mediators: 300_000,
    experts: 5_000,
    cases: 60_000,
    trainingRecords: 3_000_000,
    drillAttempts: 200_000,
    librarySubmissions: 10_000,
    accountShare: 0.4,
  },
} as const satisfies Record<string, ScaleSpec>

export type ScaleName = keyof typeof SCALES

export const SCALE_SEED = 10_2026
/** The day the generated data is "as of". */
export const SCALE_TODAY = '2026-11-20'
export const LOAD_PASSWORD = DEMO_PASSWORD
const BEIJING = '110000'

// ---------------------------------------------------------------------------------------------
// Progress on stderr

export type Progress = (phase: string, done: number, total: number) => void

/** A one-line bar redrawn in place on a terminal; a line per 10 % otherwise (CI logs). */
export function stderrProgress(): Progress {
  const started = performance.now()
  let lastPhase = ''
  let lastTenth = -1
  return (phase, done, total) => {
    const fraction = total ? Math.min(1, done / total) : 1
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const width = 30
    const filled = Math.round(fraction * width)
    const line = `${phase.padEnd(20)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}  ${seconds}s`
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}`)
      if (done >= total) process.stderr.write('\n')
      return
    }
    const tenth = Math.floor(fraction * 10)
    if (phase !== lastPhase || tenth !== lastTenth) {
      process.stderr.write(`${line}\n`)
      lastPhase = phase
      lastTenth = tenth
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Bulk writing

// Kysely cannot follow a table generic through its builders; row shapes are checked where built.
type Loose = Kysely<any>

/**
 * Buffers rows per table and writes them as multi-row inserts, several statements per
 * transaction. Buffers flush in the order tables were first written, so parents (registered
 * first) reach the database before the rows that refer to them.
 */
export class BulkWriter {
  private readonly buffers = new Map<string, Record<string, unknown>[]>()
  readonly counts = new Map<string, number>()
  private buffered = 0
  private readonly maxParameters: number

  constructor(
    private readonly db: Kysely<Database>,
    /** Rows held before a flush; one flush is one transaction. */
    private readonly flushAt = 20_000,
  ) {
    // SQLite binds at most 32,766 parameters per statement; mysql2 interpolates on the client,
    // where only max_allowed_packet bounds a statement, so bigger statements cost fewer round trips.
    this.maxParameters = isMysql(db as unknown as Kysely<unknown>) ? 40_000 : 30_000
  }

  /** Fixes the flush order of tables up front (parents first), before rows of either arrive. */
  register(...tables: (keyof Database & string)[]): void {
    for (const table of tables) if (!this.buffers.has(table)) this.buffers.set(table, [])
  }

  async add<T extends keyof Database & string>(table: T, rows: readonly Database[T][] | readonly Record<string, unknown>[]): Promise<void> {
    if (!rows.length) return
    let buffer = this.buffers.get(table)
    if (!buffer) {
      buffer = []
      this.buffers.set(table, buffer)
    }
    for (const row of rows) buffer.push(row as Record<string, unknown>)
    this.buffered += rows.length
    if (this.buffered >= this.flushAt) await this.flush()
  }

  async flush(): Promise<void> {
    if (!this.buffered) return
    const work = [...this.buffers.entries()].filter(([, rows]) => rows.length)
    await this.db.transaction().execute(async (trx) => {
      for (const [table, rows] of work) {
        const size = Math.max(1, Math.floor(this.maxParameters / Object.keys(rows[0]!).length))
        for (let i = 0; i < rows.length; i += size) {
          await (trx as unknown as Loose)
            .insertInto(table)
            .values(rows.slice(i, i + size))
            .execute()
        }
      }
    })
    for (const [table, rows] of work) {
      this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length)
      rows.length = 0
    }
    this.buffered = 0
  }
}

// ---------------------------------------------------------------------------------------------
// Deterministic helpers

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A `newId()`-shaped id: a time part that grows by one millisecond per id from the generator's
 * clock, then 16 characters from the PRNG. Ids therefore sort in generation order (as if the data
 * had been imported in one go), which keeps InnoDB's clustered and person-leading indexes
 * appending instead of splitting pages at random: a city loads several times faster that way.
 */
function idFrom(ms: number, random: Random): string {
  let time = ''
  let t = ms
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time
    t = Math.floor(t / 32)
  }
  let rest = ''
  for (let i = 0; i < 16; i++) rest += CROCKFORD[Math.floor(random() * 32)]
  return time + rest
}

const DAY_MS = 86_400_000
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
const instantOn = (date: string, random: Random) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + (1 + Math.floor(random() * 10)) * 3_600_000 + Math.floor(random() * 3_600_000)).toISOString()

class Draw {
  constructor(readonly random: Random) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1))
  }
  chance(p: number): boolean {
    return this.random() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0)
    let ticket = this.random() * total
    for (const [item, weight] of items) {
      ticket -= weight
      if (ticket < 0) return item
    }
    return items.at(-1)![0]
  }
  /** A date between `from` and `to` (inclusive). */
  date(from: string, to: string): string {
    return addDays(from, this.int(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS)))
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary for names and texts

const STREET_STEMS = [
  '东风',
  '和平',
  '建设',
  '新华',
  '光明',
  '团结',
  '红旗',
  '胜利',
  '人民',
  '解放',
  '长安',
  '文化',
  '友谊',
  '前进',
  '幸福',
  '向阳',
  '朝阳',
  '永安',
  '太平',
  '安定',
  '兴华',
  '振兴',
  '民主',
  '青年',
]
const COMMUNITY_SUFFIXES = ['社区', '村', '里社区', '家园社区', '花园社区', '新村', '苑社区']
const ROADS = ['建设路', '文化路', '光明路', '和平路', '民主路', '团结路', '育新街', '安华里', '新源街', '长青路']
const ENTERPRISES = ['电力', '供水', '燃气', '建工', '钢铁', '汽车', '物流', '纺织', '热力', '地铁', '公交', '化工']
const STATIONED_AT = ['人民法院', '公安分局', '派出所', '信访办', '交通支队', '劳动人事争议仲裁院', '医院', '检察院']
const CASE_TITLES: Record<string, string> = {
  婚姻家庭: '离婚后子女抚养费纠纷',
  邻里: '加装电梯邻里纠纷',
  房屋宅基地: '宅基地界址纠纷',
  合同: '装修工程款结算纠纷',
  生产经营: '合伙经营分红纠纷',
  损害赔偿: '宠物伤人损害赔偿纠纷',
  山林土地: '承包地流转租金纠纷',
  征地拆迁: '拆迁补偿款家庭分配纠纷',
  环境污染: '餐饮油烟扰民纠纷',
  劳动争议: '工伤待遇及拖欠工资纠纷',
  消费: '预付式消费退费群体纠纷',
  医疗: '术后并发症医疗损害纠纷',
  道路交通事故: '电动自行车交通事故赔偿纠纷',
  物业: '小区物业费及公共收益纠纷',
  其他: '其他疑难纠纷',
  旅游: '团队游强制购物纠纷',
  电子商务: '网购七天无理由退货纠纷',
  知识产权: '商标使用许可费纠纷',
  保险: '重疾险理赔纠纷',
  金融: '理财产品销售纠纷',
  互联网: '网络游戏未成年人充值退款纠纷',
}
const PROFESSION_PLANS: readonly (readonly [string, string, string, string[]])[] = [
  ['law', '律师', '律师事务所', ['合同', '婚姻家庭', '劳动争议', '损害赔偿']],
  ['medicine', '主任医师', '人民医院', ['医疗']],
  ['psychology', '心理咨询师', '心理咨询中心', ['婚姻家庭', '邻里']],
  ['construction', '高级工程师', '建筑设计研究院', ['房屋宅基地', '物业', '合同']],
  ['accounting', '注册会计师', '会计师事务所', ['生产经营', '合同']],
  ['finance', '高级经济师', '银行分行', ['金融', '保险']],
  ['social_work', '社会工作师', '社会工作服务中心', ['邻里', '婚姻家庭']],
  ['intellectual_property', '专利代理师', '知识产权服务中心', ['知识产权', '互联网']],
  ['education', '教授', '大学法学院', ['合同', '消费', '其他']],
  ['insurance', '高级核保师', '保险公司', ['保险', '道路交通事故']],
]
const EXPERT_STATUSES: readonly (readonly [ExpertStatus, number])[] = [
  ['active', 0.88],
  ['suspended', 0.05],
  ['retired', 0.05],
  ['removed', 0.02],
]
const TECHNIQUES = ['倾听', '共情', '释法明理', '背靠背', '引导协商', '程序规范', '借助外力', '冷处理']
const LIB_SOURCES = ['当事人申请', '调委会主动调解', '法院委派委托', '公安移交', '信访移交']
const OUTCOMES = ['书面协议', '书面协议', '口头协议', '调解不成']
const AMOUNTS = ['无', '1万以下', '1万-10万', '10万-50万', '50万以上']
const COURSES = ['gangqian-peixun', 'tiaojie-jiqiao', 'wuye-jiufen']
const TRAINING_TITLES: readonly (readonly [
  string,
  'pre_service' | 'topic' | 'annual' | 'promotion',
  'classroom' | 'meeting' | 'hearing' | 'visit',
  number,
])[] = [
  ['新任人民调解员岗前培训班', 'pre_service', 'classroom', 240],
  ['人民调解员年度业务培训', 'annual', 'classroom', 160],
  ['婚姻家庭纠纷庭审观摩', 'topic', 'hearing', 40],
  ['以会代训：矛盾纠纷排查化解工作会', 'topic', 'meeting', 20],
  ['物业纠纷调解专题培训', 'topic', 'classroom', 60],
  ['劳动争议调解实务培训', 'topic', 'classroom', 80],
  ['优秀调委会经验交流考察', 'topic', 'visit', 40],
  ['晋级培训：疑难复杂纠纷调解', 'promotion', 'classroom', 120],
]

/** Item ids of each quiz drill under content/drills, read from the files (the drills the app serves). */
function quizItems(): Map<string, string[]> {
  const dir = path.resolve('content/drills')
  const items = new Map<string, string[]>()
  if (!fs.existsSync(dir)) return items
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('quiz-') && f.endsWith('.mdx'))) {
    const ids = [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^\s+- id: (\S+)\s*$/gm)].map((m) => m[1]!)
    if (ids.length) items.set(file.slice(0, -4), ids)
  }
  return items
}

// ---------------------------------------------------------------------------------------------
// Accounts with a known password, for the load test and the benches

export interface LoadAccount {
  username: string
  role: Role
  /** District (or city) code the account works in, for reports. */
  area: string
}

// ---------------------------------------------------------------------------------------------
// The generator

export interface GenerateOptions {
  scale: ScaleName
  progress?: Progress
  seed?: number
  /** Count multiplier on top of the scale (tests use it to go below `tiny`). */
  factor?: number
}

export interface GenerateSummary {
  scale: ScaleName
  counts: Record<string, number>
  seconds: number
  accounts: LoadAccount[]
}

interface OrgInfo {
  id: string
  name: string
  kind: OrgKind
  region: string
  district: string
  abbreviation: string
}

interface MediatorInfo {
  personId: string
  orgId: string
  district: string
  region: string
  userId: string | null
  startedOn: string
  employment: 'full_time' | 'part_time'
}

/** True when the database already holds organisations or people (generated, demo or real). */
export async function hasData(db: Kysely<Database>): Promise<boolean> {
  const org = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst()
  const person = await db.selectFrom('people').select('id').limit(1).executeTakeFirst()
  return !!org || !!person
}

export async function generateScaleData(db: Kysely<Database>, options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now()
  const spec: ScaleSpec = SCALES[options.scale]
  const factor = options.factor ?? 1
  const n = (value: number) => Math.max(1, Math.round(value * factor))
  const progress: Progress = options.progress ?? (() => {})
  const draw = new Draw(mulberry32(options.seed ?? SCALE_SEED))
  const random = draw.random
  const writer = new BulkWriter(db)
  let clock = Date.parse('2026-01-05T00:00:00.000Z')
  const nextId = () => idFrom(clock++, random)
  const created = '2026-01-05T02:00:00.000Z'

  await seedReferenceData(db)

  // ------------------------------------------------------------------ regions
  const districts = REGIONS.filter((r) => r.level === 'district' && (spec.area === 'province' || r.parent === BEIJING))
  const townshipsOf = new Map<string, string[]>()
  for (const r of REGIONS.filter((r) => r.level === 'township')) {
    const list = townshipsOf.get(r.code.slice(0, 6)) ?? []
    list.push(r.code)
    townshipsOf.set(r.code.slice(0, 6), list)
  }
  const regionName = new Map(REGIONS.map((r) => [r.code, r.name]))
  const cityOf = (district: string) => REGIONS.find((r) => r.code === district)?.parent ?? BEIJING
  const cities = [...new Set(districts.map((d) => cityOf(d.code)))]

  // ------------------------------------------------------------------ organisations
  const orgs: OrgInfo[] = []
  const usedNames = new Set<string>()
  const usedAbbreviations = new Set<string>()
  const orgTotal = n(spec.organisations)
  const addOrg = async (name: string, kind: OrgKind, region: string, parentId: string | null, sector: string | null = null) => {
    let unique = name
    for (let k = 2; usedNames.has(unique); k++) {
      unique = name.replace(/(人民调解委员会|司法所|调解工作室)$/, `第${k}$1`)
      if (unique === name) unique = `${name}（${k}）`
    }
    usedNames.add(unique)
    const at = created
    const row = buildOrganisation({
      id: nextId(),
      name: unique,
      kind,
      sector_code: sector,
      region_code: region,
      parent_id: parentId,
      address: `${regionName.get(region.slice(0, 6)) ?? ''}${draw.pick(ROADS)}${draw.int(1, 299)}号`,
      contact_phone: `010-${draw.pick(['5', '6', '8'])}${String(draw.int(0, 9_999_999)).padStart(7, '0')}`,
      created_at: at,
    })
    // Case numbers are unique across the database: make each committee's abbreviation unique.
    let abbreviation = orgAbbreviation(regionName.get(region.slice(0, 6)) ?? '', unique)
    for (let k = 2; usedAbbreviations.has(abbreviation); k++) abbreviation = `${abbreviation.replace(/\d+$/, '')}${k}`
    usedAbbreviations.add(abbreviation)
    const info: OrgInfo = { id: row.id, name: unique, kind, region, district: region.slice(0, 6), abbreviation }
    orgs.push(info)
    await writer.add('organisations', [row])
    if (orgs.length % 200 === 0) progress('organisations', orgs.length, orgTotal)
    return info
  }
  const bureaus = new Map<string, OrgInfo>()
  const associations = new Map<string, OrgInfo>()
  for (const city of cities) {
    const name = regionName.get(city) ?? city
    bureaus.set(city, await addOrg(`${name}司法局`, 'justice_bureau', city, null))
    associations.set(city, await addOrg(`${name.replace(/[市省]$/, '')}人民调解协会`, 'association', city, bureaus.get(city)!.id))
  }
  for (const d of districts) {
    bureaus.set(d.code, await addOrg(`${d.name}司法局`, 'justice_bureau', d.code, bureaus.get(cityOf(d.code))?.id ?? null))
    associations.set(d.code, await addOrg(`${d.name}人民调解协会`, 'association', d.code, bureaus.get(d.code)!.id))
  }
  // About one justice office per 24 committees, spread evenly over the districts.
  const officesPerDistrict = Math.max(1, Math.round(orgTotal / 24 / districts.length))
  const offices: OrgInfo[] = []
  for (const d of districts) {
    const towns = townshipsOf.get(d.code) ?? []
    for (let i = 0; i < officesPerDistrict; i++) {
      const region = towns.length ? towns[i % towns.length]! : d.code
      const stem = i < towns.length ? (regionName.get(region) ?? '').replace(/(街道|地区|民族乡|乡|镇)$/, '') : draw.pick(STREET_STEMS)
      offices.push(await addOrg(`${d.name}司法局${stem}司法所`, 'justice_office', region, bureaus.get(d.code)!.id))
    }
  }
  const committees: OrgInfo[] = []
  for (const office of offices)
    committees.push(
      await addOrg(
        `${regionName.get(office.district)}${office.name.replace(/^.*司法局/, '').replace(/司法所$/, '')}人民调解委员会`,
        'committee_township',
        office.region,
        office.id,
      ),
    )
  const sectorCodes = DISPUTE_TYPES.filter(
    (t) => t.category === 'sector' || ['医疗', '道路交通事故', '物业', '劳动争议', '消费'].includes(t.code),
  ).map((t) => t.code)
  const plan: [OrgKind, number][] = [
    ['committee_enterprise', 0.04],
    ['committee_sector', 0.03],
    ['committee_stationed', 0.04],
    ['studio', 0.015],
  ]
  for (const [kind, share] of plan) {
    const count = Math.max(1, Math.round(orgTotal * share))
    for (let i = 0; i < count; i++) {
      const d = districts[i % districts.length]!
      const office = offices[(i * 7) % offices.length]!
      if (kind === 'committee_enterprise')
        committees.push(
          await addOrg(
            `${d.name}${draw.pick(STREET_STEMS)}${draw.pick(ENTERPRISES)}公司人民调解委员会`,
            kind,
            d.code,
            bureaus.get(d.code)!.id,
          ),
        )
      else if (kind === 'committee_sector') {
        const sector = draw.pick(sectorCodes)
        committees.push(await addOrg(`${d.name}${sector}纠纷人民调解委员会`, kind, d.code, bureaus.get(d.code)!.id, sector))
      } else if (kind === 'committee_stationed')
        committees.push(await addOrg(`${d.name}${draw.pick(STATIONED_AT)}派驻人民调解工作室`, kind, d.code, bureaus.get(d.code)!.id))
      else {
        const surname = randomChineseName(random, 'male', 1965).slice(0, 1)
        committees.push(await addOrg(`${surname}${draw.pick(['大姐', '大哥', '老师'])}个人调解工作室`, kind, office.region, office.id))
      }
    }
  }
  while (orgs.length < orgTotal) {
    const office = offices[orgs.length % offices.length]!
    const name = `${regionName.get(office.district)}${draw.pick(STREET_STEMS)}${draw.pick(COMMUNITY_SUFFIXES)}人民调解委员会`
    committees.push(await addOrg(name, 'committee_village', office.region, office.id))
  }
  await writer.flush()
  progress('organisations', orgs.length, orgTotal)

  // ------------------------------------------------------------------ people, mediators, accounts
  const usedIdKeys = new Set<string>()
  const idNumber = (district: string, birthDate: string, gender: 'male' | 'female') => {
    for (;;) {
      const seq = draw.int(0, 499)
      const key = `${district}${birthDate}${seq}${gender}`
      if (usedIdKeys.has(key)) continue
      usedIdKeys.add(key)
      return validIdNumber(district, birthDate, seq, gender)
    }
  }
  const birthDateForAge = (age: number) => draw.date(`${2026 - age - 1}-11-21`, `${2026 - age}-11-20`)
  const mediators: MediatorInfo[] = []
  const mediatorTotal = n(spec.mediators)
  // Committees of the larger kinds have more members.
  const weightOf: Partial<Record<OrgKind, number>> = {
    committee_township: 12,
    committee_sector: 9,
    committee_stationed: 5,
    committee_enterprise: 5,
    studio: 2,
    committee_village: 4,
  }
  const cumulative: number[] = []
  let weightSum = 0
  for (const c of committees) {
    weightSum += weightOf[c.kind] ?? 4
    cumulative.push(weightSum)
  }
  const committeeFor = (i: number): OrgInfo => {
    // The first pass gives every committee a member; the rest follow the weights.
    if (i < committees.length) return committees[i]!
    const ticket = random() * weightSum
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! > ticket) hi = mid
      else lo = mid + 1
    }
    return committees[lo]!
  }
  const cardSerials = new Map<string, number>()
  let accountSerial = 0
  for (let i = 0; i < mediatorTotal; i++) {
    const org = committeeFor(i)
    const gender = draw.chance(0.52) ? 'male' : 'female'
    const age = 28 + Math.floor(41 * Math.sqrt(random()))
    const birthDate = birthDateForAge(age)
    const at = instantOn(draw.date('2020-01-01', '2026-06-30'), random)
    const person = buildPerson(
      {
        id: nextId(),
        name: randomChineseName(random, gender, Number(birthDate.slice(0, 4))),
        gender,
        birth_date: birthDate,
        idNumber: idNumber(org.district, birthDate, gender),
        phone: randomMobile(random),
        region_code: org.region,
        org_id: org.id,
        created_at: at,
      },
      random,
    )
    const startedOn = draw.date([`${Number(birthDate.slice(0, 4)) + 23}-01-01`, '2000-01-01'].sort().at(-1)!, '2026-06-30')
    // The card number shows digits 3-6 of the district code: count serials per those digits.
    const cardKey = org.district.slice(2, 6)
    const serial = (cardSerials.get(cardKey) ?? 0) + 1
    cardSerials.set(cardKey, serial)
    const employment = draw.chance(org.kind === 'committee_township' || org.kind === 'committee_sector' ? 0.5 : 0.1)
      ? 'full_time'
      : 'part_time'
    const mediator = buildMediator({
      person_id: person.id,
      org_id: org.id,
      employment,
      card_number: mediatorCardNumber(org.district, Number(startedOn.slice(0, 4)), serial),
      started_on: startedOn,
      status: draw.chance(0.03) ? 'inactive' : 'active',
      created_at: at,
    })
    const withAccount = draw.chance(spec.accountShare)
    let userId: string | null = null
    if (withAccount) {
      const username = `m${String(++accountSerial).padStart(6, '0')}`
      const built = buildUser(
        {
          id: nextId(),
          username,
          displayName: person.name,
          personId: person.id,
          roles: [{ role: 'mediator', id: nextId() }],
          createdAt: at,
        },
        null,
      )
      userId = built.user.id
      await writer.add('people', [personRow(person)])
      await writer.add('mediators', [mediator])
      await writer.add('users', [built.user])
      await writer.add('role_grants', built.grants)
    } else {
      await writer.add('people', [personRow(person)])
      await writer.add('mediators', [mediator])
    }
    mediators.push({ personId: person.id, orgId: org.id, district: org.district, region: org.region, userId, startedOn, employment })
    if (i % 500 === 0) progress('mediators', i, mediatorTotal)
  }
  await writer.flush()
  progress('mediators', mediatorTotal, mediatorTotal)

  // ------------------------------------------------------------------ experts
  const expertTotal = n(spec.experts)
  const experts: { personId: string; max: number; active: boolean; region: string | null; primary: string[] }[] = []
  for (let i = 0; i < expertTotal; i++) {
    const tier: ExpertTier = draw.weighted<ExpertTier>([
      ['district', 0.65],
      ['municipal', 0.25],
      ['provincial', 0.08],
      ['national', 0.02],
    ])
    const district = draw.pick(districts).code
    const region =
      tier === 'district'
        ? district
        : tier === 'municipal'
          ? cityOf(district)
          : tier === 'provincial'
            ? cityOf(district).slice(0, 2) + '0000'
            : null
    const [profession, title, employer, types] = draw.pick(PROFESSION_PLANS)
    const gender = draw.chance(0.55) ? 'male' : 'female'
    const birthDate = birthDateForAge(draw.int(35, 68))
    const at = instantOn(draw.date('2021-01-01', '2026-06-30'), random)
    const termStart = draw.date('2022-01-01', '2026-06-30')
    const name = randomChineseName(random, gender, Number(birthDate.slice(0, 4)))
    const primary = [draw.pick(types)]
    const secondary = types.filter((t) => !primary.includes(t)).slice(0, draw.int(0, 2))
    const status = draw.weighted(EXPERT_STATUSES)
    const built = buildExpert(
      {
        tier,
        region_code: region,
        name,
        person: {
          id: nextId(),
          name,
          gender,
          birth_date: birthDate,
          idNumber: idNumber(district, birthDate, gender),
          phone: randomMobile(random),
          region_code: region ?? district,
          created_at: at,
        },
        status,
        title,
        employer: `${regionName.get(district) ?? ''}${draw.pick(STREET_STEMS)}${employer}`,
        professions: JSON.stringify([profession]),
        appointing_org_id: region ? (bureaus.get(region)?.id ?? null) : null,
        term_start: termStart,
        term_end: addDays(`${Number(termStart.slice(0, 4)) + 5}${termStart.slice(4)}`, -1),
        primary,
        secondary,
        max_concurrent_cases: draw.int(2, 5),
        created_at: at,
      },
      random,
    )
    built.term.id = nextId()
    built.admission.id = nextId()
    await writer.add('people', [personRow(built.person!)])
    await writer.add('experts', [built.expert])
    await writer.add('expert_domains', built.domains)
    await writer.add('expert_terms', [built.term])
    await writer.add('expert_status_changes', [built.admission])
    experts.push({ personId: built.expert.person_id, max: built.expert.max_concurrent_cases, active: status === 'active', region, primary })
    if (i % 250 === 0) progress('experts', i, expertTotal)
  }
  await writer.flush()
  progress('experts', expertTotal, expertTotal)

  // ------------------------------------------------------------------ load-test accounts
  const passwordHash = await hashPassword(LOAD_PASSWORD)
  const accounts: LoadAccount[] = []
  const addAccount = async (
    username: string,
    role: Role,
    area: string,
    grant: { regionCode?: string; orgId?: string },
    personId: string | null = null,
  ) => {
    const built = buildUser(
      { id: nextId(), username, displayName: username, personId, roles: [{ role, id: nextId(), ...grant }], createdAt: created },
      passwordHash,
    )
    await writer.add('users', [built.user])
    await writer.add('role_grants', built.grants)
    accounts.push({ username, role, area })
  }
  const mainCity = cities[0]!
  await addAccount('load.admin', 'admin', mainCity, {})
  await addAccount('load.city.staff', 'bureau_staff', mainCity, { regionCode: mainCity })
  await addAccount('load.reviewer', 'reviewer', mainCity, { regionCode: mainCity })
  await addAccount('load.city.assoc', 'association_admin', mainCity, { orgId: associations.get(mainCity)!.id })
  const loadDistricts = districts.slice(0, 4)
  for (const d of loadDistricts) {
    await addAccount(`load.staff.${d.code}`, 'bureau_staff', d.code, { regionCode: d.code })
    await addAccount(`load.assoc.${d.code}`, 'association_admin', d.code, { orgId: associations.get(d.code)!.id })
    const committee = committees.find((c) => c.district === d.code && c.kind === 'committee_township')
    if (committee) await addAccount(`load.org.${d.code}`, 'org_manager', d.code, { orgId: committee.id })
  }
  // Mediators with a person and an organisation: the mediators who own generated accounts
  // already have one, so these get their own people without accounts.
  const unaccounted = mediators.filter((m) => !m.userId)
  for (let i = 0; i < Math.min(8, unaccounted.length); i++) {
    const m = unaccounted[Math.floor((i * unaccounted.length) / 8)]!
    await addAccount(`load.mediator.${i + 1}`, 'mediator', m.district, {}, m.personId)
  }
  const activeExperts = experts.filter((e) => e.active)
  for (let i = 0; i < Math.min(4, activeExperts.length); i++)
    await addAccount(`load.expert.${i + 1}`, 'expert', activeExperts[i]!.region ?? mainCity, {}, activeExperts[i]!.personId)
  await writer.flush()

  // ------------------------------------------------------------------ difficult cases and consultations
  const caseTotal = n(spec.cases)
  const caseSeq = new Map<string, number>()
  const load = new Map<
    string,
    { active: number; completed: number; ratings: number; ratingSum: number; hours: number; last: string | null }
  >()
  const loadOf = (id: string) => {
    let l = load.get(id)
    if (!l) {
      l = { active: 0, completed: 0, ratings: 0, ratingSum: 0, hours: 0, last: null }
      load.set(id, l)
    }
    return l
  }
  const expertsByType = new Map<string, typeof activeExperts>()
  for (const e of activeExperts)
    for (const t of e.primary) {
      const list = expertsByType.get(t) ?? []
      list.push(e)
      expertsByType.set(t, list)
    }
  const caseCommittees = committees.filter((c) => c.kind !== 'studio')
  const types = DISPUTE_TYPES.map((t) => t.code)
  for (let i = 0; i < caseTotal; i++) {
    const org = draw.pick(caseCommittees)
    const year = draw.weighted([
      [2024, 0.25],
      [2025, 0.4],
      [2026, 0.35],
    ] as const)
    const registeredOn = year === 2026 ? draw.date('2026-01-02', '2026-11-18') : draw.date(`${year}-01-02`, `${year}-12-28`)
    const registered = instantOn(registeredOn, random)
    const open = year === 2026 && registeredOn > '2026-09-01'
    const status = open
      ? draw.weighted([
          ['registered', 0.15],
          ['accepted', 0.3],
          ['mediating', 0.2],
          ['consulting', 0.35],
        ] as const)
      : draw.weighted([
          ['succeeded', 0.15],
          ['failed', 0.05],
          ['closed', 0.3],
          ['archived', 0.5],
        ] as const)
    const type = draw.chance(0.7)
      ? draw.pick(['婚姻家庭', '邻里', '合同', '劳动争议', '物业', '损害赔偿', '道路交通事故', '医疗', '消费'])
      : draw.pick(types)
    const seq = (caseSeq.get(`${org.id}:${year}`) ?? 0) + 1
    caseSeq.set(`${org.id}:${year}`, seq)
    const id = nextId()
    const consulted = status !== 'registered' && status !== 'accepted' && status !== 'mediating'
    const needed = draw.chance(0.25) ? 2 : 1
    const pool = (expertsByType.get(type) ?? activeExperts).filter((e) => loadOf(e.personId).active < e.max || !open)
    const chosen: typeof activeExperts = []
    if (consulted)
      for (let k = 0; k < needed && pool.length; k++) {
        const e = draw.pick(pool)
        if (!chosen.includes(e)) chosen.push(e)
      }
    const concluded = !open
    const deadline = addDays(registeredOn, 45)
    await writer.add('cases', [
      {
        id,
        case_number: formatCaseNumber(year, org.abbreviation, seq),
        org_id: org.id,
        case_year: year,
        case_seq: seq,
        title: CASE_TITLES[type] ?? '疑难纠纷',
        summary: `双方因${CASE_TITLES[type] ?? '纠纷'}发生争议，经初步调解未果，涉及专业问题，申请专家提供咨询意见。`,
        dispute_type_code: type,
        domains: '[]',
        region_code: org.region,
        source: draw.pick(['party', 'committee', 'court', 'police', 'petition', 'procuratorate', 'other'] as const),
        difficulty: draw.weighted([
          ['complex', 0.6],
          ['major', 0.15],
          ['ordinary', 0.25],
        ] as const),
        amount_fen: draw.chance(0.8) ? draw.int(5, 5000) * 100_000 : null,
        party_count: draw.int(2, 4),
        experts_needed: needed,
        experts_assigned: chosen.length,
        requirements: '[]',
        requires_outside_region: 0,
        consultation_mode: draw.pick(['written', 'joining', 'remote'] as const),
        period_start: registeredOn,
        period_end: addDays(registeredOn, 60),
        deadline,
        status,
        registered_at: registered,
        accepted_at: status === 'registered' ? null : registered,
        mediation_started_at: ['registered', 'accepted'].includes(status) ? null : registered,
        concluded_at: concluded ? instantOn(addDays(registeredOn, draw.int(10, 40)), random) : null,
        closed_at: status === 'closed' || status === 'archived' ? instantOn(addDays(registeredOn, 50), random) : null,
        archived_at: status === 'archived' ? instantOn(addDays(registeredOn, 70), random) : null,
        outcome_note: concluded ? (status === 'failed' ? '调解不成，引导当事人诉讼。' : '达成书面调解协议并履行。') : null,
        version: 1,
        created_by: null,
        created_at: registered,
        updated_at: registered,
      },
    ])
    const gender = draw.chance(0.5) ? 'male' : 'female'
    const partyBirth = birthDateForAge(draw.int(22, 75))
    const sealed = buildPerson({ idNumber: idNumber(org.district, partyBirth, gender), phone: null, created_at: registered }, random)
    await writer.add('case_parties', [
      {
        id: nextId(),
        case_id: id,
        kind: 'person',
        name: `${randomChineseName(random, gender, 1980).slice(0, 1)}某`,
        org_id: null,
        id_number_enc: sealed.id_number_enc,
        id_number_hash: sealed.id_number_hash,
        id_number_masked: sealed.id_number_masked,
        sort: 0,
      },
      {
        id: nextId(),
        case_id: id,
        kind: 'organisation',
        name: `${regionName.get(org.district) ?? ''}某${draw.pick(['物业管理', '装饰工程', '科技', '商贸'])}有限公司`,
        org_id: null,
        id_number_enc: null,
        id_number_hash: null,
        id_number_masked: null,
        sort: 1,
      },
    ])
    for (const e of chosen) {
      const l = loadOf(e.personId)
      const done = concluded
      const rated = done && draw.chance(0.7)
      const hours = done ? draw.int(10, 80) : null
      const rating = rated ? draw.int(3, 5) : null
      if (done) {
        l.completed++
        l.hours += hours ?? 0
        if (rating) {
          l.ratings++
          l.ratingSum += rating
        }
      } else l.active++
      if (!l.last || registeredOn > l.last) l.last = registeredOn
      await writer.add('case_consultations', [
        {
          id: nextId(),
          case_id: id,
          expert_id: e.personId,
          status: done ? (rated ? 'rated' : 'submitted') : draw.chance(0.5) ? 'accepted' : 'invited',
          source: draw.pick(['recommended', 'recommended', 'search', 'batch'] as const),
          override_reason: null,
          mode: 'written',
          deadline,
          score_total: null,
          score_components: null,
          config_version: 1,
          invited_by: null,
          invited_at: registered,
          responded_at: done ? registered : null,
          decline_reason: null,
          opinion_issues: done ? '争议焦点在于责任划分及赔偿数额。' : null,
          opinion_analysis: done ? '结合行业规范和相关法律规定，双方均有一定责任。' : null,
          opinion_resolution: done ? '建议按责任比例分担，分期履行。' : null,
          opinion_legal_basis: done ? '《中华人民共和国民法典》相关规定' : null,
          hours_tenths: hours,
          submitted_at: done ? instantOn(addDays(registeredOn, 20), random) : null,
          rating,
          rating_comment: rated ? '意见专业，对调解帮助较大。' : null,
          rated_by: null,
          rated_at: rated ? instantOn(addDays(registeredOn, 30), random) : null,
          version: 1,
        },
      ])
    }
    if (i % 500 === 0) progress('cases', i, caseTotal)
  }
  await writer.add(
    'expert_loads',
    [...load.entries()].map(([expert_id, l]) => ({
      expert_id,
      active_count: l.active,
      completed_count: l.completed,
      rating_count: l.ratings,
      rating_sum: l.ratingSum,
      hours_tenths: l.hours,
      last_assigned_on: l.last,
      updated_at: created,
    })),
  )
  await writer.flush()
  progress('cases', caseTotal, caseTotal)

  // ------------------------------------------------------------------ training sessions and records
  const sessionsPerDistrict = Math.max(2, Math.round(n(spec.trainingRecords) / 400 / districts.length))
  const sessions: {
    id: string
    title: string
    kind: (typeof TRAINING_TITLES)[number][1]
    format: (typeof TRAINING_TITLES)[number][2]
    hours: number
    on: string
    district: string
    organiser: string
  }[] = []
  for (const d of districts) {
    for (let i = 0; i < sessionsPerDistrict; i++) {
      const [title, kind, format, hours] = draw.pick(TRAINING_TITLES)
      const on = draw.date('2022-03-01', '2026-11-10')
      const at = instantOn(addDays(on, -20), random)
      const session = {
        id: nextId(),
        title: `${on.slice(0, 4)}年${d.name}${title}`,
        kind,
        format,
        hours,
        on,
        district: d.code,
        organiser: `${d.name}司法局`,
      }
      sessions.push(session)
      await writer.add('training_sessions', [
        {
          id: session.id,
          title: session.title,
          kind,
          format,
          organiser: session.organiser,
          organiser_level: 'district',
          region_code: d.code,
          org_id: null,
          start_date: on,
          end_date: addDays(on, Math.max(0, Math.ceil(hours / 80) - 1)),
          hours_tenths: hours,
          trainer: randomChineseName(random, 'female', 1975),
          location: `${d.name}司法局培训中心`,
          version: 1,
          created_by: null,
          created_at: at,
          updated_at: at,
        },
      ])
    }
  }
  const sessionsByDistrict = new Map<string, typeof sessions>()
  for (const s of sessions) sessionsByDistrict.set(s.district, [...(sessionsByDistrict.get(s.district) ?? []), s])
  const trainingTotal = n(spec.trainingRecords)
  let trainingDone = 0
  const perMediator = trainingTotal / mediators.length
  // One pass over the mediators gives each about the average; if the draws fall short of the
  // total, further passes add external records (unique by id) until it is reached.
  for (let step = 0; trainingDone < trainingTotal; step++) {
    const m = step % mediators.length
    const topUp = step >= mediators.length
    const mediator = mediators[m]!
    const want = Math.min(trainingTotal - trainingDone, topUp ? 1 : Math.max(0, Math.round(perMediator + (random() - 0.5) * 4)))
    const district = sessionsByDistrict.get(mediator.district) ?? sessions
    const used = new Set<string>()
    const rows = []
    for (let k = 0; k < want; k++) {
      const kindRoll = topUp ? 1 : random()
      const course = COURSES[k % COURSES.length]!
      const onlineKey = `online:${mediator.personId}:${course}`
      const s = draw.pick(district)
      const sessionKey = `session:${s.id}:${mediator.personId}`
      // A course or session already credited to this mediator becomes an external record instead.
      if (kindRoll < 0.1 && mediator.userId && !used.has(onlineKey)) {
        const key = onlineKey
        used.add(key)
        const on = draw.date('2024-01-01', '2026-11-15')
        rows.push({
          id: nextId(),
          person_id: mediator.personId,
          source: 'online' as const,
          completion_key: key,
          course_slug: course,
          session_id: null,
          title: course === 'gangqian-peixun' ? '人民调解员岗前培训' : course === 'tiaojie-jiqiao' ? '调解技巧' : '物业纠纷调解',
          kind: course === 'gangqian-peixun' ? ('pre_service' as const) : ('topic' as const),
          format: 'online' as const,
          organiser: '天解在线培训',
          hours_tenths: 60,
          year: Number(on.slice(0, 4)),
          completed_on: on,
          assessment: null,
          status: 'approved' as const,
          created_at: instantOn(on, random),
          created_by: null,
        })
      } else if (kindRoll < 0.9 && !used.has(sessionKey)) {
        const key = sessionKey
        used.add(key)
        rows.push({
          id: nextId(),
          person_id: mediator.personId,
          source: 'offline' as const,
          completion_key: key,
          course_slug: null,
          session_id: s.id,
          title: s.title,
          kind: s.kind,
          format: s.format,
          organiser: s.organiser,
          hours_tenths: s.hours,
          year: Number(s.on.slice(0, 4)),
          completed_on: s.on,
          assessment: s.kind === 'pre_service' ? '合格' : null,
          status: 'approved' as const,
          created_at: instantOn(s.on, random),
          created_by: null,
        })
      } else {
        const on = draw.date('2022-01-01', '2026-11-15')
        const at = instantOn(on, random)
        const id = nextId()
        rows.push({
          id,
          person_id: mediator.personId,
          source: 'external' as const,
          completion_key: `external:${id}`,
          course_slug: null,
          session_id: null,
          title: draw.pick(['法院组织的诉调对接培训', '市妇联婚姻家庭纠纷调解培训', '律师协会民法典专题讲座', '心理疏导技能培训']),
          kind: 'topic' as const,
          format: draw.pick(['classroom', 'meeting', 'visit'] as const),
          organiser: draw.pick(['区人民法院', '市妇联', '市律师协会', '区卫健委']),
          hours_tenths: draw.pick([20, 40, 60, 80]),
          year: Number(on.slice(0, 4)),
          completed_on: on,
          assessment: null,
          status: on > '2026-10-01' ? ('pending' as const) : draw.chance(0.95) ? ('approved' as const) : ('rejected' as const),
          created_at: at,
          created_by: mediator.userId,
        })
      }
    }
    await writer.add('training_records', rows)
    trainingDone += rows.length
    if (m % 500 === 0) progress('training records', trainingDone, trainingTotal)
  }
  await writer.flush()
  progress('training records', trainingDone, trainingDone)

  // ------------------------------------------------------------------ drill attempts
  const quizzes = [...quizItems().entries()]
  const withAccounts = mediators.filter((m) => m.userId)
  const drillTotal = quizzes.length && withAccounts.length ? n(spec.drillAttempts) : 0
  const attemptNo = new Map<string, number>()
  for (let i = 0; i < drillTotal; i++) {
    const m = withAccounts[Math.floor(random() * withAccounts.length)]!
    const [slug, items] = draw.pick(quizzes)
    const key = `${m.personId}:${slug}`
    const no = (attemptNo.get(key) ?? 0) + 1
    if (no > 3) continue
    attemptNo.set(key, no)
    const drawn = [...items].sort(() => random() - 0.5).slice(0, Math.min(10, items.length))
    const correct = Object.fromEntries(drawn.map((id) => [id, random() < 0.78]))
    const score = Object.values(correct).filter(Boolean).length
    const percent = Math.round((score / drawn.length) * 100)
    const startedAt = instantOn(draw.date('2025-01-01', '2026-11-15'), random)
    const spent = draw.int(300, 1500)
    const submittedAt = new Date(Date.parse(startedAt) + spent * 1000).toISOString()
    await writer.add('drill_attempts', [
      {
        id: nextId(),
        drill_slug: slug,
        kind: 'quiz',
        person_id: m.personId,
        user_id: m.userId,
        event_id: null,
        org_id: m.orgId,
        region_code: m.region,
        attempt_no: no,
        status: 'graded',
        revision: 0,
        seed: String(Math.floor(random() * 2 ** 31)),
        items: JSON.stringify(drawn),
        answers: '{}',
        result: JSON.stringify({ score, maxScore: drawn.length, percent, passed: percent >= 60, correct }),
        score: percent,
        passed: percent >= 60 ? 1 : 0,
        started_at: startedAt,
        last_seen_at: submittedAt,
        deadline_at: null,
        submitted_at: submittedAt,
        graded_at: submittedAt,
        time_spent_seconds: spent,
        version: 1,
      },
    ])
    if (i % 1000 === 0) progress('drill attempts', i, drillTotal)
  }
  await writer.flush()
  progress('drill attempts', drillTotal, drillTotal)

  // ------------------------------------------------------------------ library submissions
  const reviewer = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'load.reviewer').executeTakeFirst()
  const libraryTotal = withAccounts.length ? n(spec.librarySubmissions) : 0
  for (let i = 0; i < libraryTotal; i++) {
    const m = withAccounts[Math.floor(random() * withAccounts.length)]!
    const type = draw.pick(Object.keys(CASE_TITLES))
    const status = draw.weighted([
      ['accepted', 0.6],
      ['submitted', 0.2],
      ['returned', 0.1],
      ['draft', 0.1],
    ] as const)
    const at = instantOn(draw.date('2024-03-01', '2026-11-10'), random)
    const id = nextId()
    const street = draw.pick(STREET_STEMS)
    const title = `${street}${draw.pick(COMMUNITY_SUFFIXES)}${CASE_TITLES[type]}的化解（${i + 1}）`
    const techniques = [...TECHNIQUES].sort(() => random() - 0.5).slice(0, 2)
    const sections = {
      summary: `${CASE_TITLES[type]}，调解员${techniques.join('、')}，促成双方和解。`,
      facts: `${street}一带居民因${CASE_TITLES[type]}产生矛盾，多次协商未果，向人民调解委员会申请调解。`,
      process: `调解员分别听取双方意见，运用${techniques.join('和')}的方法，讲清相关法律规定，并邀请有关部门共同参与。`,
      result: '双方达成书面调解协议，约定履行方式和期限，当场签字。',
      commentary: '本案调解员把握情理法的结合，方法得当，对同类纠纷有借鉴意义。',
    }
    const row = {
      id,
      author_user_id: m.userId!,
      author_person_id: m.personId,
      org_id: m.orgId,
      scope_region_code: m.region,
      title,
      dispute_type: type,
      domains: JSON.stringify([type]),
      region_code: m.district,
      year: Number(at.slice(0, 4)),
      source: draw.pick(LIB_SOURCES),
      outcome: draw.pick(OUTCOMES),
      amount_range: draw.pick(AMOUNTS),
      techniques: JSON.stringify(techniques),
      legal_basis: JSON.stringify(['民法典第288条']),
      tags: JSON.stringify([street, type]),
      ...sections,
      status,
      revision: status === 'draft' ? 0 : status === 'returned' ? 1 : draw.int(1, 2),
      version: 1,
      submitted_at: status === 'draft' ? null : at,
      accepted_at: status === 'accepted' ? at : null,
      accepted_by: status === 'accepted' ? (reviewer?.id ?? null) : null,
      created_at: at,
      updated_at: at,
    }
    await writer.add('library_submissions', [row])
    for (let r = 1; r <= row.revision; r++)
      await writer.add('library_submission_versions', [
        {
          id: nextId(),
          submission_id: id,
          revision: r,
          snapshot: JSON.stringify({ title, ...sections }),
          created_by: m.userId!,
          created_at: at,
        },
      ])
    if (reviewer && (status === 'accepted' || status === 'returned')) {
      const scores = {
        truthfulness: draw.int(3, 5),
        typicality: draw.int(3, 5),
        procedure: draw.int(3, 5),
        novelty: draw.int(2, 5),
        readability: draw.int(3, 5),
        exemplary: draw.int(3, 5),
      }
      await writer.add('library_reviews', [
        {
          id: nextId(),
          submission_id: id,
          revision: row.revision,
          reviewer_user_id: reviewer.id,
          reviewer_name: reviewer.display_name,
          decision: status === 'accepted' ? 'accept' : 'return',
          scores: JSON.stringify(scores),
          total: Object.values(scores).reduce((s, v) => s + v, 0),
          comments: status === 'accepted' ? '事实清楚，方法得当，同意入库。' : '请补充调解过程中的关键对话。',
          created_at: at,
        },
      ])
    }
    if (i % 200 === 0) progress('library', i, libraryTotal)
  }
  await writer.flush()
  progress('library', libraryTotal, libraryTotal)

  // ------------------------------------------------------------------ case statistics and grades
  const adminUser = await db.selectFrom('users').select('id').where('username', '=', 'load.admin').executeTakeFirstOrThrow()
  const config = JSON.stringify(DEFAULT_GRADING_CONFIG)
  const gradeName = new Map(DEFAULT_GRADING_CONFIG.grades.map((g) => [g.code, g.name]))
  const roundOf = new Map<string, string>()
  for (const [region, association] of associations) {
    const configId = nextId()
    await writer.add('grading_configs', [
      {
        id: configId,
        association_org_id: association.id,
        version_no: 1,
        config,
        note: '默认等级评定规则',
        created_by: adminUser.id,
        created_at: '2025-01-10T02:00:00.000Z',
      },
    ])
    const isDistrict = region.length === 6 && !cities.includes(region)
    const roundId = nextId()
    roundOf.set(region, roundId)
    await writer.add('grading_rounds', [
      {
        id: roundId,
        association_org_id: association.id,
        config_id: configId,
        title: `2025年度${association.name.replace(/人民调解协会$/, '')}人民调解员等级评定`,
        status: 'finalised',
        grade_codes: JSON.stringify(isDistrict ? ['3', '4'] : ['1', '2']),
        quotas: '{}',
        applications_open_on: '2025-03-01',
        applications_close_on: '2025-03-31',
        notice_start_on: '2025-05-06',
        notice_end_on: '2025-05-12',
        committee: JSON.stringify([{ name: randomChineseName(random, 'male', 1965), affiliation: association.name, kind: 'association' }]),
        created_by: adminUser.id,
        version: 7,
        created_at: '2025-03-01T02:00:00.000Z',
        updated_at: '2025-05-20T02:00:00.000Z',
      },
    ])
    const steps = ['draft', 'open', 'eligibility', 'scoring', 'notice', 'resolved', 'finalised'] as const
    for (let s = 0; s < steps.length; s++)
      await writer.add('grading_round_events', [
        {
          id: nextId(),
          round_id: roundId,
          from_status: s ? steps[s - 1]! : null,
          to_status: steps[s]!,
          user_id: adminUser.id,
          note: null,
          created_at: `2025-0${3 + Math.floor(s / 3)}-0${1 + s}T02:00:00.000Z`,
        },
      ])
  }
  await writer.flush()
  writer.register('mediator_case_stats', 'grading_applications', 'mediator_grades')
  // The pyramid (domain.md): 四级 61 %, 三级 4 %, 二级 2 %, 一级 0.3 %, ungraded the rest.
  const blind = new Map<string, number>()
  const gradeTotal = mediators.length
  for (let i = 0; i < mediators.length; i++) {
    const m = mediators[i]!
    const disputes = draw.int(10, 120)
    const successful = Math.round(disputes * (0.8 + random() * 0.19))
    await writer.add('mediator_case_stats', [
      {
        id: nextId(),
        person_id: m.personId,
        year: 2025,
        disputes_mediated: disputes,
        successful,
        oral_agreements: Math.round(successful * random() * 0.3),
        entered_by: adminUser.id,
        entered_at: '2026-01-15T02:00:00.000Z',
        confirmed_at: draw.chance(0.8) ? '2026-01-20T02:00:00.000Z' : null,
        version: 1,
      },
    ])
    const roll = random()
    const code = roll < 0.003 ? '1' : roll < 0.023 ? '2' : roll < 0.063 ? '3' : roll < 0.673 ? '4' : null
    if (!code) continue
    const high = code === '1' || code === '2'
    const association = associations.get(high ? cityOf(m.district) : m.district)!
    // Most grades came from the 2025 round; older ones were imported when the system started.
    const fromRound = draw.chance(0.3)
    let applicationId: string | null = null
    let roundId: string | null = null
    if (fromRound) {
      roundId = roundOf.get(high ? cityOf(m.district) : m.district)!
      applicationId = nextId()
      const b = (blind.get(roundId) ?? 0) + 1
      blind.set(roundId, b)
      await writer.add('grading_applications', [
        {
          id: applicationId,
          round_id: roundId,
          person_id: m.personId,
          org_id: m.orgId,
          grade_code: code,
          status: code === '1' ? 'recommended' : 'awarded',
          blind_code: `G-2025-${String(b).padStart(5, '0')}`,
          applied_by: m.userId ?? adminUser.id,
          evidence: JSON.stringify({ caseStats: [{ year: 2025, disputes, successful }] }),
          eligibility: JSON.stringify({ eligible: true, rules: [] }),
          eligible_auto: 1,
          override_verdict: null,
          override_reason: null,
          override_by: null,
          final_score: draw.int(6500, 9500),
          rank_in_grade: b,
          outcome_reason: null,
          submitted_at: '2025-03-15T02:00:00.000Z',
          version: 3,
          created_at: '2025-03-15T02:00:00.000Z',
          updated_at: '2025-05-20T02:00:00.000Z',
        },
      ])
    }
    const validFrom = fromRound ? '2025-05-20' : draw.date('2024-01-01', '2024-12-31')
    await writer.add('mediator_grades', [
      {
        id: nextId(),
        person_id: m.personId,
        association_org_id: association.id,
        grade_code: code,
        grade_name: gradeName.get(code)!,
        grade_rank: Number(code),
        status: 'current',
        valid_from: validFrom,
        valid_until: addDays(`${Number(validFrom.slice(0, 4)) + 2}${validFrom.slice(4)}`, -1),
        source: fromRound ? 'round' : 'import',
        round_id: roundId,
        application_id: applicationId,
        change_reason: null,
        notice_start_on: null,
        notice_end_on: null,
        changed_by: null,
        changed_at: null,
        version: 1,
        created_at: `${validFrom}T02:00:00.000Z`,
      },
    ])
    if (i % 1000 === 0) progress('grades', i, gradeTotal)
  }
  await writer.flush()
  progress('grades', gradeTotal, gradeTotal)

  return { scale: options.scale, counts: Object.fromEntries(writer.counts), seconds: (performance.now() - started) / 1000, accounts }
}

/** Session settings that make bulk loading faster on MariaDB; the caller uses a one-connection pool. */
export async function fastLoadSession(db: Kysely<Database>): Promise<void> {
  if (isMysql(db as unknown as Kysely<unknown>)) {
    await sql`SET SESSION unique_checks = 0`.execute(db)
    await sql`SET SESSION foreign_key_checks = 0`.execute(db)
  } else {
    await sql`PRAGMA synchronous = OFF`.execute(db)
  }
}
