/**
 * The demo data set: Beijing's justice bureaus, mediation associations, justice offices and
 * committees of every kind, about 300 mediators, about 120 experts and one account per role.
 *
 * `generateDemo` is pure and deterministic: a seeded PRNG (mulberry32) draws names, dates and
 * numbers, and every id is derived from a stable key through a hash, so the same seed always
 * gives the same rows and the same ids. `seedDemo` seals the personal numbers and writes what is
 * missing; it refuses to run in production, where demo passwords must never exist.
 */
import { createHash } from 'node:crypto'
import type { Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import type { Gender, OrgKind } from '#db/schema.ts'
import { existingValues, inTransaction, insertRows } from './bulk.ts'
import {
  BEIJING,
  CHAOYANG,
  type CommitteeKind,
  ENTERPRISE_COMMITTEES,
  EXPERT_PLAN,
  type ExpertOccupation,
  FULL_TIME_SHARE,
  HAIDIAN,
  MEDIATORS_PER_COMMITTEE,
  MUNICIPAL_SECTOR_MEDIATORS,
  ROADS,
  SECTOR_COMMITTEES,
  STATIONED_COMMITTEES,
  STUDIOS,
  type StudioLead,
  VILLAGE_COMMITTEES,
  ZHONGGUANCUN,
} from './data/demo-plan.ts'
import { REGIONS } from './data/regions.ts'
import {
  type GrantInput,
  type OrganisationRow,
  type PersonInput,
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

export const DEMO_SEED = 20261123
/** Bump when the generated data changes, so existing demo databases receive the additions. */
export const DEMO_VERSION = 2
export const DEMO_PASSWORD = 'Tiaojie-Demo-2026'
/** The day the demo's ages and dates are computed from. */
export const DEMO_TODAY = '2026-11-01'
const DEMO_CREATED_AT = `${DEMO_TODAY}T00:00:00.000Z`
export const DEMO_SETTING_KEY = 'seed.demo'

// ---------------------------------------------------------------------------------------------
// Determinism: PRNG and ids

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data and the same on every platform. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A 26-character id in the `newId()` layout, derived from a stable key: the time part is the
 * demo's creation instant, the rest comes from SHA-256 of the key. Re-running the seed yields
 * the same ids, and they sort before anything created later.
 */
export function stableId(key: string): string {
  let time = ''
  let t = Date.parse(DEMO_CREATED_AT)
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time
    t = Math.floor(t / 32)
  }
  const digest = createHash('sha256').update(`tiaojie-demo:${key}`).digest()
  let rest = ''
  for (let i = 0; i < 16; i++) rest += CROCKFORD[digest[i]! % 32]
  return time + rest
}

class Draw {
  constructor(readonly random: Random) {}
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1))
  }
  chance(probability: number): boolean {
    return this.random() < probability
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!
  }
}

// ---------------------------------------------------------------------------------------------
// The shape of the data set

const regionName = new Map(REGIONS.map((r) => [r.code, r.name]))
const nameOf = (code: string) => regionName.get(code) ?? code
const BEIJING_DISTRICTS = REGIONS.filter((r) => r.level === 'district' && r.parent === BEIJING)
const BEIJING_STREETS = REGIONS.filter((r) => r.level === 'township' && r.code.startsWith('11'))
const districtOf = (regionCode: string) => regionCode.slice(0, 6)

/** 中关村街道 → 中关村, 崔各庄乡 → 崔各庄, 宋庄镇 → 宋庄 (how 司法所 are named). */
const shortStreetName = (name: string) => name.replace(/(街道|地区|民族乡|乡|镇)$/, '')

interface CommitteePlan {
  name: string
  kind: CommitteeKind
  regionCode: string
  /** Key of the supervising body: a district or municipal bureau, or a justice office. */
  parent: string
  sectorCode?: string
  lead?: StudioLead
}

const bureauKey = (districtCode: string) => `bureau:${districtCode}`
const officeKey = (streetCode: string) => `office:${streetCode}`

