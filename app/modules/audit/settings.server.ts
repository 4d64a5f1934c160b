/**
 * The audit log's retention (security checklist: keep at least six months). Rows older than the
 * retention are copied to an archive file by `archive.server.ts`; the schema refuses anything
 * shorter than 180 days, so the setting can never shorten the legal minimum.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { defineSetting, readSettings } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'

export const MIN_RETENTION_DAYS = 180

export const AUDIT_SETTINGS = {
  retentionDays: defineSetting('audit.retentionDays', z.number().int().min(MIN_RETENTION_DAYS).max(3650), 365),
  /**
   * The newest `at` the archive job has copied out (maintained by the job, never edited by hand):
   * the next run starts after it, and the viewer says that older rows live in the archive files.
   */
  archivedThrough: defineSetting('audit.archivedThrough', z.string().max(120), ''),
}

export function readAuditSettings(db: Executor) {
  return readSettings(db, AUDIT_SETTINGS)
}
