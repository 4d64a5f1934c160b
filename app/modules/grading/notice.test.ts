import { describe, expect, it } from 'vitest'
import {
  addYears,
  attachmentExtensionMatches,
  certificateStanding,
  cleanFileName,
  contactKind,
  daysBetween,
  detectAttachmentType,
  GRADE_CERTIFICATE_PATTERN,
  gradeCertificateNumber,
  isPublicRound,
  maskContact,
  objectionWindowOpen,
  OBJECTION_THROTTLE,
  refillObjectionBucket,
  upheldOutcome,
} from './notice.ts'

describe('objection window', () => {
  const round = { status: 'notice', notice_start_on: '2026-03-02', notice_end_on: '2026-03-06' }
  it.each([
    ['2026-03-01', false],
    ['2026-03-02', true],
    ['2026-03-06', true],
    ['2026-03-07', false],
  ])('on %s open = %s', (today, open) => {
    expect(objectionWindowOpen(round, today)).toBe(open)
  })
  it('is closed once the round has left notice, whatever the date', () => {
    expect(objectionWindowOpen({ ...round, status: 'resolved' }, '2026-03-03')).toBe(false)
  })
  it('public pages exist for notice, resolved and finalised rounds with a period only', () => {
    expect(isPublicRound(round)).toBe(true)
    expect(isPublicRound({ ...round, status: 'finalised' })).toBe(true)
    expect(isPublicRound({ ...round, status: 'scoring' })).toBe(false)
    expect(isPublicRound({ ...round, status: 'cancelled' })).toBe(false)
    expect(isPublicRound({ status: 'notice', notice_start_on: null, notice_end_on: null })).toBe(false)
  })
})

describe('contacts', () => {
  it('recognises phones and e-mail and masks both', () => {
    expect(contactKind('139 1234 5678')).toBe('phone')
    expect(contactKind('wang@example.cn')).toBe('email')
    expect(contactKind('12345')).toBeNull()
    expect(maskContact('+86 139-1234-5678')).toBe('139****5678')
    expect(maskContact('Wang.Li@Example.cn')).toBe('w***@example.cn')
  })
})

describe('attachments', () => {
  it('types files by their bytes, and the name must agree', () => {
    expect(detectAttachmentType(new TextEncoder().encode('%PDF-1.7'))).toBe('pdf')
    expect(detectAttachmentType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg')
    expect(detectAttachmentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png')
    expect(detectAttachmentType(new TextEncoder().encode('<html>'))).toBeNull()
    expect(attachmentExtensionMatches('证据.JPEG', 'jpg')).toBe(true)
    expect(attachmentExtensionMatches('evil.png', 'pdf')).toBe(false)
    expect(cleanFileName('C:\\tmp\\a"b.pdf')).toBe('ab.pdf')
  })
})

describe('objection throttle', () => {
  it('refills at the stated rate up to the capacity', () => {
    const at = '2026-03-02T00:00:00.000Z'
    const t0 = Date.parse(at)
    expect(refillObjectionBucket(0, at, t0 + 12 * 60_000)).toBe(1000) // 5 per hour: one token per 12 minutes
    expect(refillObjectionBucket(0, at, t0 + 10 * 3_600_000)).toBe(OBJECTION_THROTTLE.bucketCapacity * 1000)
    expect(refillObjectionBucket(500, at, t0)).toBe(500)
  })
})

describe('certificates and validity', () => {
  it('numbers certificates DJ-year-8 characters of Crockford base32', () => {
    const number = gradeCertificateNumber(2026, new Uint8Array([0, 1, 2, 31, 32, 33, 63, 255]))
    expect(number).toBe('DJ-2026-012Z01ZZ')
    expect(GRADE_CERTIFICATE_PATTERN.test(number)).toBe(true)
    expect(GRADE_CERTIFICATE_PATTERN.test('TJ-2026-012Z01ZZ')).toBe(false)
  })
  it('adds whole years, 29 February becoming 28 February', () => {
    expect(addYears('2026-06-30', 2)).toBe('2028-06-30')
    expect(addYears('2028-02-29', 2)).toBe('2030-02-28')
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29')
  })
  it('a valid certificate past its date reads as expired; a revoked one stays revoked', () => {
    expect(certificateStanding({ status: 'valid', valid_until: '2026-03-01' }, '2026-03-01')).toBe('valid')
    expect(certificateStanding({ status: 'valid', valid_until: '2026-03-01' }, '2026-03-02')).toBe('expired')
    expect(certificateStanding({ status: 'revoked', valid_until: '2030-01-01' }, '2026-03-02')).toBe('revoked')
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30)
  })
  it('an upheld objection flips proposed and not_awarded only', () => {
    expect(upheldOutcome('proposed')).toBe('not_awarded')
    expect(upheldOutcome('not_awarded')).toBe('proposed')
    expect(upheldOutcome('awarded')).toBeNull()
  })
})