function committeePlans(): CommitteePlan[] {
  const plans: CommitteePlan[] = []
  for (const street of BEIJING_STREETS) {
    const district = nameOf(districtOf(street.code))
    plans.push({
      name: `${district}${street.name}人民调解委员会`,
      kind: 'committee_township',
      regionCode: street.code,
      parent: officeKey(street.code),
    })
  }
  for (const [street, place] of VILLAGE_COMMITTEES) {
    const name = `${nameOf(districtOf(street))}${nameOf(street)}${place}人民调解委员会`
    plans.push({ name, kind: 'committee_village', regionCode: street, parent: officeKey(street) })
  }
  for (const [district, name] of ENTERPRISE_COMMITTEES) {
    plans.push({ name, kind: 'committee_enterprise', regionCode: district, parent: bureauKey(district) })
  }
  for (const [region, name, sectorCode] of SECTOR_COMMITTEES) {
    plans.push({ name, kind: 'committee_sector', regionCode: region, parent: bureauKey(districtOf(region)), sectorCode })
  }
  for (const [region, name] of STATIONED_COMMITTEES) {
    const parent = region.length > 6 ? officeKey(region) : bureauKey(region)
    plans.push({ name, kind: 'committee_stationed', regionCode: region, parent })
  }
  for (const [street, name, lead] of STUDIOS) {
    plans.push({ name, kind: 'studio', regionCode: street, parent: officeKey(street), lead })
  }
  return plans
}

// ---------------------------------------------------------------------------------------------
// Experts

// ---------------------------------------------------------------------------------------------
// Output

export type DemoPerson = PersonInput & {
  id: string
  name: string
  gender: Gender
  birth_date: string
  idNumber: string
  phone: string
  region_code: string
  org_id: string | null
  kind: 'mediator' | 'expert'
  /** For experts: what they do (律师, 医生…), from which an expert profile's professions and title follow. */
  occupation: ExpertOccupation | null
}

export interface DemoMediator {
  person_id: string
  org_id: string
  employment: 'full_time' | 'part_time'
  card_number: string
  started_on: string
  status: 'active' | 'inactive'
}

export interface DemoAccount {
  id: string
  username: string
  displayName: string
  personId: string | null
  roles: (GrantInput & { id: string })[]
}

export interface DemoData {
  organisations: OrganisationRow[]
  people: DemoPerson[]
  mediators: DemoMediator[]
  accounts: DemoAccount[]
}

// ---------------------------------------------------------------------------------------------
// The generator

const DAY_MS = 86_400_000
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
const addYears = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS)

class DemoGenerator {
  private readonly draw: Draw
  private readonly usedNames = new Set<string>()
  private readonly usedIdKeys = new Set<string>()
  private readonly usedPhones = new Set<string>()
  private readonly cardSerials = new Map<string, number>()
  readonly organisations: OrganisationRow[] = []
  private readonly orgIdByKey = new Map<string, string>()
  readonly people: DemoPerson[] = []
  readonly mediators: DemoMediator[] = []

  constructor(seed: number) {
    this.draw = new Draw(mulberry32(seed))
  }

  private address(regionCode: string): string {
    const district = regionCode === BEIJING ? this.draw.pick(BEIJING_DISTRICTS).code : districtOf(regionCode)
    const street = regionCode.length > 6 ? nameOf(regionCode) : ''
    return `北京市${nameOf(district)}${street}${this.draw.pick(ROADS)}${this.draw.int(1, 199)}号`
  }

  private switchboard(): string {
    return `010-${this.draw.pick(['5', '6', '8'])}${String(this.draw.int(0, 9_999_999)).padStart(7, '0')}`
  }

