/**
 * Row factories shared by the demo seed and the tests (tests import them through
 * tests/fixtures/factories.ts). `build*` functions are pure apart from sealing personal numbers
 * and return complete rows, so the seed can insert thousands in bulk; `create*` functions insert
 * one record (and whatever it needs) and return it, for tests.
 *
 * Defaults are valid and unique within a process: ID numbers pass the GB 11643 check, phones are
 * mainland mobiles, and every ID and phone is sealed (encrypted, hashed, masked) before it
 * reaches a row.
 */
import { randomInt } from 'node:crypto'
import type { Insertable, Selectable } from 'kysely'
import { sealPersonalNumber } from '#app/lib/crypto.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { birthDateFromIdNumber, genderFromIdNumber, idNumberCheckChar, normaliseIdNumber } from '#app/lib/personal-numbers.ts'
import { isCalendarDate, nowIso } from '#app/lib/time.ts'
import { hashPassword } from '#app/modules/auth/password.server.ts'
import { ORG_SCOPED, REGION_SCOPED } from '#app/modules/auth/policy.ts'
import { normaliseUsername } from '#app/modules/users/usernames.ts'
import type {
  Gender,
  MediatorTable,
  OrganisationTable,
  PersonTable,
  Role,
  RoleGrantTable,
  TrainingRecordTable,
  UserTable,
} from '#db/schema.ts'
import { inTransaction, insertRows } from './bulk.ts'
import { MOBILE_PREFIXES, SURNAMES, givenNamesFor } from './data/names.ts'
import { makeRegionTree, seedReferenceData } from './reference.ts'

export { makeRegionTree }

export type OrganisationRow = Selectable<OrganisationTable>
export type PersonRow = Selectable<PersonTable>
export type MediatorRow = Selectable<MediatorTable>
export type UserRow = Selectable<UserTable>
export type RoleGrantRow = Selectable<RoleGrantTable>

/** A source of uniform numbers in [0, 1): Math.random, or a seeded generator for the demo. */
export type Random = () => number

const DEFAULT_REGION = '110108' // 海淀区

// Counters for unique defaults. A random start keeps separate processes sharing one database
// (a dev server and a test run, say) from colliding.
let counter = randomInt(0, 1_000_000)
const nextNumber = () => counter++

const pickFrom = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!

// ---------------------------------------------------------------------------------------------
// Personal details

/**
 * An 18-character resident ID number that passes GB 11643: region (6 digits), birth date
 * (8), order code (3: `seq` 0-499 chooses it, its last digit odd for men and even for women),
 * check character.
 */
