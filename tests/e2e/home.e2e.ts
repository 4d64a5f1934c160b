/**
 * The home dashboard per role: each demo role signs in and sees its own panels and no others;
 * the mediator and the expert on a phone (360 px) without sideways scrolling; one figure per
 * panel checked against the database, and a figure's link leads to the page behind it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const PANELS = ['mediator', 'staff', 'association', 'expert'] as const

async function openHome(username: string, viewport: 'desktop' | 'phone'): Promise<Page> {
  const page = await newPage({ viewport })
  await signIn(page, username)
  await page.goto('/')
  await page.locator('[data-testid="my-grants"], h1').first().waitFor()
  return page
}

async function panelsShown(page: Page): Promise<string[]> {
  return page.locator('[data-panel]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-panel') ?? ''))
}

async function personOf(username: string): Promise<string> {
  const row = await e2eDb().selectFrom('users').select('person_id').where('username', '=', username).executeTakeFirstOrThrow()
  return row.person_id!
}

async function figure(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).locator('span').first().textContent()) ?? ''
  return Number(text.trim())
}

async function fitsPhone(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(360)
}

describe('home dashboards', () => {
  it('mediator on a phone: own work panel with library figures from the database', { timeout: 60_000 }, async () => {
    const page = await openHome('mediator', 'phone')
    expect(await panelsShown(page)).toEqual(['mediator'])
    const panel = page.locator('[data-panel="mediator"]')
    await expect(panel.getByRole('heading', { name: '我的工作' }).isVisible()).resolves.toBe(true)
    expect(await page.getByTestId('mediator-hours').textContent()).toMatch(/学时/)
    const personId = await personOf('mediator')
    const submitted = await e2eDb()
      .selectFrom('library_submissions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('author_person_id', '=', personId)
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    expect(await figure(page, 'mediator-library-submitted')).toBe(Number(submitted.n))
    await fitsPhone(page)
    await page.getByTestId('mediator-library-submitted').click()
    await page.waitForURL('**/library/submissions')
    await page.locator('h1').waitFor()
  })

  it('expert on a phone: consultations panel with invitations from the database', { timeout: 60_000 }, async () => {
    const page = await openHome('expert', 'phone')
    expect(await panelsShown(page)).toEqual(['expert'])
    const expertId = await personOf('expert')
    const invited = await e2eDb()
      .selectFrom('case_consultations')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expert_id', '=', expertId)
      .where('status', '=', 'invited')
      .executeTakeFirstOrThrow()
    expect(await figure(page, 'expert-invited')).toBe(Number(invited.n))
    await expect(page.getByTestId('expert-history').isVisible()).resolves.toBe(true)
    await fitsPhone(page)
  })

  it('city bureau staff: oversight panel with cases, pool and compliance', { timeout: 60_000 }, async () => {
    const page = await openHome('bj.staff', 'desktop')
    expect(await panelsShown(page)).toEqual(['staff'])
    for (const id of [
      'staff-open-cases',
      'staff-waiting',
      'staff-overdue',
      'staff-stale-invitations',
      'staff-tier-district',
      'staff-behind',
    ]) {
      expect(Number.isFinite(await figure(page, id)), id).toBe(true)
    }
    const open = await e2eDb()
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', 'in', ['registered', 'accepted', 'mediating', 'consulting'])
      .executeTakeFirstOrThrow()
    // The Beijing bureau's scope is every demo case.
    expect(await figure(page, 'staff-open-cases')).toBe(Number(open.n))
    await page.getByTestId('staff-open-cases').click()
    await page.waitForURL('**/cases?status=open')
    await page.locator('h1').waitFor()
  })

  it('committee manager: oversight panel without the expert terms (no expert:edit)', { timeout: 60_000 }, async () => {
    const page = await openHome('org.manager', 'desktop')
    expect(await panelsShown(page)).toEqual(['staff'])
    expect(await page.getByTestId('staff-terms-expiring').count()).toBe(0)
    expect(await page.getByTestId('staff-behind').count()).toBe(1)
  })

  it('association administrator: grade evaluation panel only', { timeout: 60_000 }, async () => {
    const page = await openHome('bj.assoc', 'desktop')
    expect(await panelsShown(page)).toEqual(['association'])
    expect(Number.isFinite(await figure(page, 'association-objections'))).toBe(true)
    expect(Number.isFinite(await figure(page, 'association-expiring'))).toBe(true)
    expect(await page.locator('a[href="/grading"]').count()).toBeGreaterThan(0)
  })

  it('roles without a work list see no panels, only their shortcuts', { timeout: 60_000 }, async () => {
    const page = await openHome('auditor', 'desktop')
    expect(await panelsShown(page)).toEqual([])
    for (const panel of PANELS) expect(await page.locator(`[data-panel="${panel}"]`).count()).toBe(0)
    expect(await page.locator('a[href="/audit"]').count()).toBeGreaterThan(0)
  })
})