  private addOrg(
    key: string,
    name: string,
    kind: OrgKind,
    regionCode: string,
    parentKey: string | null,
    sectorCode: string | null = null,
  ): string {
    const id = stableId(`org:${key}`)
    const parentId = parentKey ? this.orgIdByKey.get(parentKey) : null
    if (parentKey && !parentId) throw new Error(`Demo plan: ${name} names unknown parent ${parentKey}`)
    this.organisations.push(
      buildOrganisation({
        id,
        name,
        kind,
        sector_code: sectorCode,
        region_code: regionCode,
        parent_id: parentId ?? null,
        address: this.address(regionCode),
        contact_phone: this.switchboard(),
        created_at: DEMO_CREATED_AT,
      }),
    )
    this.orgIdByKey.set(key, id)
    return id
  }

  orgId(key: string): string {
    const id = this.orgIdByKey.get(key)
    if (!id) throw new Error(`Demo plan: no organisation ${key}`)
    return id
  }

  /** Bureaus, associations and justice offices: the bodies that supervise committees. */
  addSupervisors(): void {
    this.addOrg(bureauKey(BEIJING), '北京市司法局', 'justice_bureau', BEIJING, null)
    this.addOrg(`association:${BEIJING}`, '北京人民调解协会', 'association', BEIJING, bureauKey(BEIJING))
    for (const district of BEIJING_DISTRICTS) {
      this.addOrg(bureauKey(district.code), `${district.name}司法局`, 'justice_bureau', district.code, bureauKey(BEIJING))
      this.addOrg(`association:${district.code}`, `${district.name}人民调解协会`, 'association', district.code, bureauKey(district.code))
    }
    for (const street of BEIJING_STREETS) {
      const district = districtOf(street.code)
      const name = `${nameOf(district)}司法局${shortStreetName(street.name)}司法所`
      this.addOrg(officeKey(street.code), name, 'justice_office', street.code, bureauKey(district))
    }
  }

  addCommittees(): void {
    for (const plan of committeePlans()) {
      const orgId = this.addOrg(plan.name, plan.name, plan.kind, plan.regionCode, plan.parent, plan.sectorCode ?? null)
      const base =
        plan.kind === 'committee_sector' && plan.regionCode === BEIJING ? MUNICIPAL_SECTOR_MEDIATORS : MEDIATORS_PER_COMMITTEE[plan.kind]
      const count = base + (plan.kind === 'studio' ? 0 : this.draw.int(0, 2))
      for (let i = 0; i < count; i++) {
        const lead = i === 0 ? plan.lead : undefined
        this.addMediator(`${plan.name}:${i}`, plan, orgId, lead)
      }
    }
  }

  /** A birth date on which the person is `age` on DEMO_TODAY. */
  private birthDateForAge(age: number): string {
    const earliest = addDays(addYears(DEMO_TODAY, -(age + 1)), 1)
    return addDays(earliest, this.draw.int(0, 363))
  }

  /** Mediators skew older: many are retired cadres, teachers and community workers. */
  private mediatorAge(): number {
    return 28 + Math.floor(41 * Math.sqrt(this.draw.random()))
  }

  private uniqueName(gender: Gender, birthYear: number): string {
    for (let attempt = 0; attempt < 20; attempt++) {
      const name = randomChineseName(this.draw.random, gender, birthYear)
      if (!this.usedNames.has(name)) {
        this.usedNames.add(name)
        return name
      }
    }
    return randomChineseName(this.draw.random, gender, birthYear)
  }

  private uniqueIdNumber(district: string, birthDate: string, gender: Gender): string {
    for (;;) {
      const seq = this.draw.int(0, 499)
      const key = `${district}${birthDate}${gender}${seq}`
      if (this.usedIdKeys.has(key)) continue
      this.usedIdKeys.add(key)
      return validIdNumber(district, birthDate, seq, gender)
    }
  }

  private uniquePhone(): string {
    for (;;) {
      const phone = randomMobile(this.draw.random)
      if (this.usedPhones.has(phone)) continue
      this.usedPhones.add(phone)
      return phone
    }
  }

