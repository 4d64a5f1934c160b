/**
 * Scratch directories under tests/.tmp, one per run. A run that crashed never cleaned up, so making
 * a new one also removes those of the same kind that are more than an hour old.
 */
import fs from 'node:fs'
import path from 'node:path'
import { TEST_TMP_DIR } from '#tests/fixtures/test-env.ts'
import { randomTag } from './test-database.ts'

const STALE_AFTER_MS = 60 * 60 * 1000

export function makeRunDir(kind: string): string {
  const root = path.resolve(TEST_TMP_DIR)
  fs.mkdirSync(root, { recursive: true })
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(`${kind}-`)) continue
    const dir = path.join(root, entry.name)
    if (Date.now() - fs.statSync(dir).mtimeMs > STALE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true })
  }
  const dir = path.join(root, `${kind}-${process.pid}-${randomTag(6)}`)
  fs.mkdirSync(dir)
  return dir
}
