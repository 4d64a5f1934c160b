import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { type RecordColumn, RecordTable } from '#app/components/ui/record-table.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest, notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { recordTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, may, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import type { Permission } from '#app/modules/auth/policy.ts'
import { deliveryKindLabel } from '#app/modules/webhooks/labels.ts'
import { getDelivery, replayDelivery } from '#app/modules/webhooks/log.server.ts'
import { LastResult, StatusBadge } from '#app/modules/webhooks/ui/delivery-status.tsx'

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => recordTitle(matches, data?.delivery.case_number ?? '')

async function requireDelivery(request: Request, user: AuthUser, permission: Permission, deliveryId: string | undefined) {
  const delivery = isId(deliveryId) ? await getDelivery(getDb(), deliveryId) : null
  if (!delivery) notFound()
  await requireRecordAccess(request, user, permission, {
    type: 'webhook_delivery',
    id: delivery.id,
    regionPath: delivery.region_path,
    orgId: delivery.org_id,
  })
  return delivery
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'webhook:view')
  const d = await requireDelivery(request, user, 'webhook:view', params.deliveryId)
  let pretty = d.body
  try {
    pretty = JSON.stringify(JSON.parse(d.body), null, 2)
  } catch {
    // Stored by this app, so always JSON; shown as stored otherwise.
  }
  return {
    delivery: {
      id: d.id,
      eventId: d.event_id,
      kind: d.kind,
      status: d.status,
      attemptCount: d.attempt_count,
      nextAttemptAt: d.next_attempt_at,
      lastStatusCode: d.last_status_code,
      lastError: d.last_error,
      deliveredAt: d.delivered_at,
      createdAt: d.created_at,
      type: d.type,
      caseId: d.case_id,
      case_number: d.case_number,
      clientName: d.client_name,
      webhookUrl: d.webhook_url,
    },
    body: pretty,
    attempts: d.attempts,
    siblings: d.siblings,
    canReplay: may(user, 'webhook:replay', { regionPath: d.region_path, orgId: d.org_id }),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'webhook:replay')
  const delivery = await requireDelivery(request, user, 'webhook:replay', params.deliveryId)
  const formData = await request.formData()
  if (formData.get('intent') !== 'replay') badRequest()
  const db = getDb()
  const replayed = await replayDelivery(db, delivery.id, user.userId)
  await audit(db, request, actorOf(user), {
    action: 'webhook.replayed',
    recordType: 'webhook_delivery',
    recordId: delivery.id,
    result: replayed.ok ? 'ok' : 'denied',
    detail: {
      eventId: delivery.event_id,
      caseId: delivery.case_id,
      replayId: replayed.ok ? replayed.deliveryId : null,
      refused: replayed.ok ? undefined : replayed.reason,
    },
  })
  if (!replayed.ok) {
    return redirectWithFlash(`/admin/webhooks/${delivery.id}`, { kind: 'info', message: 'webhooks.replay.open' })
  }
  return redirectWithFlash(`/admin/webhooks/${replayed.deliveryId}`, { kind: 'success', message: 'webhooks.replay.queued' })
}

type Attempt = Awaited<ReturnType<typeof loader>>['attempts'][number]

