/**
 * Admitting an expert (录入) and editing a profile. The person (name, gender, birth date, sealed
 * numbers) lives in `people`; the profile in `experts`; domains in `expert_domains`. Every write is
 * one transaction with its audit row, and personal numbers reach the audit log masked only.
 */
import type { Transaction } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import { decrypt, sealPersonalNumber, type SealedNumber } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { birthDateFromIdNumber, genderFromIdNumber } from '#app/lib/personal-numbers.ts'
import { nowIso } from '#app/lib/time.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { bumpExpertPoolVersion } from '#app/modules/cases/pool-version.server.ts'
import type { Database, ExpertDomainTable } from '#db/schema.ts'
import { type Outcome, STALE, done, fieldError } from './outcome.ts'
import { ageLimitWarning } from './rules.ts'
import type { AdmitExpertInput, EditExpertInput } from './schemas.ts'
import { mayEditExpert } from './scope.ts'
import type { ExpertSettings } from './settings.server.ts'

export function inTransaction<R>(db: Executor, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  if (db.isTransaction) return work(db as Transaction<Database>)
  return (db as DB).transaction().execute(work)
}

function domainRows(
  personId: string,
  input: Pick<AdmitExpertInput, 'primaryDomains' | 'secondaryDomains' | 'specialties'>,
): ExpertDomainTable[] {
  return [
    ...input.primaryDomains.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'primary' as const })),
    ...input.secondaryDomains.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'secondary' as const })),
    ...input.specialties.map((code) => ({ expert_id: personId, dispute_type_code: code, role: 'specialty' as const })),
  ]
}

/** Organisation ids on a form must name real bodies: an appointing body of the expert's region. */
async function checkOrganisations(
  db: Executor,
  input: { appointingOrgId?: string; employerOrgId?: string },
  appointingRegion: string | null,
): Promise<Outcome | null> {
  if (input.appointingOrgId) {
    const org = await db
      .selectFrom('organisations')
      .select(['region_code', 'kind'])
      .where('id', '=', input.appointingOrgId)
      .executeTakeFirst()
    if (!org || org.region_code !== appointingRegion || !['justice_bureau', 'association'].includes(org.kind)) {
      return fieldError('appointingOrgId', 'validation.choice')
    }
  }
  if (input.employerOrgId) {
    const org = await db.selectFrom('organisations').select('id').where('id', '=', input.employerOrgId).executeTakeFirst()
    if (!org) return fieldError('employerOrgId', 'validation.choice')
  }
  return null
}

const DUPLICATE_HINTS = ['id_number_hash', 'uq_people_id_number_hash', 'experts.person_id', 'PRIMARY']

