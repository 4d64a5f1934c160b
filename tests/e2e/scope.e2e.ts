/**
 * Scope and personal data in the browser, with the demo data set: bureau staff see their own
 * district only, a foreign record's URL answers with the 404 page, a full number is shown only
 * on request and lands in the audit log, and a mediator reads their own profile on a phone.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

// The server encrypts with the test key; this process needs it only to check what a page showed.
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY
process.env.SESSION_SECRET ??= TEST_SESSION_SECRET
const { decrypt } = await import('#app/lib/crypto.server.ts')

const HAIDIAN_PATH = '/110000/110108/'
const CHAOYANG_PATH = '/110000/110105/'

async function regionNamesUnder(path: string): Promise<Set<string>> {
  const rows = await e2eDb().selectFrom('regions').select('name').where('path', 'like', `${path}%`).execute()
  return new Set(rows.map((r) => r.name))
}

async function mediatorsUnder(path: string) {
  return e2eDb()
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select(['p.id', 'p.name', 'p.id_number_enc', 'p.id_number_masked', 'p.phone_enc'])
    .where('r.path', 'like', `${path}%`)
    .where('p.id_number_enc', 'is not', null)
    .orderBy('p.id')
    .execute()
}

async function organisationsUnder(path: string): Promise<number> {
  const row = await e2eDb()
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('r.path', 'like', `${path}%`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The number in the table's `共 N 条`. */
async function tableTotal(page: Page): Promise<number> {
  const text = (await page.locator('[data-testid="table-total"]').textContent()) ?? ''
  return Number(text.replace(/\D/g, ''))
}

async function columnTexts(page: Page, column: number): Promise<string[]> {
  return page.locator(`tbody tr td:nth-child(${column})`).allTextContents()
}

describe('Haidian bureau staff', () => {
  it('see only Haidian mediators and organisations in the lists', async () => {
    const haidian = await regionNamesUnder(HAIDIAN_PATH)
    const page = await newPage()
    await signIn(page, 'hd.staff')

    await page.goto('/people?size=100')
    const regions = await columnTexts(page, 5)
    expect(regions.length).toBeGreaterThan(0)
    for (const name of regions) expect(haidian, `mediator listed in ${name}`).toContain(name)
    expect(await tableTotal(page)).toBe(
      await e2eDb()
        .selectFrom('mediators as m')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .innerJoin('regions as r', 'r.code', 'p.region_code')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('r.path', 'like', `${HAIDIAN_PATH}%`)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n)),
    )

    await page.goto('/orgs?size=100')
    const orgRegions = await columnTexts(page, 3)
    expect(orgRegions.length).toBeGreaterThan(0)
    for (const name of orgRegions) expect(haidian, `organisation listed in ${name}`).toContain(name)
    expect(await tableTotal(page)).toBe(await organisationsUnder(HAIDIAN_PATH))
    // The region filter offers nothing outside Haidian.
    const options = await page.locator('select[name="region"] option').allTextContents()
    expect(options.map((o) => o.trim())).not.toContain('朝阳区')
  })

  it('get the 404 page for a Chaoyang mediator’s address, and the attempt is logged', async () => {
    const [target] = await mediatorsUnder(CHAOYANG_PATH)
    expect(target).toBeDefined()
    const page = await newPage()
    await signIn(page, 'hd.staff')
    const response = await page.goto(`/people/${target!.id}`)
    expect(response?.status()).toBe(404)
    await expect(page.locator('h1').first().textContent()).resolves.toBe('页面不存在')
    expect(await page.content()).not.toContain(target!.name)
    const logged = await e2eDb()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'authz.out_of_scope')
      .where('record_id', '=', target!.id)
      .where('username', '=', 'hd.staff')
      .execute()
    expect(logged.length).toBeGreaterThan(0)
  })

  it('reveal a full ID number on request, and the auditor finds it in the audit log', async () => {
    const [target] = await mediatorsUnder(HAIDIAN_PATH)
    const fullId = decrypt(target!.id_number_enc!)
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/people/${target!.id}`)
    await expect(page.locator('[data-testid="idNumber-masked"]').textContent()).resolves.toBe(target!.id_number_masked)
    expect(await page.content()).not.toContain(fullId)
    await page.getByRole('button', { name: '显示完整身份证号码' }).click()
    const shown = page.locator('[data-testid="idNumber-full"]')
    await shown.waitFor()
    expect(await shown.textContent()).toContain(fullId)

    const auditor = await newPage()
    await signIn(auditor, 'auditor')
    await auditor.goto(`/audit?action=person.reveal&recordId=${target!.id}`)
    const row = auditor.locator('tbody tr').first()
    await expect(row.textContent()).resolves.toContain('hd.staff')
    await expect(row.textContent()).resolves.toContain('查看完整号码')
    // The log names the field and the masked number, never the full one.
    expect(await auditor.content()).not.toContain(fullId)
  })
})

describe('a mediator', () => {
  it('reads their own profile on a phone, with masked numbers and no reveal button', async () => {
    const account = await e2eDb()
      .selectFrom('users as u')
      .innerJoin('people as p', 'p.id', 'u.person_id')
      .select(['p.id', 'p.name', 'p.id_number_enc', 'p.id_number_masked', 'p.phone_enc'])
      .where('u.username', '=', 'mediator')
      .executeTakeFirstOrThrow()
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'mediator')
    await page.getByText('菜单', { exact: true }).click()
    await page.getByRole('link', { name: '我的档案' }).first().click()
    await page.waitForURL((url) => url.pathname === `/people/${account.id}`)
    await page.locator('[data-testid="person-profile"]').waitFor()
    await expect(page.locator('h1').first().textContent()).resolves.toBe(account.name)
    await expect(page.locator('[data-testid="idNumber-masked"]').textContent()).resolves.toBe(account.id_number_masked)
    expect(await page.getByRole('button', { name: /显示完整/ }).count()).toBe(0)
    const html = await page.content()
    expect(html).not.toContain(decrypt(account.id_number_enc!))
    if (account.phone_enc) expect(html).not.toContain(decrypt(account.phone_enc))
    const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
    expect(scrollWidth).toBeLessThanOrEqual(width!)
  })
})
