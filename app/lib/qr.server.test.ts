import { describe, expect, it } from 'vitest'
import { qrDataUrl } from './qr.server.ts'

describe('qrDataUrl', () => {
  it('encodes a verification address as an SVG data URL', async () => {
    const url = await qrDataUrl('https://tiaojie.example/certificates/TJ-2026-ABCDEFGH')
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true)
    const svg = Buffer.from(url.split(',')[1]!, 'base64').toString('utf8')
    expect(svg).toContain('<svg')
    expect(svg).toContain('<path')
  })

  it('makes different codes for different addresses', async () => {
    expect(await qrDataUrl('a')).not.toBe(await qrDataUrl('b'))
  })
})
