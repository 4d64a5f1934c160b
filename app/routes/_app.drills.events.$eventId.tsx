import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, may, requireRecordAccess, requireUser } from '#app/modules/auth/authz.server.ts'
import { hasPermission } from '#app/modules/auth/policy.ts'
import { attemptsOf, startAttempt } from '#app/modules/drills/attempts.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { type DrillEvent, eventResults, getEvent, includes, participantOf, windowState } from '#app/modules/drills/events.server.ts'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.event.title ?? '')

/** Staff who manage the event's region, or mediators the event includes; anyone else 404/403 (logged). */
async function access(request: Request, user: AuthUser, eventId: string | undefined) {
  const db = getDb()
  const event = eventId ? await getEvent(db, eventId) : null
  if (!event) notFound()
  const manages = may(user, 'drill:manage', { regionPath: event.regionPath })
  const participant = user.personId && hasPermission(user, 'drill:take') ? await participantOf(db, user.personId) : null
  const takesPart = !!participant && includes(event, participant)
  if (!manages && !takesPart) {
    // Logged; a mediator outside the event's scope gets 404 (not 403), like any out-of-scope record.
    const permission = hasPermission(user, 'drill:manage') || !hasPermission(user, 'drill:take') ? 'drill:manage' : 'drill:take'
    await requireRecordAccess(request, user, permission, {
      type: 'drill_event',
      id: event.id,
      regionPath: event.regionPath,
      personId: null,
    })
    notFound()
  }
  return { db, event, manages, participant: takesPart ? participant : null }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const { db, event, manages, participant } = await access(request, user, params.eventId)
  const drills = await loadDrills(db)
  const mine = participant ? (await attemptsOf(db, participant.personId)).filter((a) => a.event_id === event.id) : []
  const results = await eventResults(db, event, { personId: user.personId, orgId: participant?.orgId ?? null, allNames: manages })
  return {
    event: {
      id: event.id,
      title: event.title,
      targetName: event.targetName,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      state: windowState(event),
    },
    participant: !!participant,
    manages,
    drills: event.slugs.map((slug) => {
      const drill = drills.get(slug)
      const attempts = mine.filter((a) => a.drill_slug === slug)
      return {
        slug,
        title: drill?.structure.title ?? slug,
        attempts: attempts.map((a) => ({ id: a.id, status: a.status, score: a.score })),
        left: Math.max(0, (drill?.structure.maxAttempts ?? 0) - attempts.length),
      }
    }),
    results,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const { db, event, participant } = await access(request, user, params.eventId)
  if (!participant || !user.personId)
    return redirectWithFlash(`/drills/events/${event.id}`, { kind: 'error', message: 'drills.events.notParticipant' })
  const slug = String((await request.formData()).get('slug') ?? '')
  const drill = event.slugs.includes(slug) ? (await loadDrills(db)).get(slug) : undefined
  if (!drill) return redirectWithFlash(`/drills/events/${event.id}`, { kind: 'error', message: 'drills.error.badRequest' })
  const result = await startAttempt(db, drill, { personId: user.personId, userId: user.userId }, new Date(), eventWindow(event))
  if (!result.ok) return redirectWithFlash(`/drills/events/${event.id}`, { kind: 'error', message: result.error })
  if (!result.value.resumed) {
    await audit(db, request, actorOf(user), {
      action: 'drill.start',
      recordType: 'drill_attempt',
      recordId: result.value.id,
      detail: { drill: slug, event: event.id },
    })
  }
  return redirect(`/drills/${slug}/attempts/${result.value.id}`)
}

function eventWindow(event: DrillEvent) {
  return { id: event.id, startsAt: event.startsAt, endsAt: event.endsAt }
}

export default function DrillEventPage() {
  const t = useT()
  const { event, participant, manages, drills, results } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  return (
    <>
      <PageHeader
        title={event.title}
        crumbs={[{ label: t('drills.title'), to: '/drills' }, { label: event.title }]}
        actions={
          // Results with every name, for the staff who manage the event (stats module, audited).
          manages ? (
            <a href={`/drills/events/${event.id}.xlsx`} className="btn-secondary" download>
              {t('stats.exportList')}
            </a>
          ) : null
        }
      />
      <section className="card mb-4">
        <p className="text-slate-700">
          {event.targetName} · {t.dateTime(event.startsAt)} – {t.dateTime(event.endsAt)} ·{' '}
          <strong>{t(`drills.events.state.${event.state}` as MessageKey)}</strong>
        </p>
        <ul className="mt-3 space-y-3">
          {drills.map((d) => (
            <li key={d.slug} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{d.title}</span>
              {d.attempts.map((a) => (
                <Link key={a.id} to={`/drills/${d.slug}/attempts/${a.id}`} className="text-sm">
                  {a.score !== null ? t('drills.scoreLine', { score: a.score }) : t(`drills.status.${a.status}` as MessageKey)}
                </Link>
              ))}
              {participant && event.state === 'open' && d.left > 0 ? (
                <Form method="post">
                  <input type="hidden" name="slug" value={d.slug} />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    {d.attempts.some((a) => a.status === 'in_progress') ? t('drills.resume') : t('drills.start')}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card mb-4" aria-labelledby="leaderboard">
        <h2 id="leaderboard" className="text-lg">
          {t('drills.events.leaderboard')}
        </h2>
        <p className="text-sm text-slate-600">{t('drills.events.leaderboardHint', { n: results.participants })}</p>
        {results.persons.length === 0 ? <p className="mt-2">{t('drills.events.noResults')}</p> : null}
        <ol className="mt-2 space-y-1" data-testid="leaderboard">
          {results.persons.map((p) => (
            <li key={p.rank} className={p.self ? 'font-semibold' : ''}>
              {p.rank}. {p.name ?? t('drills.events.hiddenName')} · {p.orgName} · {p.total}
            </li>
          ))}
        </ol>
      </section>
      <section className="card" aria-labelledby="by-org">
        <h2 id="by-org" className="text-lg">
          {t('drills.events.byOrg')}
        </h2>
        <ol className="mt-2 space-y-1">
          {results.orgs.map((o, i) => (
            <li key={o.orgName}>
              {i + 1}. {o.orgName} · {t('drills.events.orgLine', { average: o.average ?? 0, took: o.took, members: o.members })}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
