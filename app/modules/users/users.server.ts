/**
 * Account administration (permission user:manage): listing, creating and changing accounts and
 * their role grants. Every change runs in a transaction with its audit entry (before and after).
 * Routes check the permission first; the guards here (own last admin grant, disabling oneself,
 * scope of a grant, stale versions) hold whoever calls.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { containsText } from '#app/lib/like.server.ts'
import type { ListParams } from '#app/lib/list-params.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { type IssuedSetupToken, cancelSetupTokens, issueSetupToken } from '#app/modules/auth/setup-tokens.server.ts'
import type { OrgKind, RegionLevel, Role } from '#db/schema.ts'
import { type NormalisedGrant, removesOwnLastAdmin, sameGrant, scopeKindOf } from './grant-rules.ts'

// ---------------------------------------------------------------------------------------------
// Reading

export interface GrantView extends NormalisedGrant {
  id: string
  /** Region or organisation name, for display. */
  scopeName: string | null
}

/** The grants of several users, with their scope names, in one query. */
export async function grantsOf(db: Executor, userIds: readonly string[]): Promise<Map<string, GrantView[]>> {
  const byUser = new Map<string, GrantView[]>(userIds.map((id) => [id, []]))
  if (!userIds.length) return byUser
  const rows = await db
    .selectFrom('role_grants as g')
    .leftJoin('regions as r', 'r.code', 'g.region_code')
    .leftJoin('organisations as o', 'o.id', 'g.org_id')
    .select(['g.id', 'g.user_id', 'g.role', 'g.region_code', 'g.org_id', 'r.name as region_name', 'o.name as org_name'])
    .where('g.user_id', 'in', [...userIds])
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute()
  for (const r of rows) {
    byUser.get(r.user_id)?.push({
      id: r.id,
      role: r.role,
      regionCode: r.region_code,
      orgId: r.org_id,
      scopeName: r.org_name ?? r.region_name ?? null,
    })
  }
  return byUser
}

export const USER_SORTS = ['username', 'displayName', 'status', 'lastSignIn', 'created'] as const
export type UserSort = (typeof USER_SORTS)[number]

const SORT_COLUMNS = {
  username: 'u.username',
  displayName: 'u.display_name',
  status: 'u.status',
  lastSignIn: 'u.last_sign_in_at',
  created: 'u.created_at',
} as const satisfies Record<UserSort, string>

export interface UserFilters {
  role: Role | null
  status: 'active' | 'disabled' | null
}

export interface UserListRow {
  id: string
  username: string
  displayName: string
  status: 'active' | 'disabled'
  lastSignInAt: string | null
  hasPassword: boolean
  grants: GrantView[]
}

export async function listUsers(
  db: Executor,
  params: ListParams<UserSort>,
  filters: UserFilters,
): Promise<{ rows: UserListRow[]; total: number }> {
  let query = db.selectFrom('users as u')
  if (params.q) {
    const q = params.q.toLowerCase()
    query = query.where((eb) => eb.or([containsText('u.username', q), containsText('u.display_name', params.q)]))
  }
  if (filters.status) query = query.where('u.status', '=', filters.status)
  if (filters.role) {
    const role = filters.role
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('role_grants as fg').select('fg.id').whereRef('fg.user_id', '=', 'u.id').where('fg.role', '=', role)),
    )
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow()
  const rows = await query
    .select(['u.id', 'u.username', 'u.display_name', 'u.status', 'u.last_sign_in_at', 'u.password_hash'])
    .orderBy(SORT_COLUMNS[params.sort], params.dir)
    .orderBy('u.id')
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize)
    .execute()
  const grants = await grantsOf(
    db,
    rows.map((r) => r.id),
  )
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      status: r.status,
      lastSignInAt: r.last_sign_in_at,
      hasPassword: r.password_hash !== null,
      grants: grants.get(r.id) ?? [],
    })),
  }
}

export interface UserDetail {
  id: string
  username: string
  displayName: string
  status: 'active' | 'disabled'
  personId: string | null
  personName: string | null
  hasPassword: boolean
  lastSignInAt: string | null
  passwordChangedAt: string | null
  createdAt: string
  version: number
  grants: GrantView[]
  activeSessions: number
  /** The latest unused, unexpired link (never the token itself). */
  pendingLink: { purpose: 'setup' | 'reset'; expiresAt: string } | null
}

