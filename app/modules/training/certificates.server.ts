/** Certificates: the holder's printable page and the public verification (masked name only). */
import type { Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { CERTIFICATE_PATTERN, fromTenths, maskName } from './rules.ts'

export interface CertificateView {
  number: string
  personId: string
  holderName: string
  title: string
  hours: number
  issuedOn: string
  status: 'valid' | 'revoked'
  revokedAt: string | null
  scope: { regionPath: string | null; orgId: string | null; personId: string }
}

export async function getCertificate(db: Executor, number: string): Promise<CertificateView | null> {
  if (!CERTIFICATE_PATTERN.test(number)) return null
  const row = await db
    .selectFrom('training_certificates as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .innerJoin('regions as rg', 'rg.code', 'p.region_code')
    .leftJoin('mediators as m', 'm.person_id', 'p.id')
    .select([
      'c.number',
      'c.person_id',
      'p.name',
      'c.title',
      'c.hours_tenths',
      'c.issued_on',
      'c.status',
      'c.revoked_at',
      'rg.path',
      'm.org_id',
      'p.org_id as person_org_id',
    ])
    .where('c.number', '=', number)
    .executeTakeFirst()
  if (!row) return null
  return {
    number: row.number,
    personId: row.person_id,
    holderName: row.name,
    title: row.title,
    hours: fromTenths(row.hours_tenths),
    issuedOn: row.issued_on,
    status: row.status,
    revokedAt: row.revoked_at,
    scope: { regionPath: row.path, orgId: row.org_id ?? row.person_org_id, personId: row.person_id },
  }
}

/** What anyone may see without signing in: no full name, no person id. */
export interface PublicCertificate {
  number: string
  holder: string
  title: string
  hours: number
  issuedOn: string
  status: 'valid' | 'revoked'
}

export async function verifyCertificate(db: Executor, number: string): Promise<PublicCertificate | null> {
  const found = await getCertificate(db, number.trim().toUpperCase())
  if (!found) return null
  return {
    number: found.number,
    holder: maskName(found.holderName),
    title: found.title,
    hours: found.hours,
    issuedOn: found.issuedOn,
    status: found.status,
  }
}

/** Marks a certificate revoked (idempotent: an already revoked one keeps its first reason). */
export async function revokeCertificate(db: Executor, number: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('training_certificates')
    .set({ status: 'revoked', revoked_at: nowIso(), revoked_reason: reason })
    .where('number', '=', number)
    .where('status', '=', 'valid')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
