/**
 * Curated cases shipped in content/cases/<slug>.mdx: read and validated once per process (the
 * files ship with the release), compiled through the one MDX pipeline when a page shows them.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import type { Executor } from '#app/lib/db.server.ts'
import { compileMdx, ContentError, parseFrontmatter } from '#app/lib/mdx/compile.server.ts'
import type { Heading } from '#app/lib/mdx/headings.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import type { ZodType } from 'zod'
import { type LibraryCase, mdxPlainText } from './model.ts'
import { type CaseFrontmatter, caseFrontmatterSchema } from './schemas.ts'

export const CASES_DIR = 'content/cases'
/** The schema as the pipeline sees it (zod's input type differs from the parsed one). */
const FRONTMATTER = caseFrontmatterSchema as unknown as ZodType<CaseFrontmatter>

const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/

export interface CuratedCase extends LibraryCase {
  kind: 'curated'
  file: string
  source: string
  mdx: string
}

export function casesDir(root = process.cwd()): string {
  return path.resolve(root, CASES_DIR)
}

/** Parses and validates one file; throws ContentError naming the file and the field. */
export function parseCuratedCase(file: string, mdx: string): CuratedCase {
  const slug = path.basename(file, '.mdx')
  if (!SLUG.test(slug)) throw new ContentError(file, '(file name)', 'use lower-case letters, digits and hyphens')
  let parsed: matter.GrayMatterFile<string>
  try {
    parsed = matter(mdx)
  } catch (error) {
    throw new ContentError(file, '(frontmatter)', error instanceof Error ? error.message : String(error))
  }
  const fm: CaseFrontmatter = parseFrontmatter(FRONTMATTER, parsed.data, file)
  return {
    key: slug,
    kind: 'curated',
    caseId: fm.id,
    title: fm.title,
    disputeType: fm.disputeType,
    domains: fm.domains,
    region: fm.region,
    year: fm.year,
    source: fm.source,
    outcome: fm.outcome,
    amountRange: fm.amountRange,
    techniques: fm.techniques,
    legalBasis: fm.legalBasis,
    competencies: fm.competencies,
    difficulty: fm.difficulty,
    commentator: fm.commentator,
    tags: fm.tags,
    relatedDrills: fm.relatedDrills,
    summary: fm.summary,
    text: mdxPlainText(parsed.content),
    sortDate: String(fm.year),
    file,
    mdx,
  }
}

/** Reads every case file; all problems are collected so a content check names every bad file. */
export async function readCuratedCases(dir = casesDir()): Promise<{ cases: CuratedCase[]; errors: ContentError[] }> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.mdx')).sort()
  } catch {
    return { cases: [], errors: [] }
  }
  const cases: CuratedCase[] = []
  const errors: ContentError[] = []
  const ids = new Map<string, string>()
  for (const name of names) {
    const file = path.join(CASES_DIR, name)
    try {
      const c = parseCuratedCase(file, await fs.readFile(path.join(dir, name), 'utf8'))
      const other = ids.get(c.caseId)
      if (other) throw new ContentError(file, 'id', `duplicate of ${other}`)
      ids.set(c.caseId, file)
      cases.push(c)
    } catch (error) {
      if (error instanceof ContentError) errors.push(error)
      else throw error
    }
  }
  return { cases, errors }
}

let loaded: Promise<CuratedCase[]> | null = null

/** The valid curated cases (invalid files are reported by the content test, skipped here). */
export function curatedCases(): Promise<CuratedCase[]> {
  loaded ??= readCuratedCases().then((r) => r.cases)
  return loaded
}

/** For tests that add files. */
export function forgetCuratedCases(): void {
  loaded = null
}

export async function renderCuratedCase(db: Executor, c: CuratedCase): Promise<{ html: string; headings: Heading[] }> {
  const compiled = await compileMdx(db, c.mdx, FRONTMATTER, c.file)
  return { html: renderMdx(compiled.hash, compiled.code), headings: compiled.headings }
}
