/**
 * Party data retention in the browser: a case closed long ago holds two persons and an
 * organisation; the administrator opens 当事人信息清除 from the sidebar, sees the case counted as
 * due, purges now, reads the run in the list, and the case page shows the parties as 当事人1… with
 * a note saying why, the organisation's name kept and no ID number left in the database.
 */
import { describe, expect, it } from 'vitest'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { retentionCutoff } from '#app/modules/retention/rules.ts'
import { caseInput } from '#tests/fixtures/cases.ts'
import { validIdNumber } from '#tests/fixtures/factories.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

// ID numbers are sealed with the key the e2e server uses.
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY

describe('party data retention', () => {
  it('the administrator purges a case past its retention and the case page says the parties were removed', async () => {
    const org = await e2eDb()
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'o.region_code'])
      .where('r.path', 'like', '%/110108/%')
      .where('o.kind', 'in', ['committee_village', 'committee_township', 'committee_enterprise', 'committee_sector'])
      .where('o.status', '=', 'active')
      .orderBy('o.id')
      .executeTakeFirstOrThrow()
    const tag = Math.random().toString(36).slice(2, 6)
    const idNumber = validIdNumber('110108', '1975-03-04', 321, 'male')
    const kase = await createCase(
      e2eDb(),
      caseInput(
        { orgId: org.id, regionCode: org.region_code },
        {
          title: `保存期限届满的相邻关系纠纷 ${tag}`,
          partyCount: 3,
          parties: [
            { kind: 'person', name: `赵保存${tag}`, idNumber },
            { kind: 'organisation', name: `某物业公司${tag}` },
            { kind: 'person', name: `钱保存${tag}` },
          ],
        },
      ),
      null,
    )
    // Closed 40 months ago: past the default 36 months.
    const closedAt = retentionCutoff(new Date(), 40)
    await e2eDb()
      .updateTable('cases')
      .set({ status: 'closed', concluded_at: closedAt, closed_at: closedAt })
      .where('id', '=', kase.id)
      .execute()

    const page = await newPage()
    await signIn(page, 'admin')
    await page.locator('a[href="/admin/retention"]:visible').first().click()
    await page.waitForURL((url) => url.pathname === '/admin/retention')
    await page.locator('h1', { hasText: '当事人个人信息保存期限' }).waitFor()
    expect(await page.locator('[data-testid="retention-months"]').textContent()).toContain('结案后 36 个月')
    expect(await page.locator('[data-testid="retention-due"]').textContent()).toMatch(/尚有 [1-9]\d* 件/)

    await page.getByRole('button', { name: '立即清除到期当事人信息' }).click()
    await page.locator('[role="status"]', { hasText: '清除完成' }).waitFor()
    expect(await page.locator('[data-testid="retention-due"]').textContent()).toContain('尚有 0 件')
    const latest = page.locator('[data-testid="retention-runs"] tbody tr').first()
    expect(await latest.textContent()).toContain('管理员手动')

    await page.goto(`/cases/${kase.id}`)
    await page.locator('[data-testid="parties-purged"]').waitFor()
    expect(await page.locator('[data-testid="parties-purged"]').textContent()).toContain('已于')
    const parties = await page.locator('[data-testid="parties"] li').allTextContents()
    expect(parties).toEqual(['当事人1（自然人）', `某物业公司${tag}（单位）`, '当事人3（自然人）'])
    expect(await page.content()).not.toContain(`赵保存${tag}`)

    const stored = await e2eDb()
      .selectFrom('case_parties')
      .select(['name', 'id_number_enc', 'id_number_hash', 'id_number_masked'])
      .where('case_id', '=', kase.id)
      .orderBy('sort')
      .execute()
    expect(stored.map((p) => p.name)).toEqual(['当事人1', `某物业公司${tag}`, '当事人3'])
    expect(stored.every((p) => p.id_number_enc === null && p.id_number_hash === null && p.id_number_masked === null)).toBe(true)
    const entry = await e2eDb()
      .selectFrom('audit_log')
      .select(['username', 'detail'])
      .where('action', '=', 'retention.parties_purged')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry.username).toBe('admin')
    expect(JSON.parse(entry.detail ?? '{}')).toMatchObject({ trigger: 'admin' })
  })
})
