/** What the catalogue, course and module pages show, assembled from content and progress. */
import type { Executor } from '#app/lib/db.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import type { TrainingKind } from '#db/schema.ts'
import { hoursPerYear } from './archive.server.ts'
import type { Audience } from './content-schema.ts'
import { loadCatalogue } from './content.server.ts'
import { completedByCourse, lastOpenModule } from './progress.server.ts'
import { courseProgress, type CourseProgress } from './rules.ts'

export interface CatalogueFilters {
  kind: TrainingKind | null
  audience: Audience | null
}

export interface CatalogueEntry {
  slug: string
  title: string
  summary: string
  kind: TrainingKind
  hours: number
  audience: Audience[]
  moduleCount: number
  minutes: number
  progress: CourseProgress | null
}

export async function catalogueFor(db: Executor, personId: string | null, filters: CatalogueFilters) {
  const courses = await loadCatalogue(db)
  const done = personId ? await completedByCourse(db, personId) : new Map<string, Set<string>>()
  const entries: CatalogueEntry[] = courses
    .filter((c) => !filters.kind || c.frontmatter.kind === filters.kind)
    .filter((c) => !filters.audience || c.frontmatter.audience.includes(filters.audience) || c.frontmatter.audience.includes('all'))
    .map((c) => ({
      slug: c.slug,
      title: c.frontmatter.title,
      summary: c.frontmatter.summary,
      kind: c.frontmatter.kind,
      hours: c.frontmatter.hours,
      audience: c.frontmatter.audience,
      moduleCount: c.modules.length,
      minutes: c.modules.reduce((sum, m) => sum + m.frontmatter.estimatedMinutes, 0),
      progress: personId
        ? courseProgress(
            c.modules.map((m) => m.slug),
            done.get(c.slug) ?? new Set(),
          )
        : null,
    }))
  let resume: { courseSlug: string; moduleSlug: string; courseTitle: string; moduleTitle: string } | null = null
  let hoursThisYear: { year: number; hours: number } | null = null
  if (personId) {
    const last = await lastOpenModule(db, personId)
    const course = last && courses.find((c) => c.slug === last.courseSlug)
    const module = course?.modules.find((m) => m.slug === last!.moduleSlug)
    if (last && course && module) resume = { ...last, courseTitle: course.frontmatter.title, moduleTitle: module.frontmatter.title }
    const year = Number(todayInChina().slice(0, 4))
    hoursThisYear = { year, hours: (await hoursPerYear(db, personId)).find((h) => h.year === year)?.hours ?? 0 }
  }
  return { entries, resume, hoursThisYear }
}
