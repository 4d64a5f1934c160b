import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import { createEvent, recentEvents, windowState } from '#app/modules/drills/events.server.ts'
import { eventCreateSchema } from '#app/modules/drills/schemas.ts'
import { regionPathOf, regionsInScope } from '#app/modules/regions/regions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'drills.events.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'drill:manage')
  const db = getDb()
  const scope = scopeFor(user, 'drill:manage')
  const drills = await loadDrills(db)
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('status', '=', 'active')
    .where(scopeCondition(scope, { region: 'region_code', org: 'id' }))
    .orderBy('name')
    .limit(500)
    .execute()
  return {
    events: (await recentEvents(db))
      .filter((e) => may(user, 'drill:manage', { regionPath: e.regionPath }))
      .map((e) => ({ id: e.id, title: e.title, targetName: e.targetName, startsAt: e.startsAt, endsAt: e.endsAt, state: windowState(e) })),
    drills: [...drills.values()].map((d) => ({ slug: d.slug, title: d.structure.title })),
    regions: (await regionsInScope(db, scope)).filter((r) => r.level !== 'village' && r.level !== 'township'),
    orgs,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'drill:manage')
  const db = getDb()
  const form = await request.formData()
  const parsed = eventCreateSchema.safeParse({
    title: form.get('title'),
    slugs: form.getAll('slugs'),
    target: form.get('target'),
    startsAt: form.get('startsAt'),
    endsAt: form.get('endsAt'),
  })
  if (!parsed.success) return data({ error: (parsed.error.issues[0]?.message ?? 'validation.invalid') as string }, { status: 400 })
  const drills = await loadDrills(db)
  if (parsed.data.slugs.some((s) => !drills.has(s))) return data({ error: 'drills.events.unknownDrill' }, { status: 400 })
  const [kind, id] = parsed.data.target.split(':') as ['region' | 'org', string]
  const org = kind === 'org' ? await db.selectFrom('organisations').select('region_code').where('id', '=', id).executeTakeFirst() : null
  const regionPath = await regionPathOf(db, kind === 'region' ? id : (org?.region_code ?? ''))
  if (!regionPath || (kind === 'org' && !org) || !may(user, 'drill:manage', { regionPath })) {
    return data({ error: 'drills.events.targetOutOfScope' }, { status: 400 })
  }
  const eventId = await createEvent(
    db,
    { ...parsed.data, regionCode: kind === 'region' ? id : null, orgId: kind === 'org' ? id : null },
    user.userId,
  )
  await audit(db, request, actorOf(user), {
    action: 'drill.event.create',
    recordType: 'drill_event',
    recordId: eventId,
    detail: { target: parsed.data.target },
  })
  return redirectWithFlash(`/drills/events/${eventId}`, { kind: 'success', message: 'drills.events.created' })
}

export default function DrillEvents() {
  const t = useT()
  const { events, drills, regions, orgs } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  return (
    <>
      <PageHeader title={t('drills.events.title')} crumbs={[{ label: t('drills.title') }, { label: t('drills.events.title') }]} />
      <section className="card mb-6" aria-labelledby="events-list">
        <h2 id="events-list" className="text-lg">
          {t('drills.events.list')}
        </h2>
        {events.length === 0 ? <p className="mt-2 text-slate-700">{t('drills.events.none')}</p> : null}
        <ul className="mt-2 space-y-2">
          {events.map((e) => (
            <li key={e.id}>
              <Link to={`/drills/events/${e.id}`}>{e.title}</Link>
              <span className="ml-2 text-sm text-slate-600">
                {e.targetName} · {t.dateTime(e.startsAt)} – {t.dateTime(e.endsAt)} · {t(`drills.events.state.${e.state}` as MessageKey)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <Form method="post" className="card space-y-4" aria-labelledby="new-event">
        <h2 id="new-event" className="text-lg">
          {t('drills.events.new')}
        </h2>
        {actionData?.error ? (
          <p role="alert" className="text-red-800">
            {t.ref(actionData.error)}
          </p>
        ) : null}
        <div>
          <label htmlFor="event-title" className="label">
            {t('drills.events.name')}
          </label>
          <input id="event-title" name="title" required maxLength={200} className="input w-full" />
        </div>
        <fieldset>
          <legend className="label">{t('drills.events.drills')}</legend>
          {drills.map((d) => (
            <label key={d.slug} className="flex items-center gap-2">
              <input type="checkbox" name="slugs" value={d.slug} />
              {d.title}
            </label>
          ))}
        </fieldset>
        <div>
          <label htmlFor="event-target" className="label">
            {t('drills.events.target')}
          </label>
          <select id="event-target" name="target" required className="input w-full">
            <optgroup label={t('drills.events.targetRegion')}>
              {regions.map((r) => (
                <option key={r.code} value={`region:${r.code}`}>
                  {'　'.repeat(r.depth)}
                  {r.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('drills.events.targetOrg')}>
              {orgs.map((o) => (
                <option key={o.id} value={`org:${o.id}`}>
                  {o.name}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="event-start" className="label">
              {t('drills.events.startsAt')}
            </label>
            <input id="event-start" name="startsAt" type="datetime-local" required className="input w-full" />
          </div>
          <div>
            <label htmlFor="event-end" className="label">
              {t('drills.events.endsAt')}
            </label>
            <input id="event-end" name="endsAt" type="datetime-local" required className="input w-full" />
          </div>
        </div>
        <button type="submit" className="btn-primary" disabled={busy}>
          {t('drills.events.create')}
        </button>
      </Form>
    </>
  )
}