export default function WebhookDelivery() {
  const t = useT()
  const { delivery: d, body, attempts, siblings, canReplay } = useLoaderData<typeof loader>()
  const columns: RecordColumn<Attempt>[] = [
    { key: 'no', header: t('webhooks.attempts.no'), render: (a) => a.attempt_no },
    { key: 'at', header: t('webhooks.attempts.at'), render: (a) => t.dateTime(a.started_at), nowrap: true },
    {
      key: 'result',
      header: t('webhooks.attempts.result'),
      testId: 'attempt-result',
      render: (a) => (
        <>
          {a.error === null ? <span className="text-green-800">{t('webhooks.attempts.ok')} </span> : null}
          <LastResult statusCode={a.status_code} error={a.error} />
        </>
      ),
    },
    {
      key: 'duration',
      header: t('webhooks.attempts.duration'),
      render: (a) => t('webhooks.attempts.ms', { ms: a.duration_ms }),
      nowrap: true,
    },
    {
      key: 'response',
      header: t('webhooks.attempts.response'),
      render: (a) => (a.response_excerpt ? <code className="break-all text-xs">{a.response_excerpt}</code> : null),
    },
  ]
  return (
    <>
      <PageHeader
        title={t('webhooks.delivery.title', { case: d.case_number })}
        crumbs={[{ label: t('webhooks.title'), to: '/admin/webhooks' }, { label: d.id }]}
        actions={
          canReplay ? (
            <Form method="post">
              <input type="hidden" name="intent" value="replay" />
              <button type="submit" className="btn-primary" data-testid="replay">
                {t('webhooks.replay.button')}
              </button>
            </Form>
          ) : null
        }
      />
      <section className="card mb-4 grid gap-2 md:grid-cols-2" data-testid="delivery-facts">
        <p>
          <strong>{t('webhooks.field.status')}：</strong>
          <StatusBadge status={d.status} />
        </p>
        <p>
          <strong>{t('webhooks.field.kind')}：</strong>
          {t(deliveryKindLabel(d.kind))}
        </p>
        <p>
          <strong>{t('webhooks.field.client')}：</strong>
          {d.clientName}
        </p>
        <p className="break-all">
          <strong>{t('webhooks.field.url')}：</strong>
          <span className="font-mono text-sm">{d.webhookUrl ?? t('webhooks.noUrl')}</span>
        </p>
        <p>
          <strong>{t('webhooks.field.case')}：</strong>
          <Link to={`/cases/${d.caseId}`}>{d.case_number}</Link>
        </p>
        <p className="break-all">
          <strong>{t('webhooks.field.eventId')}：</strong>
          <span className="font-mono text-sm" data-testid="event-id">
            {d.eventId}
          </span>
        </p>
        <p>
          <strong>{t('webhooks.field.created')}：</strong>
          {t.dateTime(d.createdAt)}
        </p>
        <p>
          <strong>{t('webhooks.field.attempts')}：</strong>
          {t.number(d.attemptCount)}
        </p>
        {d.deliveredAt ? (
          <p>
            <strong>{t('webhooks.field.deliveredAt')}：</strong>
            {t.dateTime(d.deliveredAt)}
          </p>
        ) : null}
        {d.status === 'pending' && d.nextAttemptAt ? (
          <p>
            <strong>{t('webhooks.field.nextAttempt')}：</strong>
            {t.dateTime(d.nextAttemptAt)}
          </p>
        ) : null}
      </section>
      {canReplay ? <p className="mb-4 text-sm text-slate-700">{t('webhooks.replay.help')}</p> : null}

      <section className="card mb-4" aria-labelledby="attempts-heading">
        <h2 id="attempts-heading" className="text-lg">
          {t('webhooks.attempts.title')}
        </h2>
        <RecordTable
          caption={t('webhooks.attempts.title')}
          columns={columns}
          rows={attempts}
          rowKey={(a) => a.id}
          empty={t('webhooks.attempts.none')}
          testId="attempts"
          rowTestId="attempt"
        />
      </section>

      {siblings.length > 1 ? (
        <section className="card mb-4" aria-labelledby="siblings-heading">
          <h2 id="siblings-heading" className="text-lg">
            {t('webhooks.siblings.title')}
          </h2>
          <ul className="mt-2 grid gap-1">
            {siblings.map((s) => (
              <li key={s.id}>
                {s.id === d.id ? (
                  <strong>{t.dateTime(s.created_at)}</strong>
                ) : (
                  <Link to={`/admin/webhooks/${s.id}`}>{t.dateTime(s.created_at)}</Link>
                )}{' '}
                · {t(deliveryKindLabel(s.kind))} · <StatusBadge status={s.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" aria-labelledby="body-heading">
        <h2 id="body-heading" className="text-lg">
          {t('webhooks.body.title')}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('webhooks.body.help')}</p>
        <pre className="mt-2 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 text-xs" data-testid="event-body">
          {body}
        </pre>
      </section>
    </>
  )
}
