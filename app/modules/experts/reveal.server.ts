/**
 * The one place an expert's full ID or phone number is decrypted for a person to read: an explicit
 * action by someone allowed to (expert:reveal in scope, checked by the caller), written to the
 * audit log with the masked value only.
 */
import { audit } from '#app/lib/audit.server.ts'
import { decrypt } from '#app/lib/crypto.server.ts'
import type { DB } from '#app/lib/db.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'

export async function revealExpertNumber(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  field: 'idNumber' | 'phone',
): Promise<string | null> {
  const person = await db
    .selectFrom('people')
    .select(['id_number_enc', 'id_number_masked', 'phone_enc', 'phone_masked'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  const sealed = field === 'idNumber' ? person.id_number_enc : person.phone_enc
  const masked = field === 'idNumber' ? person.id_number_masked : person.phone_masked
  await audit(db, request, actorOf(user), {
    action: 'expert.reveal',
    recordType: 'expert',
    recordId: personId,
    detail: { field, value: masked },
  })
  return sealed ? decrypt(sealed) : null
}
