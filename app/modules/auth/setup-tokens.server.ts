/**
 * One-time links for setting up an account or resetting its password. Administrators pass the
 * link on themselves (the app sends no e-mail). The token is 32 random bytes; the database holds
 * only its SHA-256, so a copy of the database opens no account. A link works once, for 72 hours,
 * and issuing a new one cancels the user's older unused links.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import type { Role, SetupTokenTable } from '#db/schema.ts'

export const SETUP_TOKEN_HOURS = 72
export type SetupPurpose = SetupTokenTable['purpose']

/** base64url of 32 bytes: 43 characters. Anything else is refused before touching the database. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function isWellFormedSetupToken(token: string): boolean {
  return TOKEN_PATTERN.test(token)
}

export function hashSetupToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function setupLink(token: string): string {
  return new URL(`/setup/${token}`, getEnv().APP_ORIGIN).toString()
}

export interface IssuedSetupToken {
  token: string
  purpose: SetupPurpose
  expiresAt: string
}

/** Creates a link for the user, cancelling any unused one. Returns the token, which is never stored. */
export async function issueSetupToken(
  db: Executor,
  userId: string,
  purpose: SetupPurpose,
  createdBy: string | null,
  now = Date.now(),
): Promise<IssuedSetupToken> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now + SETUP_TOKEN_HOURS * 3600_000).toISOString()
  await db.deleteFrom('setup_tokens').where('user_id', '=', userId).where('used_at', 'is', null).execute()
  await db
    .insertInto('setup_tokens')
    .values({
      token_hash: hashSetupToken(token),
      user_id: userId,
      purpose,
      expires_at: expiresAt,
      used_at: null,
      created_by: createdBy,
      created_at: new Date(now).toISOString(),
    })
    .execute()
  return { token, purpose, expiresAt }
}

/** Cancels the user's unused links (when the account is disabled). */
export async function cancelSetupTokens(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('setup_tokens').where('user_id', '=', userId).where('used_at', 'is', null).execute()
}

export interface SetupTarget {
  tokenHash: string
  purpose: SetupPurpose
  userId: string
  username: string
  roles: Role[]
}

/**
 * The account a link opens, or null when the link is unknown, used, expired or its account is
 * disabled. The caller shows the same page for all of these, so the answer gives nothing away.
 */
export async function findSetupTarget(db: Executor, token: string, now = Date.now()): Promise<SetupTarget | null> {
  if (!isWellFormedSetupToken(token)) return null
  const row = await db
    .selectFrom('setup_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.token_hash', 't.purpose', 't.expires_at', 't.used_at', 'u.id as user_id', 'u.username', 'u.status'])
    .where('t.token_hash', '=', hashSetupToken(token))
    .executeTakeFirst()
  if (!row || row.used_at !== null || row.status !== 'active') return null
  if (Date.parse(row.expires_at) <= now) return null
  const grants = await db.selectFrom('role_grants').select('role').where('user_id', '=', row.user_id).execute()
  return {
    tokenHash: row.token_hash,
    purpose: row.purpose,
    userId: row.user_id,
    username: row.username,
    roles: [...new Set(grants.map((g) => g.role))],
  }
}

/**
 * Spends the link and stores the new password hash, in one transaction. Returns false when the
 * link was spent or expired in the meantime (two tabs, a double click): only one use wins.
 */
export async function completeSetup(db: DB, target: SetupTarget, passwordHash: string, now = Date.now()): Promise<boolean> {
  const at = new Date(now).toISOString()
  const spend = async (trx: Executor) => {
    const spent = await trx
      .updateTable('setup_tokens')
      .set({ used_at: at })
      .where('token_hash', '=', target.tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1) throw new LinkSpent()
    const updated = await trx
      .updateTable('users')
      .set((eb) => ({ password_hash: passwordHash, password_changed_at: at, updated_at: at, version: eb('version', '+', 1) }))
      .where('id', '=', target.userId)
      .where('status', '=', 'active')
      .executeTakeFirst()
    // Disabled in the meantime: roll back, so the link is not spent on an account that stays shut.
    if (Number(updated.numUpdatedRows) !== 1) throw new LinkSpent()
  }
  try {
    await db.transaction().execute(spend)
    return true
  } catch (error) {
    if (error instanceof LinkSpent) return false
    throw error
  }
}

class LinkSpent extends Error {}
