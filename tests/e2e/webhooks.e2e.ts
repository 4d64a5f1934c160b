/**
 * Status notifications in the browser: Haidian staff accept a case a court referred; the app
 * server's delivery worker sends the signed notification to a receiver in this test, which fails
 * the first attempt with a 500 and takes the retry; staff follow the case page's link to the
 * delivery log, read both attempts, and replay the delivery, which the receiver recognises as a
 * duplicate by its event id. The replay is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { WEBHOOK_SETTINGS } from '#app/modules/webhooks/settings.server.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import { createWebhookClient, referCase } from '#tests/webhooks/fixtures.ts'
import { type TestReceiver, startReceiver } from '#tests/webhooks/receiver.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'
import { caseInput } from '#tests/fixtures/cases.ts'

// The signing secret is sealed with the key the e2e server uses.
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY

const SECRET = `whsec_e2e-${Math.random().toString(36).slice(2)}`
let receiver: TestReceiver

beforeAll(async () => {
  receiver = await startReceiver(SECRET)
  // Retries within a second or two instead of half a minute (restored afterwards).
  await writeSetting(e2eDb(), WEBHOOK_SETTINGS.baseDelaySeconds, 1, null)
})

afterAll(async () => {
  await e2eDb().deleteFrom('settings').where('key', '=', WEBHOOK_SETTINGS.baseDelaySeconds.key).execute()
  await receiver?.close()
})

async function waitForDelivery(id: string, status: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const row = await e2eDb().selectFrom('webhook_deliveries').select('status').where('id', '=', id).executeTakeFirst()
    if (row?.status === status) return
    if (Date.now() > until) throw new Error(`delivery ${id} is ${row?.status}, not ${status}, after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('status notifications (webhooks)', () => {
  it('a referred case accepted in the UI is notified, retried after a 500, read in the log and replayed', async () => {
    // A Haidian committee of the demo data (its region may be a street below the district).
    const org = await e2eDb()
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'o.region_code'])
      .where('r.path', 'like', '%/110108/%')
      .where('o.kind', 'in', ['committee_village', 'committee_township', 'committee_enterprise', 'committee_sector'])
      .where('o.status', '=', 'active')
      .orderBy('o.id')
      .executeTakeFirstOrThrow()
    const clientName = `海淀区人民法院（通知测试 ${SECRET.slice(-4)}）`
    const client = await createWebhookClient(e2eDb(), { name: clientName, webhookUrl: receiver.url('/hook'), secret: SECRET })
    const kase = await createCase(
      e2eDb(),
      caseInput(
        { orgId: org.id, regionCode: org.region_code },
        {
          title: '法院委派的物业服务合同纠纷',
          summary: '诉前委派调解',
          disputeType: '物业',
          parties: [
            { kind: 'organisation', name: '某物业公司' },
            { kind: 'organisation', name: '某小区业主委员会' },
          ],
        },
      ),
      null,
    )
    const externalRef = await referCase(e2eDb(), kase.id, client.id)
    receiver.plan('/hook', [500])

    const page = await newPage()
    await signIn(page, 'hd.staff')
    // The log is in the sidebar of justice bureau staff.
    await page.locator('a[href="/admin/webhooks"]:visible').first().waitFor()
    await page.goto(`/cases/${kase.id}`)
    await page.getByRole('button', { name: '转为「受理」' }).click()
    await page.locator('[data-testid="case-status"]', { hasText: '受理' }).waitFor()

    // The worker sends, the receiver answers 500, the retry is delivered.
    await receiver.waitFor(2)
    expect(receiver.received.map((r) => [r.verified, r.answered])).toEqual([
      [true, 500],
      [true, 200],
    ])
    const [first, second] = receiver.received
    expect(second!.eventId).toBe(first!.eventId)
    expect(second!.body).toEqual(first!.body)
    expect(first!.body).toMatchObject({
      id: first!.eventId,
      type: 'case.status_changed',
      data: {
        case_id: kase.id,
        case_number: kase.caseNumber,
        external_ref: externalRef,
        status: 'accepted',
        previous_status: 'registered',
      },
    })
    const deliveryId = first!.deliveryId
    await waitForDelivery(deliveryId, 'delivered')

    // From the case page to the log, filtered to the case.
    await page.reload()
    await page.locator('[data-testid="case-deliveries-link"]').click()
    await page.waitForURL((url) => url.pathname === '/admin/webhooks' && url.searchParams.get('case') === kase.id)
    const row = page.locator('tbody tr', { hasText: clientName })
    await row.waitFor()
    expect(await row.textContent()).toContain('已送达')
    // The status filter narrows the list.
    await page.locator('select[name="status"]').selectOption('failed')
    await page.getByRole('button', { name: '筛选' }).click()
    await page.waitForURL((url) => url.searchParams.get('status') === 'failed')
    // The URL changes when the navigation commits; the filtered rows are drawn right after it.
    await expect.poll(() => page.locator('tbody tr', { hasText: clientName }).count()).toBe(0)
    await page.goto(`/admin/webhooks?case=${kase.id}`)
    await page.locator('[data-testid="delivery-link"]').first().click()
    await page.waitForURL((url) => url.pathname === `/admin/webhooks/${deliveryId}`)
    const attempts = page.locator('[data-testid="attempt"]')
    // The URL changes before the client-side navigation has rendered the page.
    await attempts.nth(1).waitFor()
    expect(await attempts.count()).toBe(2)
    expect(await attempts.nth(0).locator('[data-testid="attempt-result"]').textContent()).toContain('HTTP 500')
    expect(await attempts.nth(1).locator('[data-testid="attempt-result"]').textContent()).toContain('HTTP 200')
    expect(await page.locator('[data-testid="event-id"]').textContent()).toBe(first!.eventId)

    // Replay: a new delivery of the same event, recognised by the receiver as a duplicate.
    await page.locator('[data-testid="replay"]').click()
    await page.waitForURL((url) => /^\/admin\/webhooks\/[0-9A-Z]{26}$/.test(url.pathname) && !url.pathname.endsWith(deliveryId))
    await page.locator('[role="status"]', { hasText: '已安排重新推送' }).waitFor()
    const replayId = new URL(page.url()).pathname.split('/')[3]!
    await receiver.waitFor(3)
    expect(receiver.received[2]).toMatchObject({ eventId: first!.eventId, deliveryId: replayId, verified: true, duplicate: true })
    await waitForDelivery(replayId, 'delivered')
    await page.reload()
    expect(await page.locator('[data-testid="delivery-facts"]').textContent()).toContain('重新推送')
    expect(await page.locator('[data-testid="delivery-facts"] [data-status]').getAttribute('data-status')).toBe('delivered')
    const audit = await e2eDb()
      .selectFrom('audit_log')
      .select(['username', 'result'])
      .where('action', '=', 'webhook.replayed')
      .where('record_id', '=', deliveryId)
      .execute()
    expect(audit).toEqual([{ username: 'hd.staff', result: 'ok' }])
  })
})