export async function getUserDetail(db: Executor, userId: string, now = Date.now()): Promise<UserDetail | null> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('people as p', 'p.id', 'u.person_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.status',
      'u.person_id',
      'p.name as person_name',
      'u.password_hash',
      'u.last_sign_in_at',
      'u.password_changed_at',
      'u.created_at',
      'u.version',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst()
  if (!row) return null
  const at = new Date(now).toISOString()
  const [grants, sessions, link] = await Promise.all([
    grantsOf(db, [userId]),
    db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('expires_at', '>', at)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('setup_tokens')
      .select(['purpose', 'expires_at'])
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
  ])
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    status: row.status,
    personId: row.person_id,
    personName: row.person_name ?? null,
    hasPassword: row.password_hash !== null,
    lastSignInAt: row.last_sign_in_at,
    passwordChangedAt: row.password_changed_at,
    createdAt: row.created_at,
    version: row.version,
    grants: grants.get(userId) ?? [],
    activeSessions: Number(sessions.n),
    pendingLink: link ? { purpose: link.purpose, expiresAt: link.expires_at } : null,
  }
}

export interface ScopeOptions {
  regions: { code: string; name: string; level: RegionLevel; path: string }[]
  organisations: { id: string; name: string; kind: OrgKind }[]
  people: { id: string; name: string; orgName: string | null }[]
}

/** Upper bounds for the pickers; a deployment larger than this needs a search box instead. */
export const PICKER_LIMIT = 1000

/** What the grant and person pickers offer. `forUserId` keeps that user's own linked person in the list. */
export async function scopeOptions(db: Executor, forUserId: string | null = null): Promise<ScopeOptions> {
  const [regions, organisations, people] = await Promise.all([
    db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'path'])
      .where('level', '!=', 'village')
      .orderBy('path')
      .limit(PICKER_LIMIT)
      .execute(),
    db
      .selectFrom('organisations')
      .select(['id', 'name', 'kind'])
      .where('status', '=', 'active')
      .orderBy('name')
      .limit(PICKER_LIMIT)
      .execute(),
    db
      .selectFrom('people as p')
      .leftJoin('organisations as o', 'o.id', 'p.org_id')
      .select(['p.id', 'p.name', 'o.name as org_name'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('users as lu')
              .select('lu.id')
              .whereRef('lu.person_id', '=', 'p.id')
              .$if(forUserId !== null, (q) => q.where('lu.id', '!=', forUserId!)),
          ),
        ),
      )
      .orderBy('p.name')
      .orderBy('p.id')
      .limit(PICKER_LIMIT)
      .execute(),
  ])
  return {
    regions,
    organisations,
    people: people.map((p) => ({ id: p.id, name: p.name, orgName: p.org_name ?? null })),
  }
}

// ---------------------------------------------------------------------------------------------
// Checks that need the database

export type FieldErrors = Record<string, string[]>

/** Problems with a grant's scope: the region or organisation must exist, associations for association admins. */
async function grantScopeProblem(db: Executor, grant: NormalisedGrant): Promise<{ field: 'regionCode' | 'orgId'; message: string } | null> {
  const kind = scopeKindOf(grant.role)
  if (kind === 'region') {
    const region = await db.selectFrom('regions').select('code').where('code', '=', grant.regionCode!).executeTakeFirst()
    return region ? null : { field: 'regionCode', message: 'users.grant.unknownRegion' }
  }
  if (kind === 'org') {
    const org = await db.selectFrom('organisations').select(['kind', 'status']).where('id', '=', grant.orgId!).executeTakeFirst()
    if (!org || org.status !== 'active') return { field: 'orgId', message: 'users.grant.unknownOrg' }
    if (grant.role === 'association_admin' && org.kind !== 'association') return { field: 'orgId', message: 'users.grant.notAssociation' }
  }
  return null
}

/** The person must exist and belong to no other account. */
async function personProblem(db: Executor, personId: string, exceptUserId: string | null): Promise<string | null> {
  const person = await db.selectFrom('people').select('id').where('id', '=', personId).executeTakeFirst()
  if (!person) return 'users.person.unknown'
  let taken = db.selectFrom('users').select('id').where('person_id', '=', personId)
  if (exceptUserId) taken = taken.where('id', '!=', exceptUserId)
  return (await taken.executeTakeFirst()) ? 'users.person.taken' : null
}

const USERNAME_KEY_HINTS = ['users.username', 'uq_users_username']

