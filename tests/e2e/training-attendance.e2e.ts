/**
 * Attendance import in the browser (issue 5, item 5), as Haidian's bureau staff: from a session
 * page, upload a file with one bad row (a name that does not match the card), read the report
 * (nothing imported), upload the corrected file, and see the attendees and the compliance report change.
 * On a phone, while an import runs the page shows an indeterminate progress bar and a cancel link,
 * and cancelling leaves nothing recorded.
 */
import { describe, expect, it } from 'vitest'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { hydrated, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const YEAR = Number(todayInChina().slice(0, 4))

async function xlsxOf(rows: string[][]): Promise<Buffer> {
  return buildWorkbook([
    { name: '参训人员', columns: [{ header: '工作证号', text: true }, { header: '姓名' }, { header: '考核结果' }], rows },
  ])
}

/** Two active Haidian mediators of one organisation with card numbers, a plan for it, a new session. */
async function arrange() {
  const db = e2eDb()
  const candidates = await db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .innerJoin('regions as orr', 'orr.code', 'o.region_code')
    .select(['m.person_id', 'm.org_id', 'm.card_number', 'p.name', 'orr.code as org_region'])
    .where('m.status', '=', 'active')
    .where('m.card_number', 'is not', null)
    .where('r.path', 'like', '%110108%')
    .where('orr.path', 'like', '%110108%')
    .orderBy('m.org_id')
    .orderBy('m.person_id')
    .execute()
  const byOrg = new Map<string, typeof candidates>()
  for (const c of candidates) byOrg.set(c.org_id, [...(byOrg.get(c.org_id) ?? []), c])
  const [orgId, people] = [...byOrg].find(([, list]) => list.length >= 2)!
  const now = new Date().toISOString()
  const existingPlan = await db
    .selectFrom('training_plans')
    .select('id')
    .where('scope_key', '=', `org:${orgId}`)
    .where('year', '=', YEAR)
    .executeTakeFirst()
  if (!existingPlan) {
    await db
      .insertInto('training_plans')
      .values({
        id: newId(),
        year: YEAR,
        scope_key: `org:${orgId}`,
        region_code: people[0]!.org_region,
        org_id: orgId,
        full_time_tenths: 4000,
        part_time_tenths: 4000,
        sector_tenths: 4000,
        pre_service_months: 36,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
  }
  const sessionId = newId()
  const today = todayInChina()
  await db
    .insertInto('training_sessions')
    .values({
      id: sessionId,
      title: `导入测试培训班${Math.random().toString(36).slice(2, 7)}`,
      kind: 'annual',
      format: 'classroom',
      organiser: '海淀区司法局',
      organiser_level: 'district',
      region_code: '110108',
      org_id: null,
      start_date: today,
      end_date: today,
      hours_tenths: 60,
      trainer: null,
      location: null,
      version: 1,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return { orgId, sessionId, a: people[0]!, b: people[1]! }
}

describe('importing the attendance of a training session', () => {
  it('a file with one bad row, its report, the corrected file, compliance updated', { timeout: 90_000 }, async () => {
    const { orgId, sessionId, a, b } = await arrange()
    const page = await newPage()
    await signIn(page, 'hd.staff')

    const earnedOf = async (name: string) => {
      await page.goto(`/training/compliance?org=${orgId}&year=${YEAR}`)
      const row = page.getByTestId('compliance-report').locator('tr', { has: page.getByRole('link', { name, exact: true }) })
      return Number(await row.locator('td').nth(3).textContent())
    }
    const before = [await earnedOf(a.name), await earnedOf(b.name)]

    await page.goto(`/training/sessions/${sessionId}`)
    await page.getByRole('link', { name: '从 Excel 导入' }).click()
    await page.waitForURL((url) => url.pathname === `/training/sessions/${sessionId}/import`)

    // Row 3: the name does not match the card.
    const bad = [
      [a.card_number!, a.name, '合格'],
      [b.card_number!, `${b.name}某`, ''],
    ]
    await page.setInputFiles('input[name="file"]', { name: '参训人员.xlsx', mimeType: XLSX, buffer: await xlsxOf(bad) })
    await page.getByRole('button', { name: '检查并导入' }).click()
    const report = page.getByTestId('import-report')
    await report.waitFor()
    expect(await report.textContent()).toContain('未导入任何记录')
    const badRow = report.locator('tr[data-row="3"]')
    expect(await badRow.textContent()).toContain('姓名与该工作证号登记的姓名不一致')
    expect(await report.locator('tr[data-row="2"]').count()).toBe(0)
    expect(await e2eDb().selectFrom('training_records').select('id').where('session_id', '=', sessionId).execute()).toHaveLength(0)

    // Fix the name and upload again: both imported, back on the session page.
    const fixed = [bad[0]!, [b.card_number!, b.name, '']]
    await page.setInputFiles('input[name="file"]', { name: '参训人员.xlsx', mimeType: XLSX, buffer: await xlsxOf(fixed) })
    await page.getByRole('button', { name: '检查并导入' }).click()
    await page.waitForURL((url) => url.pathname === `/training/sessions/${sessionId}`)
    await page
      .getByText(/已导入 2 人的参训记录/)
      .first()
      .waitFor()
    await page.getByTestId('attendees').locator('li').nth(1).waitFor()
    expect(await page.getByTestId('attendees').locator('li').count()).toBe(2)

    const after = [await earnedOf(a.name), await earnedOf(b.name)]
    expect(after).toEqual([before[0]! + 6, before[1]! + 6])
  })

  it('while an import runs, a phone shows progress and a cancel link; cancelling records nothing', { timeout: 90_000 }, async () => {
    const { sessionId, a, b } = await arrange()
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'hd.staff')
    await page.goto(`/training/sessions/${sessionId}/import`)
    await hydrated(page)

    // Hold the upload in the browser so the running state can be looked at without a slow server:
    // the cancel link then aborts it as it would abort a long import (the server side of a cancel,
    // rollback and audit, is tested in attendance-import.db.test.ts).
    let held: () => void = () => {}
    const posted = new Promise<void>((resolve) => {
      held = resolve
    })
    await page.route(
      (url) => url.pathname.startsWith(`/training/sessions/${sessionId}/import`),
      async (route) => {
        if (route.request().method() !== 'POST') return route.continue()
        held()
        // Never answered: the page's cancel aborts the request.
      },
    )
    const rows = [
      [a.card_number!, a.name, '合格'],
      [b.card_number!, b.name, ''],
    ]
    await page.setInputFiles('input[name="file"]', { name: '参训人员.xlsx', mimeType: XLSX, buffer: await xlsxOf(rows) })
    await page.getByRole('button', { name: '检查并导入' }).click()
    await posted
    const running = page.getByTestId('import-running')
    await running.waitFor()
    expect(await running.textContent()).toContain('正在检查并导入 参训人员.xlsx…')
    expect(await running.locator('progress').evaluate((el) => (el as HTMLProgressElement).position)).toBe(-1) // indeterminate
    expect(await page.getByRole('button', { name: '检查并导入' }).isDisabled()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    await running.getByRole('link', { name: '取消导入' }).click()
    await page.waitForURL((url) => url.pathname === `/training/sessions/${sessionId}`)
    await page.getByRole('link', { name: '从 Excel 导入' }).waitFor()
    expect(await e2eDb().selectFrom('training_records').select('id').where('session_id', '=', sessionId).execute()).toHaveLength(0)
    await page.unrouteAll({ behavior: 'ignoreErrors' })
  })
})