export async function admitExpert(
  db: DB,
  request: Request,
  user: AuthUser,
  input: AdmitExpertInput,
  settings: ExpertSettings,
): Promise<Outcome<{ personId: string }>> {
  const appointingRegion = input.tier === 'national' ? null : input.regionCode!
  if (!mayEditExpert(user, { personId: '', regionCode: appointingRegion, regionPath: null })) {
    return fieldError(input.tier === 'national' ? 'tier' : 'regionCode', 'experts.validation.notYourBody')
  }
  if (!input.confirmAge) {
    const warning = ageLimitWarning(input.birthDate, input.termEnd, settings.ageLimit)
    if (warning) return { ok: false, ageWarning: warning, formErrors: [messageRef('experts.age.warning', warning)] }
  }
  const orgProblem = await checkOrganisations(db, input, appointingRegion)
  if (orgProblem) return orgProblem as Outcome<{ personId: string }>

  const sealedId = sealPersonalNumber('id', input.idNumber)
  const sealedPhone = sealPersonalNumber('phone', input.phone)
  const existing = await db
    .selectFrom('people as p')
    .leftJoin('experts as e', 'e.person_id', 'p.id')
    .select(['p.id', 'p.name', 'e.person_id as expert_id'])
    .where('p.id_number_hash', '=', sealedId.hash)
    .executeTakeFirst()
  if (existing?.expert_id) {
    return { ok: false, duplicateOf: existing.expert_id, fieldErrors: { idNumber: ['experts.validation.duplicate'] } }
  }
  // Someone already registered (a mediator, say) becomes an expert: the same person, a new profile.
  if (existing && existing.name !== input.name) return fieldError('idNumber', 'experts.validation.idBelongsToOther')

  const personId = existing?.id ?? newId()
  const now = nowIso()
  try {
    await inTransaction(db, async (trx) => {
      if (!existing) {
        await trx
          .insertInto('people')
          .values({
            id: personId,
            name: input.name,
            gender: input.gender,
            birth_date: input.birthDate,
            id_number_enc: sealedId.enc,
            id_number_hash: sealedId.hash,
            id_number_masked: sealedId.masked,
            phone_enc: sealedPhone.enc,
            phone_hash: sealedPhone.hash,
            phone_masked: sealedPhone.masked,
            region_code: input.regionCode!,
            org_id: input.employerOrgId ?? null,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute()
      }
      await trx
        .insertInto('experts')
        .values({
          person_id: personId,
          name: input.name,
          tier: input.tier,
          region_code: appointingRegion,
          appointing_org_id: input.appointingOrgId ?? null,
          employer: input.employer,
          employer_org_id: input.employerOrgId ?? null,
          title: input.title ?? null,
          professions: JSON.stringify(input.professions),
          languages: JSON.stringify(input.languages),
          bio: input.bio ?? null,
          photo_file: null,
          photo_type: null,
          term_start: input.termStart,
          term_end: input.termEnd,
          status: 'active',
          max_concurrent_cases: input.maxConcurrentCases,
          contact_preference: input.contactPreference,
          contact_note: input.contactNote ?? null,
          version: 1,
          created_at: now,
          updated_at: now,
          created_by: user.userId,
        })
        .execute()
      await trx.insertInto('expert_domains').values(domainRows(personId, input)).execute()
      await trx
        .insertInto('expert_terms')
        .values({
          id: newId(),
          expert_id: personId,
          kind: 'appointed',
          start_date: input.termStart,
          end_date: input.termEnd,
          note: null,
          created_by: user.userId,
          created_at: now,
        })
        .execute()
      await trx
        .insertInto('expert_status_changes')
        .values({
          id: newId(),
          expert_id: personId,
          from_status: null,
          to_status: 'active',
          reason: '',
          changed_by: user.userId,
          changed_at: now,
        })
        .execute()
      await bumpExpertPoolVersion(trx, user.userId)
      await audit(trx, request, actorOf(user), {
        action: 'expert.admit',
        recordType: 'expert',
        recordId: personId,
        detail: {
          name: input.name,
          tier: input.tier,
          regionCode: appointingRegion,
          idNumber: sealedId.masked,
          phone: sealedPhone.masked,
          term: [input.termStart, input.termEnd],
          existingPerson: !!existing,
          ageConfirmed: input.confirmAge === true,
        },
      })
    })
  } catch (error) {
    if (!isUniqueViolation(error, DUPLICATE_HINTS)) throw error
    // A racing admission of the same person won: point at it.
    const winner = await db
      .selectFrom('people as p')
      .innerJoin('experts as e', 'e.person_id', 'p.id')
      .select('e.person_id')
      .where('p.id_number_hash', '=', sealedId.hash)
      .executeTakeFirst()
    return { ok: false, duplicateOf: winner?.person_id, fieldErrors: { idNumber: ['experts.validation.duplicate'] } }
  }
  return done({ personId })
}

/** The fields of a profile the audit log compares (never numbers in the clear). */
const AUDITED_FIELDS = [
  'name',
  'employer',
  'title',
  'professions',
  'languages',
  'bio',
  'max_concurrent_cases',
  'contact_preference',
  'contact_note',
] as const

export async function updateExpertProfile(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  input: EditExpertInput,
): Promise<Outcome> {
  const current = await db
    .selectFrom('experts as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select([
      'e.region_code',
      'e.version',
      'e.name',
      'e.employer',
      'e.title',
      'e.professions',
      'e.languages',
      'e.bio',
      'e.max_concurrent_cases',
      'e.contact_preference',
      'e.contact_note',
      'p.id_number_enc',
      'p.gender',
      'p.birth_date',
    ])
    .where('e.person_id', '=', personId)
    .executeTakeFirst()
  if (!current) return fieldError('', 'error.404.title')
  if (current.version !== input.version) return STALE

  const orgProblem = await checkOrganisations(db, input, current.region_code)
  if (orgProblem) return orgProblem

  // The birth date and gender must agree with the ID number, whether typed again or kept.
  const idNumber = input.idNumber ?? (current.id_number_enc ? decrypt(current.id_number_enc) : null)
  if (idNumber) {
    if (birthDateFromIdNumber(idNumber) !== input.birthDate) return fieldError('birthDate', 'experts.validation.birthDateMismatch')
    if (genderFromIdNumber(idNumber) !== input.gender) return fieldError('gender', 'experts.validation.genderMismatch')
  }
  let sealedId: SealedNumber | null = null
  if (input.idNumber) {
    sealedId = sealPersonalNumber('id', input.idNumber)
    const other = await db
      .selectFrom('people as p')
      .leftJoin('experts as e', 'e.person_id', 'p.id')
      .select(['p.id', 'e.person_id as expert_id'])
      .where('p.id_number_hash', '=', sealedId.hash)
      .where('p.id', '!=', personId)
      .executeTakeFirst()
    if (other) {
      return other.expert_id
        ? { ok: false, duplicateOf: other.expert_id, fieldErrors: { idNumber: ['experts.validation.duplicate'] } }
        : fieldError('idNumber', 'experts.validation.idBelongsToOther')
    }
  }
  const sealedPhone = input.phone ? sealPersonalNumber('phone', input.phone) : null

  const next = {
    name: input.name,
    employer: input.employer,
    title: input.title ?? null,
    professions: JSON.stringify(input.professions),
    languages: JSON.stringify(input.languages),
    bio: input.bio ?? null,
    max_concurrent_cases: input.maxConcurrentCases,
    contact_preference: input.contactPreference,
    contact_note: input.contactNote ?? null,
  }
  const before: Record<string, unknown> = {}
  const after: Record<string, unknown> = {}
  for (const field of AUDITED_FIELDS) {
    if (current[field] !== next[field]) {
      before[field] = current[field]
      after[field] = next[field]
    }
  }
  if (current.gender !== input.gender) {
    before.gender = current.gender
    after.gender = input.gender
  }
  if (current.birth_date !== input.birthDate) {
    before.birthDate = current.birth_date
    after.birthDate = input.birthDate
  }
  if (sealedId) after.idNumber = sealedId.masked
  if (sealedPhone) after.phone = sealedPhone.masked

  const now = nowIso()
  try {
    return await inTransaction(db, async (trx) => {
      const updated = await trx
        .updateTable('experts')
        .set((eb) => ({
          ...next,
          appointing_org_id: input.appointingOrgId ?? null,
          employer_org_id: input.employerOrgId ?? null,
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('person_id', '=', personId)
        .where('version', '=', input.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) return STALE
      await trx
        .updateTable('people')
        .set((eb) => ({
          name: input.name,
          gender: input.gender,
          birth_date: input.birthDate,
          ...(sealedId ? { id_number_enc: sealedId.enc, id_number_hash: sealedId.hash, id_number_masked: sealedId.masked } : {}),
          ...(sealedPhone ? { phone_enc: sealedPhone.enc, phone_hash: sealedPhone.hash, phone_masked: sealedPhone.masked } : {}),
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', personId)
        .execute()
      await trx.deleteFrom('expert_domains').where('expert_id', '=', personId).execute()
      await trx.insertInto('expert_domains').values(domainRows(personId, input)).execute()
      await bumpExpertPoolVersion(trx, user.userId)
      await audit(trx, request, actorOf(user), {
        action: 'expert.update',
        recordType: 'expert',
        recordId: personId,
        detail: {
          before,
          after,
          domains: { primary: input.primaryDomains, secondary: input.secondaryDomains, specialty: input.specialties },
        },
      })
      return done(null)
    })
  } catch (error) {
    if (!isUniqueViolation(error, DUPLICATE_HINTS)) throw error
    return fieldError('idNumber', 'experts.validation.duplicate')
  }
}
