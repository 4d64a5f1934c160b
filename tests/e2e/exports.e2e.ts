/**
 * Background exports in the browser (issue 9 item 5), on a 360 px phone as Beijing's municipal
 * bureau (bj.staff): start the mediators register from the list, land on its progress page, see
 * it finish, download it and read its rows; the page keeps itself current while a job runs (with
 * JavaScript by revalidating, without it by a <noscript> meta refresh); the download is private,
 * an attachment and never cached.
 */
import ExcelJS from 'exceljs'
import type { Download } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { hydrated, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'
import { get, mintSession } from './security-helpers.ts'

async function workbookOf(download: Download): Promise<ExcelJS.Worksheet> {
  const chunks: Buffer[] = []
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer)
  return workbook.worksheets[0]!
}

/** A job the worker leaves alone (claimed by another server far into the future), for watching a running page. */
async function runningJob(username: string, done: number, total: number): Promise<string> {
  const owner = await e2eDb().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  const id = newId()
  const now = new Date().toISOString()
  await e2eDb()
    .insertInto('background_jobs')
    .values({
      id,
      kind: 'people.register',
      owner_id: owner.id,
      params: JSON.stringify({ dir: 'asc', employment: null, full: false, org: null, q: '', region: '110105', sort: 'name', status: null }),
      open_key: null,
      status: 'running',
      progress_done: done,
      progress_total: total,
      cancel_requested: 0,
      claimed_by: 'another-server',
      claim_expires_at: new Date(Date.now() + 3600_000).toISOString(),
      attempts: 1,
      result_key: null,
      result_name: null,
      result_size: null,
      result_detail: null,
      error_code: null,
      created_at: now,
      started_at: now,
      finished_at: null,
      expires_at: null,
      updated_at: now,
      version: 1,
    })
    .execute()
  return id
}

