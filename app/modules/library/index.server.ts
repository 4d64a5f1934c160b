/**
 * The library's in-memory search index, built at first use from the curated cases and the
 * accepted submissions. Several app servers share one database: publishing bumps a version stamp
 * (`settings` key `library.index_version`); each process checks it at most every few seconds and
 * rebuilds when it changed. The publishing process drops its own index at once.
 */
import { type Executor, getDb } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import { defineSetting, readSettings, writeSetting } from '#app/lib/settings.server.ts'
import { z } from '#app/lib/validation.ts'
import { curatedCases } from './curated.server.ts'
import type { LibraryCase } from './model.ts'
import { LibrarySearch, type SimilarCase } from './search.ts'
import { acceptedCases } from './submissions.server.ts'

export const INDEX_VERSION = defineSetting('library.index_version', z.string(), 'initial')
/** How long a process trusts its index before asking the database for the version stamp. */
export const CHECK_INTERVAL_MS = 3000

interface State {
  search: LibrarySearch
  version: string
  checkedAt: number
}

let state: State | null = null
let building: Promise<State> | null = null

async function readVersion(db: Executor): Promise<string> {
  return (await readSettings(db, { v: INDEX_VERSION })).v
}

async function build(db: Executor, version: string, now: number): Promise<State> {
  const cases: LibraryCase[] = [...(await curatedCases()), ...(await acceptedCases(db))]
  return { search: new LibrarySearch(cases), version, checkedAt: now }
}

export async function libraryIndex(db: Executor, now = Date.now()): Promise<LibrarySearch> {
  if (state && now - state.checkedAt < CHECK_INTERVAL_MS) return state.search
  const version = await readVersion(db)
  if (state && state.version === version) {
    state.checkedAt = now
    return state.search
  }
  if (!building) {
    building = build(db, version, now).finally(() => {
      building = null
    })
  }
  state = await building
  return state.search
}

/** Called in the transaction that publishes or withdraws a case. */
export async function bumpIndexVersion(db: Executor, userId: string | null): Promise<void> {
  await writeSetting(db, INDEX_VERSION, newId(), userId)
  state = null
}

/** For tests simulating a second app server: forget this process's index and its check time. */
export function resetLibraryIndexForTests(): void {
  state = null
  building = null
}

/** The process's current version stamp (tests). */
export function currentIndexVersion(): string | null {
  return state?.version ?? null
}

/**
 * 案例推送: the k library cases most similar to a text (a submission being written, a difficult
 * case's description), each with the reasons (shared dispute type, domains, terms). Render the
 * result with `SimilarList` from `app/modules/library/ui/similar-list.tsx`.
 */
export async function similarCases(
  text: string,
  context: { disputeType?: string | null; domains?: string[]; excludeKey?: string },
  k = 5,
  db: Executor = getDb(),
): Promise<SimilarCase[]> {
  return (await libraryIndex(db)).similar(text, context, k)
}
