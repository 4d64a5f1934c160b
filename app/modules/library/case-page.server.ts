/** Everything the case page shows: the rendered body, its table of contents and related cases. */
import type { Executor } from '#app/lib/db.server.ts'
import { headingId, type Heading } from '#app/lib/mdx/headings.ts'
import { curatedCases, renderCuratedCase } from './curated.server.ts'
import { libraryIndex } from './index.server.ts'
import { renderMarkdown } from './markdown.server.tsx'
import type { LibraryCase } from './model.ts'
import { getSubmission } from './submissions.server.ts'
import { SECTIONS } from './vocabulary.ts'

export interface RelatedCase {
  key: string
  title: string
  disputeType: string
  sameType: boolean
  sharedDomains: string[]
  sharedTerms: string[]
}

export async function findCase(db: Executor, key: string): Promise<LibraryCase | null> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(key)) return null
  return (await libraryIndex(db)).get(key) ?? null
}

/** Sections of an accepted submission, each rendered by the sanitising Markdown renderer. */
export function renderSubmissionSections(input: Record<(typeof SECTIONS)[number]['key'], string>): { html: string; headings: Heading[] } {
  const headings: Heading[] = SECTIONS.map((s) => ({ depth: 2, text: s.heading, id: headingId(s.heading) }))
  const html = SECTIONS.map((s) => `<h2 id="${headingId(s.heading)}">${s.heading}</h2>${renderMarkdown(input[s.key])}`).join('')
  return { html, headings }
}

export async function caseBody(db: Executor, c: LibraryCase): Promise<{ html: string; headings: Heading[] }> {
  if (c.kind === 'curated') {
    const curated = (await curatedCases()).find((x) => x.key === c.key)
    if (curated) return renderCuratedCase(db, curated)
  } else {
    const submission = await getSubmission(db, c.key)
    if (submission && submission.status === 'accepted') return renderSubmissionSections(submission.input)
  }
  return { html: '', headings: [] }
}

export async function relatedCases(db: Executor, c: LibraryCase, k = 4): Promise<RelatedCase[]> {
  const index = await libraryIndex(db)
  return index
    .similar(
      `${c.title}\n${c.tags.join(' ')}\n${c.summary}\n${c.text}`,
      { disputeType: c.disputeType, domains: c.domains, excludeKey: c.key },
      k,
    )
    .map((s) => ({
      key: s.case.key,
      title: s.case.title,
      disputeType: s.case.disputeType,
      sameType: s.sameType,
      sharedDomains: s.sharedDomains,
      sharedTerms: s.sharedTerms,
    }))
}