// ---------------------------------------------------------------------------------------------
// Writing

export type Outcome<T = void> =
  | ({ ok: true } & (T extends void ? unknown : T))
  | { ok: false; fieldErrors?: FieldErrors; formError?: string }

export interface NewUserInput {
  username: string
  displayName: string
  personId?: string
  grants: NormalisedGrant[]
}

/** Opens an account (no password yet) with its grants and a set-up link, all or nothing. */
export async function createUser(
  db: DB,
  request: Request,
  admin: AuthUser,
  input: NewUserInput,
): Promise<Outcome<{ userId: string; issued: IssuedSetupToken }>> {
  const fieldErrors: FieldErrors = {}
  if (await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst()) {
    fieldErrors.username = ['validation.duplicateUsername']
  }
  if (input.personId) {
    const problem = await personProblem(db, input.personId, null)
    if (problem) fieldErrors.personId = [problem]
  }
  for (const [index, grant] of input.grants.entries()) {
    const problem = await grantScopeProblem(db, grant)
    if (problem) fieldErrors[`grants[${index}].${problem.field}`] = [problem.message]
    if (input.grants.slice(0, index).some((earlier) => sameGrant(earlier, grant))) {
      fieldErrors[`grants[${index}].role`] = ['users.grant.duplicate']
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors }

  const userId = newId()
  const at = new Date().toISOString()
  try {
    const issued = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id: userId,
          username: input.username,
          display_name: input.displayName,
          password_hash: null,
          person_id: input.personId ?? null,
          status: 'active',
          last_sign_in_at: null,
          password_changed_at: null,
          version: 1,
          created_at: at,
          updated_at: at,
        })
        .execute()
      await trx
        .insertInto('role_grants')
        .values(
          input.grants.map((g) => ({
            id: newId(),
            user_id: userId,
            role: g.role,
            region_code: g.regionCode,
            org_id: g.orgId,
            created_at: at,
            created_by: admin.userId,
          })),
        )
        .execute()
      const link = await issueSetupToken(trx, userId, 'setup', admin.userId)
      await audit(trx, request, actorOf(admin), {
        action: 'user.create',
        recordType: 'user',
        recordId: userId,
        detail: {
          after: {
            username: input.username,
            displayName: input.displayName,
            personId: input.personId ?? null,
            status: 'active',
            grants: input.grants,
          },
          setupLink: { purpose: link.purpose, expiresAt: link.expiresAt },
        },
      })
      return link
    })
    return { ok: true, userId, issued }
  } catch (error) {
    // Two administrators creating the same username at once: the loser gets the field error.
    if (isUniqueViolation(error, USERNAME_KEY_HINTS)) return { ok: false, fieldErrors: { username: ['validation.duplicateUsername'] } }
    throw error
  }
}

const grantSummary = (grants: readonly GrantView[]) => grants.map(({ role, regionCode, orgId }) => ({ role, regionCode, orgId }))

