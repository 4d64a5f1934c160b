/**
 * Importing and exporting the expert pool in the browser (issue 3, item 9), as Haidian's bureau:
 * download the template, upload a file with an error, read the report, upload the corrected file,
 * import it; then export the filtered roster, download the .xlsx and read it back with exceljs.
 */
import ExcelJS from 'exceljs'
import type { Download } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { EXPERT_COLUMNS } from '#app/modules/experts/import/columns.ts'
import { expertRows, xlsxOf } from '#tests/experts/import-files.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

// lookupHash needs the server's key (the fixed test key global-setup gives the server).
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY

async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const chunks: Buffer[] = []
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer)
  return workbook
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

describe('importing and exporting experts', () => {
  const employer = `导入测试单位${Math.random().toString(36).slice(2, 7)}`
  const rows = expertRows(5).map((r) => ({ ...r, employer }))
  const good = rows[1]!.idNumber
  const broken = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`

  it('template, a file with an error, its report, the corrected file, the import', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto('/experts')
    await page.getByRole('link', { name: '导入', exact: true }).click()
    await page.waitForURL((url) => url.pathname === '/experts/import')

    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载导入模板/ }).click()])
    expect(template.suggestedFilename()).toBe('专家导入模板.xlsx')
    const templateBook = await workbookOf(template)
    expect((templateBook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(EXPERT_COLUMNS.map((c) => c.header))
    expect(templateBook.worksheets[1]!.name).toBe('可选值')

    // Row 3 of the sheet has a wrong check digit.
    const withError = rows.map((r, i) => (i === 1 ? { ...r, idNumber: broken } : r))
    await page.setInputFiles('input[name="file"]', { name: '专家名单.xlsx', mimeType: XLSX, buffer: await xlsxOf(withError) })
    await page.getByRole('button', { name: '上传并检查' }).click()
    await page.waitForURL((url) => /^\/experts\/import\/[0-9A-Z]{26}$/.test(url.pathname))
    const errors = page.locator('[data-testid="import-errors"] tbody tr')
    // The address changes before the report has rendered: wait for it.
    await errors.first().waitFor()
    await expect(errors.count()).resolves.toBe(1)
    const cells = await errors.first().locator('td').allTextContents()
    expect(cells).toEqual(['3', rows[1]!.name, '身份证号', '身份证号码校验位不正确，请核对'])
    await expect(page.getByRole('button', { name: '仅导入无误的 4 行' }).isVisible()).resolves.toBe(true)
    expect(await page.getByRole('button', { name: /^导入 \d+ 位专家$/ }).count()).toBe(0)

    // Fix the file and upload it again from the report.
    await page.setInputFiles('input[name="file"]', { name: '专家名单.xlsx', mimeType: XLSX, buffer: await xlsxOf(rows) })
    const firstBatch = page.url()
    await page.getByRole('button', { name: '上传并检查' }).click()
    await page.waitForURL((url) => /^\/experts\/import\/[0-9A-Z]{26}$/.test(url.pathname) && url.href !== firstBatch)
    await page.getByText('文件检查通过，没有错误。').waitFor()
    await page.getByRole('button', { name: '导入 5 位专家' }).click()
    await page.getByTestId('import-done').waitFor()
    expect(await page.getByTestId('import-done').textContent()).toContain('新增 5 位专家')

    const created = await e2eDb()
      .selectFrom('experts as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select(['e.name', 'e.tier', 'e.region_code'])
      .where(
        'p.id_number_hash',
        'in',
        rows.map((r) => lookupHash('id', r.idNumber)),
      )
      .execute()
    expect(created).toHaveLength(5)
    expect(created.every((e) => e.tier === 'district' && e.region_code === '110108')).toBe(true)
  })

  it('export the filtered roster and open the .xlsx', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/experts?q=${encodeURIComponent(employer)}`)
    await expect(page.getByTestId('table-total').textContent()).resolves.toContain('5')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出', exact: true }).click()])
    expect(download.suggestedFilename()).toMatch(/^专家库导出-\d{4}-\d{2}-\d{2}\.xlsx$/)
    const sheet = (await workbookOf(download)).worksheets[0]!
    const headers = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(headers.slice(0, EXPERT_COLUMNS.length)).toEqual(EXPERT_COLUMNS.map((c) => c.header))
    expect(sheet.actualRowCount).toBe(6)
    const idColumn = headers.indexOf('身份证号') + 1
    const byName = new Map<string, ExcelJS.Row>()
    sheet.eachRow((row, n) => {
      if (n > 1) byName.set(String(row.getCell(1).value), row)
    })
    for (const r of rows) {
      const cell = byName.get(r.name)!.getCell(idColumn)
      expect(cell.value).toBe(`${r.idNumber.slice(0, 6)}********${r.idNumber.slice(-4)}`)
      expect(cell.numFmt).toBe('@')
      expect(byName.get(r.name)!.getCell(headers.indexOf('工作单位') + 1).value).toBe(employer)
    }
  })

  it('the import pages work on a phone (360 px, no sideways scrolling)', async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'hd.staff')
    await page.goto('/experts/import')
    const noSidewaysScroll = async () => {
      const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
      expect(scrollWidth).toBeLessThanOrEqual(width!)
    }
    await noSidewaysScroll()
    const bad = expertRows(2).map((r) => ({ ...r, phone: '123', termEnd: '2020-01-01' }))
    await page.setInputFiles('input[name="file"]', { name: 'phone.xlsx', mimeType: XLSX, buffer: await xlsxOf(bad) })
    await page.getByRole('button', { name: '上传并检查' }).click()
    await page.waitForURL((url) => /^\/experts\/import\/[0-9A-Z]{26}$/.test(url.pathname))
    await page.getByTestId('import-errors').waitFor()
    await noSidewaysScroll()
    await page.getByRole('button', { name: '放弃本次导入' }).click()
    await page.waitForURL((url) => url.pathname === '/experts/import')
  })
})
