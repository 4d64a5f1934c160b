/**
 * The audit log is append-only for the application: no code under app/ updates or deletes it.
 * The database enforces the same with triggers on both dialects (audit.db.test.ts asserts that an
 * UPDATE and a DELETE are refused); this test keeps a code path from being written at all. The
 * archive job (archive.server.ts) copies rows out and never deletes them, so it has no exception.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name)
    if (statSync(file).isDirectory()) return sourceFiles(file)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : []
  })
}

// Kysely builders and raw SQL alike, whatever the quoting and spacing.
const FORBIDDEN = [
  /updateTable\(\s*['"`]audit_log/,
  /deleteFrom\(\s*['"`]audit_log/,
  /\bupdate\s+[`"]?audit_log\b/i,
  /\bdelete\s+from\s+[`"]?audit_log\b/i,
  /\btruncate\s+(table\s+)?[`"]?audit_log\b/i,
  /\bdrop\s+trigger\b[^\n]*audit_log/i,
]

describe('audit log append-only in code', () => {
  it('no file under app/ updates, deletes, truncates or unguards audit_log', () => {
    const files = sourceFiles('app')
    expect(files.length).toBeGreaterThan(100)
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return FORBIDDEN.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`)
    })
    expect(offenders).toEqual([])
  })

  it('the patterns catch what they are meant to', () => {
    const samples = [
      "db.updateTable('audit_log').set({})",
      'trx.deleteFrom("audit_log")',
      'sql`DELETE FROM audit_log WHERE 1`',
      'sql`update `audit_log` set x = 1`',
      'TRUNCATE TABLE audit_log',
      'DROP TRIGGER audit_log_no_delete',
    ]
    for (const sample of samples)
      expect(
        FORBIDDEN.some((p) => p.test(sample)),
        sample,
      ).toBe(true)
    expect(FORBIDDEN.some((p) => p.test("db.insertInto('audit_log')"))).toBe(false)
  })
})
