import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { deletePlan, getPlan, updatePlan } from '#app/modules/training/compliance.server.ts'
import { fromTenths } from '#app/modules/training/rules.ts'
import { planEditSchema } from '#app/modules/training/session-schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.plan.edit')

async function planFor(request: Request, planId: string | undefined) {
  const user = await requirePermission(request, 'training:manage')
  if (!isId(planId)) notFound()
  const plan = await getPlan(getDb(), planId)
  if (!plan) notFound()
  await requireRecordAccess(request, user, 'training:manage', {
    type: 'training_plan',
    id: plan.id,
    regionPath: plan.regionPath,
    orgId: plan.orgId,
  })
  return { user, plan }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { plan } = await planFor(request, params.planId)
  return {
    plan: {
      id: plan.id,
      year: plan.year,
      scopeName: plan.orgName ?? plan.regionName,
      fullTime: fromTenths(plan.fullTimeTenths),
      partTime: fromTenths(plan.partTimeTenths),
      sector: fromTenths(plan.sectorTenths),
      preServiceMonths: plan.preServiceMonths,
      version: plan.version,
    },
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, plan } = await planFor(request, params.planId)
  const form = await request.formData()
  const db = getDb()
  const before = {
    fullTimeHours: fromTenths(plan.fullTimeTenths),
    partTimeHours: fromTenths(plan.partTimeTenths),
    sectorHours: fromTenths(plan.sectorTenths),
    preServiceMonths: plan.preServiceMonths,
  }
  if (form.get('intent') === 'delete') {
    const version = Number(form.get('version'))
    const outcome = await db.transaction().execute(async (trx) => {
      const result = await deletePlan(trx, plan.id, Number.isInteger(version) ? version : -1)
      if (result === 'deleted') {
        await audit(trx, request, actorOf(user), {
          action: 'training.plan_deleted',
          recordType: 'training_plan',
          recordId: plan.id,
          detail: { year: plan.year, before },
        })
      }
      return result
    })
    if (outcome === 'stale') return redirectWithFlash(`/training/plans/${plan.id}`, { kind: 'error', message: 'form.staleVersion' })
    return redirectWithFlash('/training/plans', { kind: 'success', message: 'training.plan.deleted' })
  }
  const submission = parseWithZod(form, { schema: planEditSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const { intent: _intent, version, ...after } = submission.value
  const outcome = await db.transaction().execute(async (trx) => {
    const result = await updatePlan(trx, plan.id, after, version)
    if (result === 'saved') {
      await audit(trx, request, actorOf(user), {
        action: 'training.plan_updated',
        recordType: 'training_plan',
        recordId: plan.id,
        detail: { year: plan.year, before, after },
      })
    }
    return result
  })
  if (outcome === 'stale') return data(submission.reply({ formErrors: ['form.staleVersion'] }), { status: 409 })
  return redirectWithFlash('/training/plans', { kind: 'success', message: 'training.plan.saved' })
}

export default function EditTrainingPlan() {
  const t = useT()
  const { plan } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'training-plan-edit',
    lastResult,
    constraint: getZodConstraint(planEditSchema),
    defaultValue: {
      fullTimeHours: String(plan.fullTime),
      partTimeHours: String(plan.partTime),
      sectorHours: String(plan.sector),
      preServiceMonths: String(plan.preServiceMonths),
      version: String(plan.version),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: planEditSchema }),
    shouldRevalidate: 'onBlur',
  })
  const title = t('training.plan.editOf', { year: plan.year, scope: plan.scopeName })
  return (
    <>
      <PageHeader title={title} crumbs={[{ label: t('training.plan.title'), to: '/training/plans' }, { label: title }]} />
      <Form method="post" {...getFormProps(form)} className="card mb-4 grid gap-4 md:grid-cols-2">
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name={fields.version.name} value={fields.version.initialValue ?? String(plan.version)} />
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        <TextField
          meta={fields.fullTimeHours}
          label={t('training.plan.hoursFor', { who: t('training.audience.full_time') })}
          type="number"
          required
        />
        <TextField
          meta={fields.partTimeHours}
          label={t('training.plan.hoursFor', { who: t('training.audience.part_time') })}
          type="number"
          required
        />
        <TextField
          meta={fields.sectorHours}
          label={t('training.plan.hoursFor', { who: t('training.audience.sector') })}
          type="number"
          required
        />
        <TextField meta={fields.preServiceMonths} label={t('training.plan.preServiceMonths')} type="number" inputMode="numeric" required />
        <div className="flex gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
          <Link to="/training/plans" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
      <Form method="post" className="card">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="version" value={plan.version} />
        <p className="mb-2 text-slate-700">{t('training.plan.deleteHint')}</p>
        <button type="submit" className="btn-danger">
          {t('training.plan.delete')}
        </button>
      </Form>
    </>
  )
}
