import { describe, expect, it } from 'vitest'
import {
  detectProofType,
  endsInFuture,
  externalRecordSchema,
  proofNameMatches,
  proofTypeOfMime,
  recordActionSchema,
  rejectSchema,
} from './external.ts'

const bytes = (...b: number[]) => new Uint8Array([...b, 0, 1, 2, 3])

describe('recognising proof files by their bytes', () => {
  it('knows PDF, JPEG and PNG, and nothing else', () => {
    expect(detectProofType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('pdf')
    expect(detectProofType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg')
    expect(detectProofType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('png')
    expect(detectProofType(new TextEncoder().encode('<html><script>'))).toBeNull()
    expect(detectProofType(new TextEncoder().encode('%PDF'))).toBeNull()
    expect(detectProofType(bytes(0x52, 0x49, 0x46, 0x46))).toBeNull()
    expect(detectProofType(new Uint8Array())).toBeNull()
  })
  it('maps only the stored MIME types it wrote back to a type', () => {
    expect(proofTypeOfMime('application/pdf')).toBe('pdf')
    expect(proofTypeOfMime('image/jpeg')).toBe('jpeg')
    expect(proofTypeOfMime('image/png')).toBe('png')
    expect(proofTypeOfMime('text/html')).toBeNull()
    expect(proofTypeOfMime(null)).toBeNull()
  })
  it('refuses a name that contradicts the bytes', () => {
    expect(proofNameMatches('结业证书.PDF', 'pdf')).toBe(true)
    expect(proofNameMatches('photo.jpeg', 'jpeg')).toBe(true)
    expect(proofNameMatches('photo.jpg', 'png')).toBe(false)
    expect(proofNameMatches('proof.pdf.exe', 'pdf')).toBe(false)
    expect(proofNameMatches('', 'png')).toBe(true)
  })
})

describe('the external record form', () => {
  const valid = {
    submissionKey: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    title: '全市人民调解员业务培训班',
    provider: '市司法局',
    kind: 'annual',
    format: 'classroom',
    startDate: '2026-03-02',
    endDate: '2026-03-04',
    hours: '12.5',
  }
  it('accepts a complete claim, hours in halves', () => {
    const parsed = externalRecordSchema.safeParse(valid)
    expect(parsed.success && parsed.data.hours).toBe(12.5)
  })
  it('refuses an end before the start, odd hours, unknown kinds and forged keys', () => {
    const issues = (over: Record<string, string>) =>
      externalRecordSchema.safeParse({ ...valid, ...over }).error?.issues.map((i) => `${i.path.join('.')}:${i.message}`) ?? []
    expect(issues({ endDate: '2026-03-01' })).toContain('endDate:training.session.endBeforeStart')
    expect(issues({ hours: '1.25' })).toHaveLength(1)
    expect(issues({ hours: '0' })).toHaveLength(1)
    expect(issues({ kind: 'holiday' })).toEqual(['kind:validation.choice'])
    expect(issues({ submissionKey: "x' or 1=1" })).toHaveLength(1)
    expect(issues({ title: '  ' })).toEqual(['title:validation.required'])
  })
  it('does not let training be claimed before it ended', () => {
    expect(endsInFuture({ endDate: '2026-03-05' }, '2026-03-04')).toBe(true)
    expect(endsInFuture({ endDate: '2026-03-04' }, '2026-03-04')).toBe(false)
  })
  it('needs a reason to reject', () => {
    expect(rejectSchema.safeParse({ intent: 'reject', version: '1', reason: ' ' }).success).toBe(false)
    expect(rejectSchema.safeParse({ intent: 'reject', version: '1', reason: '证明材料与培训名称不符' }).success).toBe(true)
  })
  it('needs the version the page loaded for every decision and withdrawal', () => {
    const parse = (form: Record<string, string>) => recordActionSchema.safeParse(form)
    expect(parse({ intent: 'approve', version: '3' })).toMatchObject({ success: true, data: { intent: 'approve', version: 3 } })
    expect(parse({ intent: 'withdraw', version: '1' }).success).toBe(true)
    expect(parse({ intent: 'approve' }).success).toBe(false)
    expect(parse({ intent: 'withdraw', version: '0' }).success).toBe(false)
    expect(parse({ intent: 'reject', version: '1.5', reason: '理由' }).success).toBe(false)
    expect(parse({ intent: 'delete', version: '1' }).success).toBe(false)
  })
})
