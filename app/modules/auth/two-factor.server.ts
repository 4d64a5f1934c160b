/**
 * The second factor of one account: enrolment (a candidate secret confirmed by a valid code),
 * checking codes and recovery codes, regenerating recovery codes, removal and an administrator's
 * reset. Secrets are sealed with the data key; recovery codes are kept only as hashes.
 */
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding'
import { audit, type AuditActor } from '#app/lib/audit.server.ts'
import { decrypt, encrypt } from '#app/lib/crypto.server.ts'
import type { DB, Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { qrDataUrl } from '#app/lib/qr.server.ts'
import { upsert } from '#app/lib/upsert.server.ts'
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.ts'
import { formatSecret, matchTotp, newTotpKey, totpUri } from './totp.ts'

/** The issuer shown in authenticator apps next to the account name. */
export const TOTP_ISSUER = 'Tiaojie'

function seal(key: Uint8Array): string {
  return encrypt(encodeBase32NoPadding(key))
}

function unseal(sealed: string): Uint8Array {
  return decodeBase32IgnorePadding(decrypt(sealed))
}

export interface FactorStatus {
  enrolled: boolean
  confirmedAt: string | null
  /** A secret is waiting for its first code. */
  enrolling: boolean
  recoveryCodesLeft: number
}

export async function factorStatus(db: Executor, userId: string): Promise<FactorStatus> {
  const [row, codes] = await Promise.all([
    db
      .selectFrom('user_two_factor')
      .select(['secret_enc', 'confirmed_at', 'candidate_secret_enc'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ])
  return {
    enrolled: !!row?.secret_enc,
    confirmedAt: row?.secret_enc ? row.confirmed_at : null,
    enrolling: !!row?.candidate_secret_enc,
    recoveryCodesLeft: Number(codes.n),
  }
}

export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('user_two_factor').select('secret_enc').where('user_id', '=', userId).executeTakeFirst()
  return !!row?.secret_enc
}

/** Makes a new candidate secret (replacing any earlier candidate); the active factor, if any, stays until confirmation. */
export async function startEnrolment(db: Executor, userId: string, now = Date.now()): Promise<void> {
  const at = new Date(now).toISOString()
  const candidate = seal(newTotpKey())
  await upsert(
    db,
    'user_two_factor',
    {
      user_id: userId,
      secret_enc: null,
      confirmed_at: null,
      last_used_step: 0,
      candidate_secret_enc: candidate,
      candidate_created_at: at,
      created_at: at,
      updated_at: at,
    },
    ['user_id'],
    { candidate_secret_enc: candidate, candidate_created_at: at, updated_at: at },
  )
}

export interface EnrolmentDetails {
  /** The secret in base32 groups, for typing into an app by hand. */
  secret: string
  /** A QR code (SVG data URL) of the otpauth:// URI. */
  qr: string
}

/** What the user needs to add the candidate secret to an app; null when no enrolment is under way. */
export async function enrolmentDetails(db: Executor, userId: string, username: string): Promise<EnrolmentDetails | null> {
  const row = await db.selectFrom('user_two_factor').select('candidate_secret_enc').where('user_id', '=', userId).executeTakeFirst()
  if (!row?.candidate_secret_enc) return null
  const key = unseal(row.candidate_secret_enc)
  return { secret: formatSecret(key), qr: await qrDataUrl(totpUri(TOTP_ISSUER, username, key)) }
}

async function replaceRecoveryCodes(db: Executor, userId: string, now: number): Promise<string[]> {
  const codes = newRecoveryCodes()
  const at = new Date(now).toISOString()
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute()
  await db
    .insertInto('two_factor_recovery_codes')
    .values(
      codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(userId, code), used_at: null, created_at: at })),
    )
    .execute()
  return codes
}

export type ConfirmResult = { ok: true; recoveryCodes: string[]; replaced: boolean } | { ok: false; reason: 'no_enrolment' | 'invalid' }

/**
 * Activates the candidate secret when the code is valid for it, with ten new recovery codes, in
 * one transaction. The code's step counts as used, so it cannot sign in afterwards.
 */