export function validIdNumber(regionCode: string, birthDate: string, seq: number, gender: Gender): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`ID region code must be 6 digits, got ${regionCode}`)
  if (!isCalendarDate(birthDate)) throw new RangeError(`Not a calendar date: ${birthDate}`)
  if (!Number.isInteger(seq) || seq < 0 || seq > 499) throw new RangeError(`seq must be 0-499, got ${seq}`)
  const order = String(seq * 2 + (gender === 'male' ? 1 : 0)).padStart(3, '0')
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${order}`
  return first17 + idNumberCheckChar(first17)
}

export function randomMobile(random: Random = Math.random): string {
  let rest = ''
  for (let i = 0; i < 8; i++) rest += Math.floor(random() * 10)
  return pickFrom(MOBILE_PREFIXES, random) + rest
}

const SURNAME_TOTAL = SURNAMES.reduce((sum, [, weight]) => sum + weight, 0)

/** A surname drawn by its frequency and a given name typical of the birth cohort. */
export function randomChineseName(random: Random, gender: Gender, birthYear: number): string {
  let ticket = random() * SURNAME_TOTAL
  let surname = SURNAMES[0]![0]
  for (const [candidate, weight] of SURNAMES) {
    ticket -= weight
    if (ticket < 0) {
      surname = candidate
      break
    }
  }
  return surname + pickFrom(givenNamesFor(gender, birthYear), random)
}

/** Work-card number (持证上岗), e.g. `京调证 2019-0108-00123`: year issued, district, serial. */
export function mediatorCardNumber(regionCode: string, year: number, serial: number): string {
  return `京调证 ${year}-${regionCode.slice(2, 6)}-${String(serial).padStart(5, '0')}`
}

function dateFromDays(start: string, days: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

// ---------------------------------------------------------------------------------------------
// Reference rows the factories' records point at

/**
 * Tests start from an empty migrated database: before inserting a record, make sure its region
 * (and sector) exist by seeding the reference data once. One query when they already do.
 */
async function ensureReference(db: Executor, regionCodes: readonly string[], sectorCode?: string | null): Promise<void> {
  const codes = [...new Set(regionCodes)]
  const regions = codes.length ? await db.selectFrom('regions').select('code').where('code', 'in', codes).execute() : []
  const sectorMissing =
    !!sectorCode && !(await db.selectFrom('dispute_types').select('code').where('code', '=', sectorCode).executeTakeFirst())
  if (regions.length < codes.length || sectorMissing) await seedReferenceData(db)
}

// ---------------------------------------------------------------------------------------------
// Organisations

export function buildOrganisation(partial: Partial<OrganisationRow> = {}): OrganisationRow {
  const now = partial.created_at ?? nowIso()
  return {
    id: partial.id ?? newId(),
    name: partial.name ?? `示例社区第${nextNumber()}人民调解委员会`,
    kind: partial.kind ?? 'committee_village',
    sector_code: partial.sector_code ?? null,
    region_code: partial.region_code ?? DEFAULT_REGION,
    parent_id: partial.parent_id ?? null,
    address: partial.address ?? null,
    contact_phone: partial.contact_phone ?? null,
    services: partial.services ?? null,
    opening_hours: partial.opening_hours ?? null,
    status: partial.status ?? 'active',
    version: partial.version ?? 1,
    created_at: now,
    updated_at: partial.updated_at ?? now,
  }
}

export async function createOrganisation(db: Executor, partial: Partial<OrganisationRow> = {}): Promise<OrganisationRow> {
  const row = buildOrganisation(partial)
  await ensureReference(db, [row.region_code], row.sector_code)
  await db.insertInto('organisations').values(row).execute()
  return row
}

// ---------------------------------------------------------------------------------------------
// People

export type PersonInput = Partial<PersonRow> & {
  /** Plain ID number; generated when absent, none when null. Sealed into the row's id_number_* columns. */
  idNumber?: string | null
  /** Plain mobile number; generated when absent, none when null. */
  phone?: string | null
  /** Region code (6 digits) the generated ID number starts with; defaults to the district of region_code. */
  idRegionCode?: string
}

/** A person row plus the plain numbers sealed into it, which only tests and the seed report see. */
export type BuiltPerson = PersonRow & { idNumber: string | null; phone: string | null }

export function buildPerson(input: PersonInput = {}, random: Random = Math.random): BuiltPerson {
  const n = nextNumber()
  const regionCode = input.region_code ?? DEFAULT_REGION
  let idNumber: string | null
  let gender: Gender | null
  let birthDate: string | null
  if (input.idNumber) {
    idNumber = normaliseIdNumber(input.idNumber)
    gender = input.gender ?? genderFromIdNumber(idNumber)
    birthDate = input.birth_date ?? birthDateFromIdNumber(idNumber)
  } else if (input.idNumber === null) {
    idNumber = null
    gender = input.gender ?? null
    birthDate = input.birth_date ?? null
  } else {
    gender = input.gender ?? (random() < 0.5 ? 'male' : 'female')
    // The counter picks a (birth date, order code) pair no other default shares.
    birthDate = input.birth_date ?? dateFromDays('1960-01-01', Math.floor(n / 500) % 13_000)
    idNumber = validIdNumber(input.idRegionCode ?? regionCode.slice(0, 6), birthDate, n % 500, gender)
  }
  const phone = input.phone === undefined ? randomMobile(random) : input.phone
  const sealedId = idNumber ? sealPersonalNumber('id', idNumber) : null
  const sealedPhone = phone ? sealPersonalNumber('phone', phone) : null
  const now = input.created_at ?? nowIso()
  return {
    id: input.id ?? newId(),
    name: input.name ?? randomChineseName(random, gender ?? 'male', Number((birthDate ?? '1980').slice(0, 4))),
    gender,
    birth_date: birthDate,
    id_number_enc: sealedId?.enc ?? null,
    id_number_hash: sealedId?.hash ?? null,
    id_number_masked: sealedId?.masked ?? null,
    phone_enc: sealedPhone?.enc ?? null,
    phone_hash: sealedPhone?.hash ?? null,
    phone_masked: sealedPhone?.masked ?? null,
    region_code: regionCode,
    org_id: input.org_id ?? null,
    version: input.version ?? 1,
    created_at: now,
    updated_at: input.updated_at ?? now,
    idNumber,
    phone,
  }
}

/** The columns of a built person, without the plain numbers. */
export function personRow(person: BuiltPerson): PersonRow {
  const { idNumber: _idNumber, phone: _phone, ...row } = person
  return row
}

export async function createPerson(db: Executor, input: PersonInput = {}): Promise<BuiltPerson> {
  const person = buildPerson(input)
  await ensureReference(db, [person.region_code])
  await db.insertInto('people').values(personRow(person)).execute()
  return person
}

// ---------------------------------------------------------------------------------------------
// Mediators

export function buildMediator(partial: Partial<MediatorRow> & Pick<MediatorRow, 'person_id' | 'org_id'>): MediatorRow {
  const now = partial.created_at ?? nowIso()
  const startedOn = partial.started_on === undefined ? '2020-03-01' : partial.started_on
  return {
    person_id: partial.person_id,
    org_id: partial.org_id,
    employment: partial.employment ?? 'part_time',
    // Serials from 50000 up, clear of the demo seed's, which count from 1 per district.
    card_number:
      partial.card_number === undefined
        ? mediatorCardNumber(DEFAULT_REGION, Number((startedOn ?? '2020').slice(0, 4)), 50_000 + (nextNumber() % 50_000))
        : partial.card_number,
    started_on: startedOn,
    status: partial.status ?? 'active',
    version: partial.version ?? 1,
    created_at: now,
    updated_at: partial.updated_at ?? now,
  }
}

export interface CreatedMediator {
  mediator: MediatorRow
  /** The person made for the mediator, or null when `person_id` named an existing one. */
  person: BuiltPerson | null
}

/** A mediator, with a new committee and person unless `org_id` and `person_id` name existing ones. */
export async function createMediator(db: Executor, input: Partial<MediatorRow> & { person?: PersonInput } = {}): Promise<CreatedMediator> {
  const { person: personInput, ...partial } = input
  return inTransaction(db, async (trx) => {
    const orgId = partial.org_id ?? (await createOrganisation(trx)).id
    let person: BuiltPerson | null = null
    if (!partial.person_id) {
      const org = await trx.selectFrom('organisations').select('region_code').where('id', '=', orgId).executeTakeFirstOrThrow()
      person = await createPerson(trx, { region_code: org.region_code, org_id: orgId, ...personInput })
    }
    const mediator = buildMediator({ ...partial, org_id: orgId, person_id: partial.person_id ?? person!.id })
    await trx.insertInto('mediators').values(mediator).execute()
    return { mediator, person }
  })
}

// ---------------------------------------------------------------------------------------------
// Users and their role grants

export interface GrantInput {
  role: Role
  /** Required for bureau_staff: the region whose subtree the grant covers. */
  regionCode?: string | null
  /** Required for association_admin and org_manager. */
  orgId?: string | null
  id?: string
}

export interface UserInput {
  id?: string
  username: string
  displayName?: string
  roles?: readonly GrantInput[]
  personId?: string | null
  status?: UserRow['status']
  createdAt?: string
}

export interface BuiltUser {
  user: UserRow
  grants: RoleGrantRow[]
}

/** A user and its grants; `passwordHash` null leaves the account waiting for its set-up link. */
export function buildUser(input: UserInput, passwordHash: string | null): BuiltUser {
  const username = normaliseUsername(input.username)
  if (!username) throw new Error('A user needs a username')
  const now = input.createdAt ?? nowIso()
  const id = input.id ?? newId()
  const grants = (input.roles ?? []).map((grant): RoleGrantRow => {
    if (REGION_SCOPED.includes(grant.role) && !grant.regionCode) throw new Error(`${grant.role} needs a region`)
    if (ORG_SCOPED.includes(grant.role) && !grant.orgId) throw new Error(`${grant.role} needs an organisation`)
    return {
      id: grant.id ?? newId(),
      user_id: id,
      role: grant.role,
      region_code: grant.regionCode ?? null,
      org_id: grant.orgId ?? null,
      created_at: now,
      created_by: null,
    }
  })
  const user: UserRow = {
    id,
    username,
    display_name: input.displayName ?? username,
    password_hash: passwordHash,
    person_id: input.personId ?? null,
    status: input.status ?? 'active',
    last_sign_in_at: null,
    password_changed_at: passwordHash ? now : null,
    version: 1,
    created_at: now,
    updated_at: now,
  }
  return { user, grants }
}

/** Inserts a user and its grants. Pass `password` to hash it, or `passwordHash` to reuse a hash. */
export async function createUser(db: Executor, input: UserInput & { password?: string; passwordHash?: string }): Promise<BuiltUser> {
  const hash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null)
  const built = buildUser(input, hash)
  const regionCodes = built.grants.map((g) => g.region_code).filter((code): code is string => !!code)
  return inTransaction(db, async (trx) => {
    if (regionCodes.length) await ensureReference(trx, regionCodes)
    await trx.insertInto('users').values(built.user).execute()
    await insertRows(trx, 'role_grants', built.grants)
    return built
  })
}

// ---------------------------------------------------------------------------------------------
// Training records

export type TrainingRecordRow = Insertable<TrainingRecordTable>

/**
 * An approved one-hour annual training record of `person_id` (external, classroom), completed on
 * 1 June of `year` (or of the year of `completed_on`); any column may be given.
 */
export function buildTrainingRecord(partial: Partial<TrainingRecordRow> & Pick<TrainingRecordRow, 'person_id'>): TrainingRecordRow {
  const id = partial.id ?? newId()
  const year = partial.year ?? (partial.completed_on ? Number(partial.completed_on.slice(0, 4)) : Number(nowIso().slice(0, 4)))
  return {
    id,
    source: 'external',
    completion_key: `test:${id}`,
    course_slug: null,
    session_id: null,
    title: '测试培训',
    kind: 'annual',
    format: 'classroom',
    organiser: null,
    hours_tenths: 10,
    completed_on: `${year}-06-01`,
    assessment: null,
    status: 'approved',
    created_at: nowIso(),
    created_by: null,
    ...partial,
    year,
  }
}

export async function createTrainingRecord(
  db: Executor,
  partial: Partial<TrainingRecordRow> & Pick<TrainingRecordRow, 'person_id'>,
): Promise<TrainingRecordRow> {
  const row = buildTrainingRecord(partial)
  await db.insertInto('training_records').values(row).execute()
  return row
}