  private addPerson(
    key: string,
    details: {
      regionCode: string
      orgId: string | null
      age: number
      kind: DemoPerson['kind']
      occupation?: ExpertOccupation
      name?: string
      gender?: Gender
    },
  ): DemoPerson {
    const gender = details.gender ?? (this.draw.chance(0.52) ? 'male' : 'female')
    const birthDate = this.birthDateForAge(details.age)
    const name = details.name ?? this.uniqueName(gender, Number(birthDate.slice(0, 4)))
    const idDistrict = details.regionCode === BEIJING ? this.draw.pick(BEIJING_DISTRICTS).code : districtOf(details.regionCode)
    const person: DemoPerson = {
      id: stableId(`person:${key}`),
      name,
      gender,
      birth_date: birthDate,
      idNumber: this.uniqueIdNumber(idDistrict, birthDate, gender),
      phone: this.uniquePhone(),
      region_code: details.regionCode,
      org_id: details.orgId,
      created_at: DEMO_CREATED_AT,
      kind: details.kind,
      occupation: details.occupation ?? null,
    }
    this.people.push(person)
    return person
  }

  private addMediator(key: string, plan: CommitteePlan, orgId: string, lead?: StudioLead): void {
    const age = lead?.age ?? this.mediatorAge()
    const person = this.addPerson(`mediator:${key}`, {
      regionCode: plan.regionCode,
      orgId,
      age,
      kind: 'mediator',
      name: lead?.name,
      gender: lead?.gender,
    })
    // Started after turning 23 and after 2000, before the middle of this year.
    const after = [addYears(person.birth_date, 23), '2000-01-01'].sort().at(-1)!
    const startedOn = addDays(after, this.draw.int(0, Math.max(0, daysBetween(after, '2026-06-30'))))
    const cardRegion = plan.regionCode === BEIJING ? BEIJING : districtOf(plan.regionCode)
    const serial = (this.cardSerials.get(cardRegion) ?? 0) + 1
    this.cardSerials.set(cardRegion, serial)
    this.mediators.push({
      person_id: person.id,
      org_id: orgId,
      employment: this.draw.chance(FULL_TIME_SHARE[plan.kind]) ? 'full_time' : 'part_time',
      card_number: mediatorCardNumber(cardRegion, Number(startedOn.slice(0, 4)), serial),
      started_on: startedOn,
      status: this.draw.chance(0.03) ? 'inactive' : 'active',
    })
  }

  addExperts(): void {
    let index = 0
    for (const [occupation, count, committee] of EXPERT_PLAN) {
      for (let i = 0; i < count; i++) {
        const orgId = committee ? this.orgId(committee) : null
        const committeeRegion = committee ? this.organisations.find((o) => o.id === orgId)!.region_code : null
        // The first expert is the demo `expert` account's: a Haidian lawyer.
        const regionCode =
          index === 0 ? HAIDIAN : (committeeRegion ?? (this.draw.chance(0.3) ? BEIJING : this.draw.pick(BEIJING_DISTRICTS).code))
        this.addPerson(`expert:${index}`, { regionCode, orgId, age: this.draw.int(35, 68), kind: 'expert', occupation })
        index++
      }
    }
  }
}

