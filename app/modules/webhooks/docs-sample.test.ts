/**
 * The receiver's verification sample in docs/webhooks.md, run as partners would run it: it must
 * accept Tiaojie's signatures and refuse tampered, foreign and stale ones.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { signatureHeader } from './signature.ts'

type Verify = (secret: string, rawBody: string, header: string | null, toleranceSeconds?: number) => boolean

async function docsSample(): Promise<Verify> {
  const markdown = readFileSync('docs/webhooks.md', 'utf8')
  const code = /```js\n([\s\S]*?)```/.exec(markdown)?.[1]
  if (!code) throw new Error('docs/webhooks.md has no js sample')
  const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { verifyTiaojieSignature: Verify }
  return module.verifyTiaojieSignature
}

describe('the verification sample in docs/webhooks.md', () => {
  it('accepts a fresh Tiaojie signature and refuses tampering, another secret and an old timestamp', async () => {
    const verify = await docsSample()
    const secret = 'whsec_docs-sample'
    const body = '{"id":"01JEVENT","type":"case.status_changed","data":{"status":"closed"}}'
    const now = Math.floor(Date.now() / 1000)
    expect(verify(secret, body, signatureHeader(secret, body, now))).toBe(true)
    expect(verify(secret, body.replace('closed', 'archived'), signatureHeader(secret, body, now))).toBe(false)
    expect(verify('whsec_other', body, signatureHeader(secret, body, now))).toBe(false)
    expect(verify(secret, body, signatureHeader(secret, body, now - 600))).toBe(false)
    expect(verify(secret, body, null)).toBe(false)
  })
})
