/**
 * The case list and the organisation list export in the background (issue 9 item 5), in the
 * browser as Haidian's bureau (hd.staff): the list's export button posts its filters, the job's
 * page shows progress until the worker is done, and the downloaded file holds exactly the rows
 * the filter matches in the user's scope, in the list's order, read back cell by cell.
 */
import ExcelJS from 'exceljs'
import type { Download, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SEED, mulberry32 } from '#db/seed/demo.ts'
import { seedCases } from '#db/seed/cases.ts'
import { seedExpertPool } from '#db/seed/expert-pool.ts'
import { hydrated, newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const HAIDIAN_PATH = '/110000/110108/'

beforeAll(async () => {
  // Both idempotent: db/seed/run.ts has done them already when the seed is current.
  await seedExpertPool(e2eDb(), mulberry32(DEMO_SEED))
  await seedCases(e2eDb())
})

async function workbookOf(download: Download) {
  const chunks: Buffer[] = []
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer)
  const sheet = workbook.worksheets[0]!
  const headers = (sheet.getRow(4).values as unknown[]).slice(1) as string[]
  const rows: ExcelJS.Row[] = []
  sheet.eachRow((row, n) => {
    if (n > 4) rows.push(row)
  })
  const column = (header: string) => rows.map((r) => r.getCell(headers.indexOf(header) + 1).value)
  return { sheet, headers, rows, column }
}

/** From the job's page: waits for the worker to finish and downloads the file. */
async function downloadFinished(page: Page, title: string) {
  await page.waitForURL((url) => /^\/exports\/[0-9A-HJKMNP-TV-Z]{26}$/.test(url.pathname))
  const jobId = new URL(page.url()).pathname.split('/')[2]!
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title)
  const download = page.getByTestId('job-download')
  await download.waitFor({ timeout: 60_000 })
  expect(await page.getByTestId('job-status').textContent()).toBe('已完成')
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
  const job = await e2eDb().selectFrom('background_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
  return { jobId, job, file, sheet: await workbookOf(file) }
}

describe('list exports in the background', () => {
  it(
    'exports a filtered case list from the list page on a phone, and the file holds exactly those cases',
    { timeout: 120_000 },
    async () => {
      const page = await newPage({ viewport: 'phone' })
      await signIn(page, 'hd.staff')
      await page.goto(`/cases?status=accepted&q=${encodeURIComponent('纠纷')}`)
      await hydrated(page)
      await page.getByTestId('cases-export').click()
      const { jobId, job, file, sheet } = await downloadFinished(page, '疑难复杂纠纷台账')
      expect(job).toMatchObject({ kind: 'cases.list', status: 'done' })
      expect(JSON.parse(job.params)).toEqual({ full: false, q: '纠纷', status: 'accepted' })
      expect(file.suggestedFilename()).toMatch(/^疑难复杂纠纷台账-\d{4}-\d{2}-\d{2}\.xlsx$/)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

      expect(String(sheet.sheet.getCell('A1').value)).toBe('疑难复杂纠纷案件台账')
      expect(String(sheet.sheet.getCell('A2').value)).toBe('筛选条件：状态 受理；搜索 纠纷')
      expect(String(sheet.sheet.getCell('A3').value)).toContain('（hd.staff）')
      expect(sheet.headers.slice(0, 6)).toEqual(['序号', '案件编号', '案件名称', '纠纷类型', '难度', '状态'])

      // What the filter matches in Haidian, newest first, as the list orders it.
      const expected = await e2eDb()
        .selectFrom('cases as c')
        .innerJoin('regions as r', 'r.code', 'c.region_code')
        .innerJoin('organisations as o', 'o.id', 'c.org_id')
        .select(['c.case_number', 'c.title', 'c.dispute_type_code', 'o.name as org_name', 'c.registered_at'])
        .where('r.path', 'like', `${HAIDIAN_PATH}%`)
        .where('c.status', '=', 'accepted')
        .where((eb) => eb.or([eb('c.title', 'like', '%纠纷%'), eb('c.case_number', 'like', '%纠纷%')]))
        .orderBy('c.registered_at', 'desc')
        .orderBy('c.id', 'desc')
        .execute()
      expect(expected.length).toBeGreaterThan(1)
      expect(job.progress_total).toBe(expected.length)
      expect(sheet.column('案件编号')).toEqual(expected.map((c) => c.case_number))
      expect(sheet.rows.map((r) => r.getCell(1).value)).toEqual(expected.map((_, i) => i + 1))
      expect(new Set(sheet.column('状态'))).toEqual(new Set(['受理']))
      const first = sheet.rows[0]!
      expect((first.values as unknown[]).slice(2, 5)).toEqual([
        expected[0]!.case_number,
        expected[0]!.title,
        expected[0]!.dispute_type_code,
      ])
      expect(first.getCell(sheet.headers.indexOf('调委会') + 1).value).toBe(expected[0]!.org_name)
      expect(first.getCell(sheet.headers.indexOf('登记日期') + 1).value).toBe(expected[0]!.registered_at.slice(0, 10))
      expect(first.getCell(2).numFmt).toBe('@')

      // Downloading it is audited with the action the list's export always had.
      const owner = await e2eDb().selectFrom('users').select('id').where('username', '=', 'hd.staff').executeTakeFirstOrThrow()
      const event = await e2eDb()
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'cases.export')
        .where('user_id', '=', owner.id)
        .orderBy('at', 'desc')
        .executeTakeFirstOrThrow()
      expect(JSON.parse(event.detail!)).toEqual({ filter: { status: 'accepted', q: '纠纷' }, count: expected.length, job: jobId })
    },
  )

  it('exports the organisation list with its filter and sort from a plain form post', { timeout: 120_000 }, async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto('/orgs?kind=committee_village&sort=name&dir=desc')
    // Not waiting for hydration: the button is a native form post, as without JavaScript.
    await page.getByTestId('orgs-export').click()
    const { job, sheet } = await downloadFinished(page, '组织机构名录')
    expect(job).toMatchObject({ kind: 'orgs.list', status: 'done' })

    expect(String(sheet.sheet.getCell('A1').value)).toBe('组织机构名录')
    expect(String(sheet.sheet.getCell('A2').value)).toBe('筛选条件：类型 村（居）人民调解委员会')
    expect(sheet.headers).toEqual(['序号', '名称', '类型', '所在地区', '地区代码', '状态'])
    const expected = await e2eDb()
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.name', 'o.region_code'])
      .where('r.path', 'like', `${HAIDIAN_PATH}%`)
      .where('o.kind', '=', 'committee_village')
      .orderBy('o.name', 'desc')
      .orderBy('o.id', 'desc')
      .execute()
    expect(expected.length).toBeGreaterThan(1)
    expect(sheet.column('名称')).toEqual(expected.map((o) => o.name))
    expect(sheet.column('地区代码')).toEqual(expected.map((o) => o.region_code))
    expect(new Set(sheet.column('类型'))).toEqual(new Set(['村（居）人民调解委员会']))
  })
})
