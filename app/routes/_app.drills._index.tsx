import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { summariesOf } from '#app/modules/drills/attempts.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { eventsFor, participantOf, windowState } from '#app/modules/drills/events.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'drills.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'drill:take')
  const db = getDb()
  const drills = await loadDrills(db)
  const mine = user.personId ? await summariesOf(db, user.personId) : new Map()
  const participant = user.personId ? await participantOf(db, user.personId) : null
  const events = participant ? await eventsFor(db, participant) : []
  return {
    events: events.map((e) => ({ id: e.id, title: e.title, startsAt: e.startsAt, endsAt: e.endsAt, state: windowState(e) })),
    drills: [...drills.values()].map((d) => {
      const s = mine.get(d.slug)
      return {
        slug: d.slug,
        kind: d.structure.kind,
        title: d.structure.title,
        summary: d.structure.summary,
        topic: d.structure.topic,
        maxAttempts: d.structure.maxAttempts,
        attempts: s?.attempts ?? 0,
        best: s?.best ?? null,
        passed: s?.passed ?? false,
      }
    }),
  }
}

const KINDS = ['quiz', 'scenario', 'drafting'] as const

export default function Drills() {
  const t = useT()
  const { drills, events } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t('drills.title')} crumbs={[{ label: t('drills.title') }]} />
      <p className="mb-4 text-slate-700">{t('drills.intro')}</p>
      {events.length ? (
        <section className="card mb-6" aria-labelledby="my-events" data-testid="my-events">
          <h2 id="my-events" className="text-lg">
            {t('drills.events.mine')}
          </h2>
          <ul className="mt-2 space-y-1">
            {events.map((e) => (
              <li key={e.id}>
                <Link to={`/drills/events/${e.id}`}>{e.title}</Link>
                <span className="ml-2 text-sm text-slate-600">
                  {t.dateTime(e.startsAt)} – {t.dateTime(e.endsAt)} · {t(`drills.events.state.${e.state}` as MessageKey)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {KINDS.map((kind) => {
        const list = drills.filter((d) => d.kind === kind)
        if (!list.length) return null
        return (
          <section key={kind} className="mb-8" aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`} className="mb-3 text-lg">
              {t(`drills.kind.${kind}` as MessageKey)}
            </h2>
            <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
              {list.map((d) => (
                <li key={d.slug} className="card" data-drill={d.slug}>
                  <Link to={`/drills/${d.slug}`} className="text-lg font-medium">
                    {d.title}
                  </Link>
                  <p className="mt-1 text-sm text-slate-600">{d.topic}</p>
                  <p className="mt-2 text-slate-700">{d.summary}</p>
                  <p className="mt-2 text-sm text-slate-700">
                    {t('drills.attemptsUsed', { used: d.attempts, max: d.maxAttempts })}
                    {d.best !== null ? ` · ${t('drills.best', { score: d.best })}` : ''}
                    {d.passed ? ` · ${t('drills.passed')}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        )
      })}
      {drills.length === 0 ? <p className="card">{t('drills.none')}</p> : null}
    </>
  )
}
