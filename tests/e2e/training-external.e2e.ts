/**
 * External training on a phone (360 px): the demo mediator records training taken elsewhere with a
 * proof image, the record waits as pending, their organisation's manager approves it from the
 * approval queue, and the hours then appear in the mediator's training archive.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { todayInChina } from '#app/lib/time.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
])

async function noSideways(page: Page) {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

/** This year's hours on the archive page (0 when the year has no row yet). */
async function archiveHours(page: Page, year: number): Promise<number> {
  await page.goto('/training/archive/me')
  await page.getByTestId('archive-records').waitFor({ state: 'attached' })
  const rows = await page.locator('[data-testid="hours-by-year"] tbody tr').allTextContents()
  const row = rows.find((r) => r.startsWith(String(year)))
  return row ? Number(row.slice(String(year).length)) : 0
}

describe('external training with proof, approved by the organisation manager', () => {
  it('is pending until approved, then counts in the archive', { timeout: 120_000 }, async () => {
    const today = todayInChina()
    const year = Number(today.slice(0, 4))
    const title = `市司法局调解业务培训（外部）${Date.now().toString(36)}`

    const mediator = await newPage({ viewport: 'phone' })
    await signIn(mediator, 'mediator')
    const before = await archiveHours(mediator, year)

    await mediator.getByRole('link', { name: '登记外部培训' }).click()
    await mediator.waitForURL('**/training/external/new')
    await mediator.locator('[name="title"]').waitFor()
    await noSideways(mediator)
    await mediator.locator('[name="title"]').fill(title)
    await mediator.locator('[name="provider"]').fill('北京市司法局')
    await mediator.locator('[name="kind"]').selectOption('annual')
    await mediator.locator('[name="format"]').selectOption('classroom')
    await mediator.locator('[name="startDate"]').fill(today)
    await mediator.locator('[name="endDate"]').fill(today)
    await mediator.locator('[name="hours"]').fill('3.5')
    // A text file dressed as a PNG is refused by its bytes; what was typed stays.
    await mediator.locator('[name="proof"]').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image') })
    await mediator.getByRole('button', { name: '提交审核' }).click()
    await mediator.getByTestId('proof-error').waitFor()
    expect(await mediator.locator('[name="title"]').inputValue()).toBe(title)

    await mediator.locator('[name="proof"]').setInputFiles({ name: '结业证书.png', mimeType: 'image/png', buffer: PNG })
    await mediator.getByRole('button', { name: '提交审核' }).click()
    await mediator.waitForURL(/\/training\/external\/[0-9A-Z]{26}$/)
    await mediator.getByTestId('external-status').waitFor()
    expect(await mediator.getByTestId('external-status').textContent()).toBe('待审核')
    await noSideways(mediator)
    const recordId = mediator.url().split('/').pop()!
    // Pending: the hours do not count yet.
    expect(await archiveHours(mediator, year)).toBeCloseTo(before)

    const manager = await newPage({ viewport: 'phone' })
    await signIn(manager, 'org.manager')
    await manager.goto('/training/external')
    await manager.getByTestId('external-pending').waitFor()
    await manager.getByRole('link', { name: title }).click()
    await manager.waitForURL(`**/training/external/${recordId}`)
    await manager.getByTestId('proof-link').waitFor()
    const proof = await manager.request.get(`/training/external/${recordId}/proof`)
    expect(proof.status()).toBe(200)
    expect(proof.headers()['content-type']).toBe('image/png')
    await noSideways(manager)
    await manager.getByRole('button', { name: '审核通过，计入学时' }).click()
    await manager.waitForURL('**/training/external')
    await manager.getByTestId('external-pending').waitFor({ state: 'attached' })
    expect(await manager.getByTestId('external-pending').textContent()).not.toContain(title)

    const row = await e2eDb()
      .selectFrom('training_records')
      .select(['status', 'hours_tenths'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'approved', hours_tenths: 35 })
    expect(await archiveHours(mediator, year)).toBeCloseTo(before + 3.5)
    expect(await mediator.getByTestId('archive-records').textContent()).toContain(title)
  })
})