export async function updateProfile(
  db: DB,
  request: Request,
  admin: AuthUser,
  userId: string,
  input: { displayName: string; personId?: string; version: number },
): Promise<Outcome> {
  const before = await db.selectFrom('users').select(['display_name', 'person_id']).where('id', '=', userId).executeTakeFirst()
  if (!before) return { ok: false, formError: 'users.notFound' }
  const personId = input.personId ?? null
  if (personId && personId !== before.person_id) {
    const problem = await personProblem(db, personId, userId)
    if (problem) return { ok: false, fieldErrors: { personId: [problem] } }
  }
  const at = new Date().toISOString()
  return db.transaction().execute(async (trx): Promise<Outcome> => {
    const updated = await trx
      .updateTable('users')
      .set((eb) => ({ display_name: input.displayName, person_id: personId, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', userId)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, formError: 'form.staleVersion' }
    await audit(trx, request, actorOf(admin), {
      action: 'user.update',
      recordType: 'user',
      recordId: userId,
      detail: {
        before: { displayName: before.display_name, personId: before.person_id },
        after: { displayName: input.displayName, personId },
      },
    })
    return { ok: true }
  })
}

export async function addGrant(db: DB, request: Request, admin: AuthUser, userId: string, grant: NormalisedGrant): Promise<Outcome> {
  const existing = (await grantsOf(db, [userId])).get(userId) ?? []
  if (existing.some((g) => sameGrant(g, grant))) return { ok: false, fieldErrors: { 'grant.role': ['users.grant.duplicate'] } }
  const problem = await grantScopeProblem(db, grant)
  if (problem) return { ok: false, fieldErrors: { [`grant.${problem.field}`]: [problem.message] } }
  const at = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('role_grants')
      .values({
        id: newId(),
        user_id: userId,
        role: grant.role,
        region_code: grant.regionCode,
        org_id: grant.orgId,
        created_at: at,
        created_by: admin.userId,
      })
      .execute()
    await trx.updateTable('users').set({ updated_at: at }).where('id', '=', userId).execute()
    await audit(trx, request, actorOf(admin), {
      action: 'user.grant_added',
      recordType: 'user',
      recordId: userId,
      detail: { grant, before: grantSummary(existing), after: [...grantSummary(existing), grant] },
    })
  })
  return { ok: true }
}

export async function removeGrant(db: DB, request: Request, admin: AuthUser, userId: string, grantId: string): Promise<Outcome> {
  const existing = (await grantsOf(db, [userId])).get(userId) ?? []
  const grant = existing.find((g) => g.id === grantId)
  if (!grant) return { ok: false, formError: 'users.grant.gone' }
  if (removesOwnLastAdmin(admin.userId, userId, existing, grantId)) return { ok: false, formError: 'users.grant.ownLastAdmin' }
  const at = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('role_grants').where('id', '=', grantId).where('user_id', '=', userId).execute()
    await trx.updateTable('users').set({ updated_at: at }).where('id', '=', userId).execute()
    await audit(trx, request, actorOf(admin), {
      action: 'user.grant_removed',
      recordType: 'user',
      recordId: userId,
      detail: {
        grant: { role: grant.role, regionCode: grant.regionCode, orgId: grant.orgId },
        before: grantSummary(existing),
        after: grantSummary(existing.filter((g) => g.id !== grantId)),
      },
    })
  })
  return { ok: true }
}

/** Disabling ends every session of the account at once and cancels its unused links. */
export async function setStatus(
  db: DB,
  request: Request,
  admin: AuthUser,
  userId: string,
  status: 'active' | 'disabled',
  version: number,
): Promise<Outcome> {
  if (status === 'disabled' && userId === admin.userId) return { ok: false, formError: 'users.status.notSelf' }
  const before = await db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst()
  if (!before) return { ok: false, formError: 'users.notFound' }
  const at = new Date().toISOString()
  return db.transaction().execute(async (trx): Promise<Outcome> => {
    const updated = await trx
      .updateTable('users')
      .set((eb) => ({ status, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', userId)
      .where('version', '=', version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, formError: 'form.staleVersion' }
    let sessionsEnded = 0
    if (status === 'disabled') {
      const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
      sessionsEnded = Number(ended.numDeletedRows)
      await cancelSetupTokens(trx, userId)
    }
    await audit(trx, request, actorOf(admin), {
      action: status === 'disabled' ? 'user.disable' : 'user.enable',
      recordType: 'user',
      recordId: userId,
      detail: { before: { status: before.status }, after: { status }, sessionsEnded },
    })
    return { ok: true }
  })
}

/** A new set-up link (no password yet) or password-reset link; cancels older unused ones. */
export async function issueLink(db: DB, request: Request, admin: AuthUser, userId: string): Promise<Outcome<{ issued: IssuedSetupToken }>> {
  const user = await db.selectFrom('users').select(['status', 'password_hash']).where('id', '=', userId).executeTakeFirst()
  if (!user) return { ok: false, formError: 'users.notFound' }
  if (user.status !== 'active') return { ok: false, formError: 'users.link.disabled' }
  const purpose = user.password_hash ? 'reset' : 'setup'
  const issued = await db.transaction().execute(async (trx) => {
    const link = await issueSetupToken(trx, userId, purpose, admin.userId)
    await audit(trx, request, actorOf(admin), {
      action: 'user.link_issued',
      recordType: 'user',
      recordId: userId,
      detail: { purpose, expiresAt: link.expiresAt },
    })
    return link
  })
  return { ok: true, issued }
}

/** Ends every session of the account (an administrator's "sign out everywhere"). */
export async function endUserSessions(db: DB, request: Request, admin: AuthUser, userId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
    const count = Number(ended.numDeletedRows)
    await audit(trx, request, actorOf(admin), { action: 'user.sessions_ended', recordType: 'user', recordId: userId, detail: { count } })
    return count
  })
}
