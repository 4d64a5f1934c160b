/**
 * The referral journey of issue 12 end to end: a court's system refers a case through the partner
 * API; Haidian staff accept it, invite a recommended expert and record the conclusion in the UI;
 * the court's endpoint (a receiver in this test) gets a signed status notification for each step,
 * verified and in order; finally the court reads the outcome through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import { createWebhookClient } from '#tests/webhooks/fixtures.ts'
import { type TestReceiver, startReceiver } from '#tests/webhooks/receiver.ts'
import { baseUrl, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

// The signing secret is sealed with the key the e2e server uses.
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY

const TAG = Math.random().toString(36).slice(2, 8)
const SECRET = `whsec_journey-${TAG}`
const API_SECRET = `tjs_journey-${TAG}-${'x'.repeat(32)}`
let receiver: TestReceiver

beforeAll(async () => {
  receiver = await startReceiver(SECRET)
})

afterAll(async () => {
  await receiver?.close()
})

async function api(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${baseUrl()}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${API_SECRET}`,
      Accept: 'application/json',
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('referral journey: API referral → staff work in the UI → webhooks → outcome over the API', () => {
  it('a court refers a case, staff handle it, the court is notified of each step and reads the outcome', async () => {
    await createWebhookClient(e2eDb(), {
      name: `海淀区人民法院（对接测试 ${TAG}）`,
      kind: 'court',
      regionCode: '110108',
      webhookUrl: receiver.url('/court-hook'),
      secret: SECRET,
      apiSecret: API_SECRET,
    })
    const deadline = new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10)
    const externalRef = `(2026)京0108民诉前调${TAG}号`
    const referred = await api('/api/v1/cases', {
      method: 'POST',
      headers: { 'Idempotency-Key': `journey-${TAG}` },
      body: {
        externalRef,
        title: `法院委派的婚姻家庭纠纷 ${TAG}`,
        summary: '离婚后子女抚养费及共同财产分割争议，法院诉前委派调解。',
        disputeType: '婚姻家庭',
        regionCode: '110108',
        parties: [
          { kind: 'person', name: '孙某' },
          { kind: 'person', name: '李某' },
        ],
        expertsNeeded: 1,
        deadline,
      },
    })
    expect(referred.status).toBe(201)
    expect(referred.body).toMatchObject({ externalRef, status: 'registered', source: 'court', outcome: null })
    const caseId = String(referred.body.id)

    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/cases/${caseId}`)
    await page.getByRole('button', { name: '转为「受理」' }).click()
    await page.locator('[data-testid="case-status"]', { hasText: '受理' }).waitFor()
    await receiver.waitFor(1)

    // Staff assign an expert from the recommendations: the case moves to 专家咨询.
    await page.getByRole('button', { name: '生成推荐' }).click()
    const first = page.locator('[data-testid="recommendations"] li[data-expert-id]').first()
    await first.waitFor()
    await first.getByRole('button', { name: '邀请' }).click()
    await page.locator('[data-testid="consultations"] li').first().waitFor()
    await page.locator('[data-testid="case-status"]', { hasText: '专家咨询' }).waitFor()
    await receiver.waitFor(2)

    await page.getByRole('button', { name: '转为「调解成功」' }).click()
    await page.locator('[data-testid="case-status"]', { hasText: '调解成功' }).waitFor()
    await receiver.waitFor(3)

    const events = receiver.received.filter((r) => r.path === '/court-hook')
    expect(events.every((e) => e.verified && e.answered === 200)).toBe(true)
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3)
    const data = events.map((e) => e.body.data).sort((a, b) => String(a.changed_at).localeCompare(String(b.changed_at)))
    expect(data.map((d) => [d.previous_status, d.status, d.outcome])).toEqual([
      ['registered', 'accepted', null],
      ['accepted', 'consulting', null],
      ['consulting', 'succeeded', 'succeeded'],
    ])
    expect(data.every((d) => d.case_id === caseId && d.external_ref === externalRef)).toBe(true)

    // The court reads the outcome through the API.
    const read = await api(`/api/v1/cases/${caseId}`)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ id: caseId, externalRef, status: 'succeeded', outcome: 'succeeded' })
  })
})