function demoAccounts(generator: DemoGenerator): DemoAccount[] {
  const committee = generator.orgId(`${nameOf(HAIDIAN)}${nameOf(ZHONGGUANCUN)}人民调解委员会`)
  const members = generator.people.filter((p) => p.kind === 'mediator' && p.org_id === committee)
  const experts = generator.people.filter((p) => p.kind === 'expert')
  const firstOf = (occupation: ExpertOccupation) => experts.find((p) => p.occupation === occupation)!
  const account = (username: string, displayName: string, roles: GrantInput[], personId: string | null = null): DemoAccount => ({
    id: stableId(`user:${username}`),
    username,
    displayName,
    personId,
    roles: roles.map((grant) => ({ ...grant, id: stableId(`grant:${username}:${grant.role}`) })),
  })
  const [director, mediator] = [members[0]!, members[1]!]
  const expertAccounts = [experts[0]!, firstOf('doctor'), firstOf('psychologist'), firstOf('engineer'), firstOf('accountant')].map(
    (person, i) => account(i === 0 ? 'expert' : `expert${i + 1}`, person.name, [{ role: 'expert' }], person.id),
  )
  return [
    account('admin', '系统管理员', [{ role: 'admin' }]),
    account('security', '安全管理员', [{ role: 'security_admin' }]),
    account('auditor', '安全审计员', [{ role: 'auditor' }]),
    account('bj.staff', '刘建华', [{ role: 'bureau_staff', regionCode: BEIJING }]),
    account('hd.staff', '陈晓燕', [{ role: 'bureau_staff', regionCode: HAIDIAN }]),
    account('cy.staff', '王磊', [{ role: 'bureau_staff', regionCode: CHAOYANG }]),
    account('bj.assoc', '周文静', [{ role: 'association_admin', orgId: generator.orgId(`association:${BEIJING}`) }]),
    account('hd.assoc', '吴海涛', [{ role: 'association_admin', orgId: generator.orgId(`association:${HAIDIAN}`) }]),
    account('org.manager', director.name, [{ role: 'org_manager', orgId: committee }], director.id),
    account('mediator', mediator.name, [{ role: 'mediator' }], mediator.id),
    ...expertAccounts,
    // Reviewer grants are region-scoped (003 addendum): Beijing, where the demo's mediators work.
    account('reviewer', '孙立平', [{ role: 'reviewer', regionCode: BEIJING }]),
    // More reviewers for grade evaluation (等级评定) panels of at least four.
    account('reviewer2', '郑晓东', [{ role: 'reviewer', regionCode: BEIJING }]),
    account('reviewer3', '何丽娟', [{ role: 'reviewer', regionCode: BEIJING }]),
    account('reviewer4', '高志强', [{ role: 'reviewer', regionCode: BEIJING }]),
    account('reviewer5', '林美华', [{ role: 'reviewer', regionCode: BEIJING }]),
  ]
}

export function generateDemo(seed = DEMO_SEED): DemoData {
  const generator = new DemoGenerator(seed)
  generator.addSupervisors()
  generator.addCommittees()
  generator.addExperts()
  return {
    organisations: generator.organisations,
    people: generator.people,
    mediators: generator.mediators,
    accounts: demoAccounts(generator),
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface DemoSummary {
  /** True when the database already holds this version of the demo; nothing was written. */
  skipped: boolean
  inserted: { organisations: number; people: number; mediators: number; users: number; roleGrants: number }
  /** Records left out because a different record already holds their natural key. */
  conflicts: string[]
}

export class DemoRefusedInProduction extends Error {
  constructor() {
    super('Refusing to create demo accounts and people with NODE_ENV=production')
  }
}

interface DemoMarker {
  version: number
  seed: number
}

async function readMarker(db: Executor): Promise<DemoMarker | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_SETTING_KEY).executeTakeFirst()
  return row ? (JSON.parse(row.value) as DemoMarker) : null
}

/**
 * Writes the demo data set, inserting only what is missing (by id, and by natural key: username,
 * ID-number hash, card number), all in one transaction, and records the version in `settings`.
 * A database that already holds this version is left untouched.
 */
