/**
 * Similar library cases for a submission, saved or still being written (案例推送 while writing):
 * the text the index compares is the same in both cases (title, tags, summary, the four sections
 * as plain text), so what the author sees live is what the saved draft shows.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { libraryIndex } from './index.server.ts'
import { mdxPlainText, submissionMarkdown } from './model.ts'
import type { SimilarDraft } from './schemas.ts'
import type { SimilarItem } from './ui/similar-list.tsx'

export interface SimilarSource {
  title: string
  tags: readonly string[]
  summary: string
  facts: string
  process: string
  result: string
  commentary: string
  disputeType?: string | null
  domains?: readonly string[]
}

export function similarText(input: SimilarSource): string {
  return `${input.title}\n${input.tags.join(' ')}\n${input.summary}\n${mdxPlainText(submissionMarkdown(input))}`
}

/** The 5 most similar library cases, `excludeKey` (the submission's own published case) left out. */
export async function similarForSubmission(db: Executor, input: SimilarSource, excludeKey?: string): Promise<SimilarItem[]> {
  const text = similarText(input)
  // A draft with next to no text has nothing to compare: no suggestions rather than noise.
  if (text.replace(/\s+/g, '').length < 4 && !input.disputeType) return []
  const index = await libraryIndex(db)
  return index
    .similar(text, {
      disputeType: input.disputeType ?? null,
      domains: [...(input.domains ?? [])],
      ...(excludeKey ? { excludeKey } : {}),
    })
    .map((s) => ({
      key: s.case.key,
      title: s.case.title,
      disputeType: s.case.disputeType,
      sameType: s.sameType,
      sharedDomains: s.sharedDomains,
      sharedTerms: s.sharedTerms,
    }))
}

/** A draft's tag field as typed (commas, 、, spaces). */
export function draftTags(value: string): string[] {
  return value
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 12)
}

/**
 * Similar cases for a draft posted by its author (the live suggestions and the "查找相似案例"
 * button). A draft that names a saved submission must be the author's own: null otherwise (the
 * route answers 404, as for any record out of scope).
 */
export async function similarForDraft(db: Executor, authorPersonId: string, draft: SimilarDraft): Promise<SimilarItem[] | null> {
  if (draft.submissionId) {
    const own = await db
      .selectFrom('library_submissions')
      .select('id')
      .where('id', '=', draft.submissionId)
      .where('author_person_id', '=', authorPersonId)
      .executeTakeFirst()
    if (!own) return null
  }
  return similarForSubmission(db, { ...draft, tags: draftTags(draft.tags) }, draft.submissionId)
}
