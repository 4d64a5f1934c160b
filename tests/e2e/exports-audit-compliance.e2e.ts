/**
 * The audit log's export as a background job in the browser (issue 9 item 5): the auditor filters
 * /audit to their own sign-ins, presses the export button (a form post), lands on the job's
 * progress page, waits for it to finish, downloads the file and reads its cells: the title lines,
 * 序号, the headers and exactly the filtered entries, newest first. The compliance report's
 * button starts its job the same way.
 */
import ExcelJS from 'exceljs'
import type { Download } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hydrated, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

async function workbookOf(download: Download): Promise<ExcelJS.Worksheet> {
  const chunks: Buffer[] = []
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer)
  return workbook.worksheets[0]!
}

const JOB_PAGE = /^\/exports\/[0-9A-HJKMNP-TV-Z]{26}$/

describe('audit log and compliance exports', () => {
  it('exports the filtered audit log from the page as a background job and downloads it', { timeout: 120_000 }, async () => {
    const page = await newPage({ viewport: 'desktop' })
    await signIn(page, 'auditor')
    await page.goto('/audit?action=auth.sign_in&user=auditor&result=ok')
    await hydrated(page)
    await page.getByTestId('audit-export').click()
    await page.waitForURL((url) => JOB_PAGE.test(url.pathname))
    const jobId = new URL(page.url()).pathname.split('/')[2]!
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('审计日志')
    const download = page.getByTestId('job-download')
    await download.waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('job-status').textContent()).toBe('已完成')

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    expect(file.suggestedFilename()).toMatch(/^审计日志-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const sheet = await workbookOf(file)
    const text = (row: number, col: number) => String(sheet.getRow(row).getCell(col).value ?? '')
    expect(text(1, 1)).toBe('审计日志')
    expect(text(2, 1)).toBe('筛选条件：用户名 auditor；操作 auth.sign_in；结果 成功')
    expect(text(3, 1)).toContain('auditor')

    // The entries the filter matched when the job started, as the database has them, newest first.
    const job = await e2eDb().selectFrom('background_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    const expected = await e2eDb()
      .selectFrom('audit_log')
      .select(['id', 'at', 'username', 'action'])
      .where('action', '=', 'auth.sign_in')
      .where('result', '=', 'ok')
      .where('username', 'like', '%auditor%')
      .where('at', '<=', job.started_at!)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    expect(expected.length).toBeGreaterThan(0)
    expect(text(4, 1)).toBe(`共 ${expected.length} 条`)
    expect([1, 2, 3, 6, 7, 10].map((c) => text(5, c))).toEqual(['序号', '时间', '用户', '操作', '操作代码', '结果'])
    const rows = expected.map((_, i) => [text(6 + i, 1), text(6 + i, 3), text(6 + i, 7), text(6 + i, 10)])
    expect(rows).toEqual(expected.map((e, i) => [String(i + 1), e.username, 'auth.sign_in', '成功']))
    expect(text(6, 2)).toBe(new Date(Date.parse(expected[0]!.at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '))
    expect(text(6 + expected.length, 1)).toBe('')

    // Downloading it was audited with the export's own action.
    const event = await e2eDb()
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'audit.exported')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.detail!)).toMatchObject({ rows: expected.length, total: expected.length, job: jobId })
  })

  it('starts the training compliance export from its page', { timeout: 120_000 }, async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'bj.staff')
    await page.goto('/training/compliance')
    await hydrated(page)
    await page.getByTestId('compliance-export').click()
    await page.waitForURL((url) => JOB_PAGE.test(url.pathname))
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('培训达标情况')
    const download = page.getByTestId('job-download')
    await download.waitFor({ timeout: 60_000 })
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    expect(file.suggestedFilename()).toMatch(/^培训达标情况-\d{4}\.xlsx$/)
    const sheet = await workbookOf(file)
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['调解组织', '调解员人数', '未达标人数', '岗前培训逾期人数'])
    expect(sheet.rowCount).toBeGreaterThan(1)
  })
})
