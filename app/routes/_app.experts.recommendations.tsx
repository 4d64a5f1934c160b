import { type SubmissionResult, getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextareaField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission } from '#app/modules/auth/authz.server.ts'
import { tierLabel } from '#app/modules/experts/labels.ts'
import { decideRecommendation } from '#app/modules/experts/lifecycle.server.ts'
import { type InboxRow, listRecommendationInbox } from '#app/modules/experts/queries.server.ts'
import { decideRecommendationSchema } from '#app/modules/experts/schemas.ts'
import { expertBodyScope } from '#app/modules/experts/scope.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'experts.inbox.title')

/** Recommendations addressed to the user's body (择优推荐), to accept or decline. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'expert:recommend')
  return { rows: await listRecommendationInbox(getDb(), expertBodyScope(user, 'expert:recommend')) }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'expert:recommend')
  const submission = parseWithZod(await request.formData(), { schema: decideRecommendationSchema })
  const id = submission.payload.recommendationId
  if (submission.status !== 'success') return data({ id, result: submission.reply() }, { status: 400 })
  const db = getDb()
  const outcome = await decideRecommendation(db, request, user, submission.value)
  if (outcome === 'notFound') {
    await audit(db, request, actorOf(user), {
      action: 'authz.out_of_scope',
      recordType: 'expert_recommendation',
      recordId: submission.value.recommendationId,
      result: 'denied',
      detail: { permission: 'expert:recommend' },
    })
    notFound()
  }
  if (!outcome.ok) {
    return data({ id, result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }) }, { status: 400 })
  }
  const accepted = submission.value.intent === 'accept'
  return redirectWithFlash(accepted ? `/experts/${outcome.value.expertId}` : '/experts/recommendations', {
    kind: 'success',
    message: accepted ? 'experts.recommend.accepted' : 'experts.recommend.declined',
  })
}

function Decision({ row, lastResult }: { row: InboxRow; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: `decide-${row.id}`,
    lastResult,
    defaultValue: { reason: '' },
    constraint: getZodConstraint(decideRecommendationSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <li className="card space-y-3" data-testid="recommendation">
      <div>
        <p className="text-lg font-semibold">
          <Link to={`/experts/${row.expertId}`}>{row.expertName}</Link>
        </p>
        <p className="text-slate-700">
          {t('experts.recommend.from', {
            tier: `${t(tierLabel(row.fromTier))}${row.fromRegionName ? `（${row.fromRegionName}）` : ''}`,
            to: `${t(tierLabel(row.toTier))}${row.toRegionName ? `（${row.toRegionName}）` : ''}`,
          })}
        </p>
        <p className="text-sm text-slate-600">
          {t.dateTime(row.recommendedAt)}
          {row.recommendedByName ? ` · ${t('experts.recommend.by', { name: row.recommendedByName })}` : ''}
        </p>
        <p className="mt-2 whitespace-pre-line">{row.reason}</p>
      </div>
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="recommendationId" value={row.id} />
        <input type="hidden" name="version" value={row.version} />
        <TextareaField meta={fields.reason} label={t('experts.recommend.decisionReason')} rows={2} />
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="accept" className="btn-primary" disabled={navigation.state === 'submitting'}>
            {t('experts.recommend.accept')}
          </button>
          <button type="submit" name="intent" value="decline" className="btn-danger" disabled={navigation.state === 'submitting'}>
            {t('experts.recommend.decline')}
          </button>
        </div>
      </Form>
    </li>
  )
}

export default function RecommendationInbox() {
  const t = useT()
  const { rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={t('experts.inbox.title')}
        crumbs={[{ label: t('experts.title'), to: '/experts' }, { label: t('experts.inbox.title') }]}
      />
      {rows.length === 0 ? (
        <p className="card text-slate-600">{t('experts.inbox.empty')}</p>
      ) : (
        <ul className="space-y-4">
          {rows.map((row) => (
            <Decision key={row.id} row={row} lastResult={actionData?.id === row.id ? actionData.result : undefined} />
          ))}
        </ul>
      )}
    </>
  )
}