export async function seedDemo(db: Executor, seed = DEMO_SEED): Promise<DemoSummary> {
  if (process.env.NODE_ENV === 'production') throw new DemoRefusedInProduction()
  const inserted = { organisations: 0, people: 0, mediators: 0, users: 0, roleGrants: 0 }
  const marker = await readMarker(db)
  if (marker && marker.version >= DEMO_VERSION && marker.seed === seed) return { skipped: true, inserted, conflicts: [] }

  const data = generateDemo(seed)
  const conflicts: string[] = []

  const knownOrgs = await existingValues(
    db,
    'organisations',
    'id',
    data.organisations.map((o) => o.id),
  )
  const organisations = data.organisations.filter((o) => !knownOrgs.has(o.id))

  const knownPeople = await existingValues(
    db,
    'people',
    'id',
    data.people.map((p) => p.id),
  )
  const people = data.people.filter((p) => !knownPeople.has(p.id)).map((p) => buildPerson(p))
  const takenHashes = await existingValues(
    db,
    'people',
    'id_number_hash',
    people.map((p) => p.id_number_hash!),
  )
  const newPeople = people.filter((p) => {
    if (!takenHashes.has(p.id_number_hash!)) return true
    conflicts.push(`person ${p.name}: ID number already registered`)
    return false
  })
  const available = new Set([...knownPeople, ...newPeople.map((p) => p.id)])

  const knownMediators = await existingValues(
    db,
    'mediators',
    'person_id',
    data.mediators.map((m) => m.person_id),
  )
  const takenCards = await existingValues(
    db,
    'mediators',
    'card_number',
    data.mediators.map((m) => m.card_number),
  )
  const mediators = data.mediators.filter((m) => {
    if (knownMediators.has(m.person_id) || !available.has(m.person_id)) return false
    if (!takenCards.has(m.card_number)) return true
    conflicts.push(`mediator card ${m.card_number}: already issued`)
    return false
  })

  const knownUserIds = await existingValues(
    db,
    'users',
    'id',
    data.accounts.map((a) => a.id),
  )
  const takenUsernames = await existingValues(
    db,
    'users',
    'username',
    data.accounts.map((a) => a.username),
  )
  const accounts = data.accounts.filter((a) => {
    if (knownUserIds.has(a.id)) return false
    if (!takenUsernames.has(a.username)) return true
    conflicts.push(`user ${a.username}: username taken`)
    return false
  })
  const passwordHash = accounts.length ? await hashPassword(DEMO_PASSWORD) : null
  const users = accounts.map((a) =>
    buildUser(
      {
        id: a.id,
        username: a.username,
        displayName: a.displayName,
        personId: a.personId && available.has(a.personId) ? a.personId : null,
        roles: a.roles,
        createdAt: DEMO_CREATED_AT,
      },
      passwordHash,
    ),
  )

  await inTransaction(db, async (trx) => {
    inserted.organisations = await insertRows(trx, 'organisations', organisations)
    inserted.people = await insertRows(trx, 'people', newPeople.map(personRow))
    inserted.mediators = await insertRows(
      trx,
      'mediators',
      mediators.map((m) => buildMediator({ ...m, created_at: DEMO_CREATED_AT })),
    )
    inserted.users = await insertRows(
      trx,
      'users',
      users.map((u) => u.user),
    )
    inserted.roleGrants = await insertRows(
      trx,
      'role_grants',
      users.flatMap((u) => u.grants),
    )
    // Version 2: demo grants whose role became region-scoped receive their region when an
    // earlier version stored them without one (only the demo's own grant ids, only when null).
    for (const account of data.accounts) {
      for (const grant of account.roles) {
        if (!grant.regionCode) continue
        await trx
          .updateTable('role_grants')
          .set({ region_code: grant.regionCode })
          .where('id', '=', grant.id)
          .where('user_id', '=', account.id)
          .where('role', '=', grant.role)
          .where('region_code', 'is', null)
          .execute()
      }
    }
    const value = JSON.stringify({ version: DEMO_VERSION, seed } satisfies DemoMarker)
    const now = nowIso()
    if (marker) {
      await trx
        .updateTable('settings')
        .set((eb) => ({ value, updated_at: now, version: eb('version', '+', 1) }))
        .where('key', '=', DEMO_SETTING_KEY)
        .execute()
    } else {
      await trx.insertInto('settings').values({ key: DEMO_SETTING_KEY, value, version: 1, updated_at: now, updated_by: null }).execute()
    }
  })
  return { skipped: false, inserted, conflicts }
}
