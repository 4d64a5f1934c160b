/** A user's bookmarks and private notes on library cases. Every query is keyed by the user: notes are private. */
import type { Executor } from '#app/lib/db.server.ts'
import { nowIso } from '#app/lib/time.ts'
import { upsert } from '#app/lib/upsert.server.ts'

export async function bookmarks(db: Executor, userId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('library_bookmarks').select('case_key').where('user_id', '=', userId).execute()
  return new Set(rows.map((r) => r.case_key))
}

export async function setBookmark(db: Executor, userId: string, caseKey: string, on: boolean): Promise<void> {
  if (on) {
    await upsert(db, 'library_bookmarks', { user_id: userId, case_key: caseKey, created_at: nowIso() }, ['user_id', 'case_key'], {
      case_key: caseKey,
    })
  } else {
    await db.deleteFrom('library_bookmarks').where('user_id', '=', userId).where('case_key', '=', caseKey).execute()
  }
}

export async function noteFor(db: Executor, userId: string, caseKey: string): Promise<string> {
  const row = await db
    .selectFrom('library_notes')
    .select('body')
    .where('user_id', '=', userId)
    .where('case_key', '=', caseKey)
    .executeTakeFirst()
  return row?.body ?? ''
}

export async function saveNote(db: Executor, userId: string, caseKey: string, body: string): Promise<void> {
  const trimmed = body.trim()
  if (!trimmed) {
    await db.deleteFrom('library_notes').where('user_id', '=', userId).where('case_key', '=', caseKey).execute()
    return
  }
  const now = nowIso()
  await upsert(
    db,
    'library_notes',
    { user_id: userId, case_key: caseKey, body: trimmed, created_at: now, updated_at: now },
    ['user_id', 'case_key'],
    {
      body: trimmed,
      updated_at: now,
    },
  )
}