describe('background exports', () => {
  it(
    'starts the mediators register from the list, shows its progress page, and downloads the finished file',
    { timeout: 120_000 },
    async () => {
      const page = await newPage({ viewport: 'phone' })
      await signIn(page, 'bj.staff')
      await page.goto('/people?region=110108')
      await hydrated(page)
      await page.getByTestId('people-register').click()
      await page.waitForURL((url) => /^\/exports\/[0-9A-HJKMNP-TV-Z]{26}$/.test(url.pathname))
      const jobId = new URL(page.url()).pathname.split('/')[2]!
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('调解员名册')

      // Queued or running: a progress bar with its numbers; or already done.
      const download = page.getByTestId('job-download')
      const bar = page.getByRole('progressbar')
      if (await bar.isVisible()) {
        const now = Number(await bar.getAttribute('aria-valuenow'))
        expect(now).toBeGreaterThanOrEqual(0)
        expect(now).toBeLessThan(100)
        expect(await bar.getAttribute('aria-valuemax')).toBe('100')
      }
      // The page refreshes itself until the worker has finished.
      await download.waitFor({ timeout: 60_000 })
      expect(await page.getByTestId('job-status').textContent()).toBe('已完成')
      // Nothing wider than the phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

      const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
      expect(file.suggestedFilename()).toMatch(/^调解员名册-\d{4}-\d{2}-\d{2}\.xlsx$/)
      const sheet = await workbookOf(file)
      expect(String(sheet.getCell('A1').value)).toBe('人民调解员名册')
      expect(String(sheet.getCell('A2').value)).toBe('筛选条件：地区 海淀区')
      expect(String(sheet.getCell('A3').value)).toContain('刘建华（bj.staff）')
      const headers = (sheet.getRow(4).values as unknown[]).slice(1)
      expect(headers.slice(0, 5)).toEqual(['序号', '姓名', '性别', '出生日期', '身份证号'])
      const rows: ExcelJS.Row[] = []
      sheet.eachRow((row, n) => {
        if (n > 4) rows.push(row)
      })
      // Every row the job counted, numbered from 1, ID numbers masked text, Haidian only.
      const job = await e2eDb().selectFrom('background_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
      expect(job.status).toBe('done')
      expect(rows.length).toBe(job.progress_total)
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.map((r) => r.getCell(1).value)).toEqual(rows.map((_, i) => i + 1))
      const id = rows[0]!.getCell(headers.indexOf('身份证号') + 1)
      expect(typeof id.value).toBe('string')
      expect(id.numFmt).toBe('@')
      expect(String(id.value)).toMatch(/\*/)
      expect(new Set(rows.map((r) => r.getCell(headers.indexOf('所在地区') + 1).value))).not.toContain('朝阳区')

      // The user's exports list has it, with its download link.
      await page.goto('/exports')
      expect(await page.getByTestId('job-list').getByRole('link', { name: '调解员名册' }).count()).toBeGreaterThan(0)
      expect(await page.locator(`a[href="/exports/${jobId}/download"]`).count()).toBe(1)
    },
  )

  it(
    'keeps a running job’s page current with and without JavaScript; the download is private and never cached',
    { timeout: 90_000 },
    async () => {
      const jobId = await runningJob('bj.staff', 250, 1000)
      const staff = await mintSession('bj.staff')
      // Without JavaScript: the page carries a meta refresh inside <noscript>, and the bar's numbers.
      const html = await (await get(`/exports/${jobId}`, staff)).text()
      expect(html).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>')
      expect(html).toContain('aria-valuenow="25"')
      expect(html).toContain('name="intent" value="cancel"')

      // With JavaScript: the loader is revalidated on an interval and the bar moves without a reload.
      const page = await newPage({ viewport: 'phone' })
      await signIn(page, 'bj.staff')
      await page.goto(`/exports/${jobId}`)
      await hydrated(page)
      const bar = page.getByRole('progressbar')
      expect(await bar.getAttribute('aria-valuenow')).toBe('25')
      await e2eDb().updateTable('background_jobs').set({ progress_done: 750 }).where('id', '=', jobId).execute()
      await page.waitForFunction(
        () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('aria-valuenow') === '75',
        undefined,
        {
          timeout: 15_000,
        },
      )

      // Cancel: the page says it is stopping (the other server stops at its next batch).
      await page.getByTestId('job-cancel').click()
      await page.waitForFunction(() => document.querySelector('[data-testid="job-status"]')?.textContent === '正在取消')
      expect(
        (await e2eDb().selectFrom('background_jobs').select('cancel_requested').where('id', '=', jobId).executeTakeFirstOrThrow())
          .cancel_requested,
      ).toBe(1)

      // Someone else: 404 on the page and the download.
      const other = await mintSession('hd.staff')
      expect((await get(`/exports/${jobId}`, other)).status).toBe(404)
      expect((await get(`/exports/${jobId}/download`, other)).status).toBe(404)

      // A finished export's download: attachment, encoded name, no-store, nosniff.
      const done = await e2eDb()
        .selectFrom('background_jobs')
        .select('id')
        .where('status', '=', 'done')
        .where(
          'owner_id',
          '=',
          (await e2eDb().selectFrom('users').select('id').where('username', '=', 'bj.staff').executeTakeFirstOrThrow()).id,
        )
        .executeTakeFirst()
      expect(done, 'the first test’s export').toBeDefined()
      {
        const response = await get(`/exports/${done!.id}/download`, staff)
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toContain('spreadsheetml')
        expect(response.headers.get('content-disposition')).toMatch(
          /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%._-]+$/,
        )
        // The server's own headers repeat these for signed-in requests: each value must be the one.
        const values = (name: string) => [...new Set((response.headers.get(name) ?? '').split(',').map((v) => v.trim()))]
        expect(values('cache-control')).toEqual(['no-store'])
        expect(values('x-content-type-options')).toEqual(['nosniff'])
        await response.body?.cancel()
      }
    },
  )
})
