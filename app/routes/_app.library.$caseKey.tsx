import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { caseBody, findCase, relatedCases } from '#app/modules/library/case-page.server.ts'
import { bookmarks, noteFor, saveNote, setBookmark } from '#app/modules/library/personal.server.ts'
import printCss from '#app/modules/library/print.css?url'
import { Chips } from '#app/modules/library/ui/snippet.tsx'
import { SimilarList } from '#app/modules/library/ui/similar-list.tsx'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printCss }]

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.case.title ?? '')

async function load(request: Request, key: string | undefined) {
  const user = await requirePermission(request, 'library:read')
  const found = key ? await findCase(getDb(), key) : null
  if (!found) notFound()
  return { user, found }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, found } = await load(request, params.caseKey)
  const db = getDb()
  const [body, related, marks, note] = await Promise.all([
    caseBody(db, found),
    relatedCases(db, found),
    bookmarks(db, user.userId),
    noteFor(db, user.userId, found.key),
  ])
  const region = await db.selectFrom('regions').select('name').where('code', '=', found.region).executeTakeFirst()
  const { text: _text, ...meta } = found
  return { case: meta, regionName: region?.name ?? found.region, body, related, bookmarked: marks.has(found.key), note }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, found } = await load(request, params.caseKey)
  const form = await request.formData()
  const intent = form.get('intent')
  const db = getDb()
  const to = `/library/${encodeURIComponent(found.key)}`
  if (intent === 'bookmark' || intent === 'unbookmark') {
    await setBookmark(db, user.userId, found.key, intent === 'bookmark')
    return redirectWithFlash(to, {
      kind: 'success',
      message: intent === 'bookmark' ? 'library.bookmarks.added' : 'library.bookmarks.removed',
    })
  }
  if (intent === 'note') {
    const body = String(form.get('body') ?? '')
    if (body.length > 5000) return data({ noteError: 'library.note.tooLong' as const }, { status: 400 })
    await saveNote(db, user.userId, found.key, body)
    return redirectWithFlash(`${to}#note`, { kind: 'success', message: 'library.note.saved' })
  }
  return data({ noteError: null }, { status: 400 })
}

export default function LibraryCasePage() {
  const t = useT()
  const { case: c, regionName, body, related, bookmarked, note } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const facts: [string, string][] = [
    [t('library.field.caseId'), c.kind === 'curated' ? c.caseId : t('library.kind.submitted')],
    [t('library.field.disputeType'), c.disputeType],
    [t('library.field.domain'), c.domains.join('、')],
    [t('library.field.region'), regionName],
    [t('library.field.year'), String(c.year)],
    [t('library.field.source'), c.source],
    [t('library.field.outcome'), c.outcome],
    [t('library.field.amountRange'), c.amountRange],
    ...(c.difficulty ? ([[t('library.field.difficulty'), c.difficulty]] as [string, string][]) : []),
    ...(c.legalBasis.length ? ([[t('library.field.legalBasis'), c.legalBasis.join('；')]] as [string, string][]) : []),
    ...(c.commentator ? ([[t('library.field.commentator'), c.commentator]] as [string, string][]) : []),
  ]
  return (
    <>
      <PageHeader
        title={c.title}
        crumbs={[{ label: t('library.title'), to: '/library' }, { label: c.title }]}
        actions={
          <div className="library-no-print flex flex-wrap gap-2">
            <Form method="post">
              <button type="submit" name="intent" value={bookmarked ? 'unbookmark' : 'bookmark'} className="btn-secondary">
                {bookmarked ? t('library.bookmarks.remove') : t('library.bookmarks.add')}
              </button>
            </Form>
            <button type="button" className="btn-secondary" onClick={() => window.print()}>
              {t('library.print')}
            </button>
          </div>
        }
      />
      <div className="flex flex-col gap-6 lg:flex-row">
        <article className="library-case min-w-0 flex-1">
          <p className="text-slate-700">{c.summary}</p>
          <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
            {facts.map(([label, value]) => (
              <div key={label} className="flex gap-2">
                <dt className="shrink-0 text-slate-500">{label}</dt>
                <dd className="min-w-0 break-words">{value}</dd>
              </div>
            ))}
          </dl>
          <Chips items={[...c.techniques, ...c.tags]} />
          {body.headings.length ? (
            <nav aria-label={t('library.toc')} className="card mt-4 library-no-print">
              <p className="font-semibold">{t('library.toc')}</p>
              <ol className="mt-1 space-y-1 text-sm">
                {body.headings.map((h) => (
                  <li key={h.id} className={h.depth === 3 ? 'pl-4' : ''}>
                    <a href={`#${h.id}`}>{h.text}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-rendered shipped MDX (one pipeline) or submitted Markdown through the sanitiser */}
          <div className="prose mt-4 max-w-none break-words" data-testid="case-body" dangerouslySetInnerHTML={{ __html: body.html }} />
        </article>
        <aside className="space-y-4 lg:w-80 lg:shrink-0">
          <SimilarList items={related} title={t('library.related')} />
          {c.relatedDrills.length ? (
            <section className="card library-no-print">
              <h2 className="text-lg font-semibold">{t('library.relatedDrills')}</h2>
              <ul className="mt-2 space-y-1">
                {c.relatedDrills.map((slug) => (
                  <li key={slug}>
                    <Link to={`/drills/${encodeURIComponent(slug)}`}>{slug}</Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section id="note" className="card library-no-print">
            <h2 className="text-lg font-semibold">{t('library.note.title')}</h2>
            <p className="text-xs text-slate-600">{t('library.note.private')}</p>
            <Form method="post" className="mt-2 space-y-2">
              <label htmlFor="library-note" className="sr-only">
                {t('library.note.title')}
              </label>
              <textarea id="library-note" name="body" rows={5} maxLength={5000} className="input" defaultValue={note} />
              {actionData && 'noteError' in actionData && actionData.noteError ? (
                <p className="field-error">{t(actionData.noteError)}</p>
              ) : null}
              <button type="submit" name="intent" value="note" className="btn-primary">
                {t('library.note.save')}
              </button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  )
}