export async function confirmEnrolment(
  db: DB,
  request: Request,
  actor: AuditActor,
  userId: string,
  code: string,
  now = Date.now(),
): Promise<ConfirmResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('user_two_factor')
      .select(['secret_enc', 'candidate_secret_enc'])
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!row?.candidate_secret_enc) return { ok: false, reason: 'no_enrolment' }
    const match = matchTotp(unseal(row.candidate_secret_enc), code, now, 0)
    if (!match.ok) {
      await audit(trx, request, actor, {
        action: 'auth.two_factor.enrol',
        recordType: 'user',
        recordId: userId,
        result: 'failed',
        detail: { reason: 'invalid_code' },
      })
      return { ok: false, reason: 'invalid' }
    }
    const at = new Date(now).toISOString()
    const updated = await trx
      .updateTable('user_two_factor')
      .set({
        secret_enc: row.candidate_secret_enc,
        confirmed_at: at,
        last_used_step: match.step,
        candidate_secret_enc: null,
        candidate_created_at: null,
        updated_at: at,
      })
      .where('user_id', '=', userId)
      .where('candidate_secret_enc', '=', row.candidate_secret_enc)
      .executeTakeFirst()
    // A second submission of the same form lost the race: the first one already confirmed it.
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'no_enrolment' }
    const recoveryCodes = await replaceRecoveryCodes(trx, userId, now)
    await audit(trx, request, actor, {
      action: 'auth.two_factor.enrol',
      recordType: 'user',
      recordId: userId,
      detail: { replaced: !!row.secret_enc },
    })
    return { ok: true, recoveryCodes, replaced: !!row.secret_enc }
  })
}

export type SecondFactorMethod = 'totp' | 'recovery'

export type SecondFactorCheck =
  | { ok: true; method: SecondFactorMethod; recoveryCodesLeft?: number }
  | { ok: false; reason: 'invalid' | 'replay' | 'not_enrolled' }

/**
 * Checks a code from the authenticator app, or a recovery code, for an enrolled user. The TOTP
 * step is recorded with a conditional update, so two requests racing with one code accept it once;
 * a recovery code is spent the same way. The caller throttles before calling this.
 */
export async function checkSecondFactor(
  db: Executor,
  userId: string,
  method: SecondFactorMethod,
  input: string,
  now = Date.now(),
): Promise<SecondFactorCheck> {
  if (method === 'recovery') {
    if (!looksLikeRecoveryCode(input)) return { ok: false, reason: 'invalid' }
    const spent = await db
      .updateTable('two_factor_recovery_codes')
      .set({ used_at: new Date(now).toISOString() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashRecoveryCode(userId, input))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'invalid' }
    const left = await db
      .selectFrom('two_factor_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow()
    return { ok: true, method, recoveryCodesLeft: Number(left.n) }
  }

  const row = await db
    .selectFrom('user_two_factor')
    .select(['secret_enc', 'last_used_step'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row?.secret_enc) return { ok: false, reason: 'not_enrolled' }
  const lastUsedStep = Number(row.last_used_step)
  const match = matchTotp(unseal(row.secret_enc), input, now, lastUsedStep)
  if (!match.ok) return match
  const recorded = await db
    .updateTable('user_two_factor')
    .set({ last_used_step: match.step })
    .where('user_id', '=', userId)
    .where('last_used_step', '<', match.step)
    .executeTakeFirst()
  if (Number(recorded.numUpdatedRows) !== 1) return { ok: false, reason: 'replay' }
  return { ok: true, method }
}

/**
 * Checks one field that takes either kind (re-authentication, password change): six digits are a
 * code from the app, anything shaped like a recovery code is one.
 */
export async function checkTypedCode(db: Executor, userId: string, typed: string, now = Date.now()): Promise<SecondFactorCheck> {
  const input = typed.trim()
  if (/^\d{3}\s?\d{3}$/.test(input)) return checkSecondFactor(db, userId, 'totp', input, now)
  if (looksLikeRecoveryCode(input)) return checkSecondFactor(db, userId, 'recovery', input, now)
  return { ok: false, reason: 'invalid' }
}

/** Ten new recovery codes in place of the old ones (used or not); shown once by the caller. */
export async function regenerateRecoveryCodes(
  db: DB,
  request: Request,
  actor: AuditActor,
  userId: string,
  now = Date.now(),
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, userId, now)
    await audit(trx, request, actor, { action: 'auth.two_factor.recovery_regenerated', recordType: 'user', recordId: userId })
    return codes
  })
}

/** The user turns their own second factor off (the caller has checked that their roles allow it). */
export async function removeOwnFactor(db: DB, request: Request, actor: AuditActor, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('user_two_factor').where('user_id', '=', userId).execute()
    await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute()
    await audit(trx, request, actor, { action: 'auth.two_factor.remove', recordType: 'user', recordId: userId })
  })
}

/**
 * An administrator resets someone's second factor (lost phone and recovery codes): the factor,
 * recovery codes, half-done sign-ins and every session of that user end. If their role requires
 * a second factor they enrol again at their next sign-in.
 */
export async function resetFactor(db: DB, request: Request, actor: AuditActor, userId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('user_two_factor').where('user_id', '=', userId).executeTakeFirst()
    await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute()
    await trx.deleteFrom('two_factor_pending').where('user_id', '=', userId).execute()
    const sessions = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
    const had = Number(removed.numDeletedRows) === 1
    await audit(trx, request, actor, {
      action: 'auth.two_factor.reset',
      recordType: 'user',
      recordId: userId,
      detail: { hadFactor: had, sessionsEnded: Number(sessions.numDeletedRows) },
    })
    return had
  })
}
