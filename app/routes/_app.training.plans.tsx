import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, may, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { regionPathOf, regionsInScope } from '#app/modules/regions/regions.server.ts'
import { createPlan, listPlans } from '#app/modules/training/compliance.server.ts'
import { fromTenths } from '#app/modules/training/rules.ts'
import { planSchema } from '#app/modules/training/session-schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'training.plan.title')

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const scope = scopeFor(user, 'training:manage')
  const db = getDb()
  const [plans, regions] = await Promise.all([listPlans(db, scope), regionsInScope(db, scope)])
  return {
    plans: plans.map((p) => ({
      id: p.id,
      year: p.year,
      scopeName: p.orgName ?? p.regionName,
      fullTime: fromTenths(p.fullTimeTenths),
      partTime: fromTenths(p.partTimeTenths),
      sector: fromTenths(p.sectorTenths),
      preServiceMonths: p.preServiceMonths,
    })),
    regions: regions.map((r) => ({ value: r.code, label: `${'　'.repeat(r.depth)}${r.name}` })),
    thisYear: Number(todayInChina().slice(0, 4)),
  }
}

/** A region's plan (bureau staff, associations) or, for an organisation manager, their organisation's. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'training:manage')
  const submission = parseWithZod(await request.formData(), { schema: planSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const regionPath = await regionPathOf(db, submission.value.regionCode)
  const orgGrant = user.grants.find((g) => g.role === 'org_manager' && g.regionCode === submission.value.regionCode)
  const orgId = may(user, 'training:manage', { regionPath }) ? null : (orgGrant?.orgId ?? null)
  if (!regionPath || !may(user, 'training:manage', { regionPath, orgId })) {
    return data(submission.reply({ fieldErrors: { regionCode: ['validation.choice'] } }), { status: 400 })
  }
  const id = await createPlan(db, submission.value, orgId, user.userId)
  if (!id) return data(submission.reply({ fieldErrors: { year: ['training.plan.exists'] } }), { status: 400 })
  await audit(db, request, actorOf(user), {
    action: 'training.plan_created',
    recordType: 'training_plan',
    recordId: id,
    detail: submission.value,
  })
  return redirectWithFlash('/training/plans', { kind: 'success', message: 'training.plan.created' })
}

export default function TrainingPlans() {
  const t = useT()
  const { plans, regions, thisYear } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'training-plan',
    lastResult,
    constraint: getZodConstraint(planSchema),
    defaultValue: { year: String(thisYear), preServiceMonths: '3' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: planSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader title={t('training.plan.title')} crumbs={[{ label: t('training.plan.title') }]} />
      <section className="card mb-4 overflow-x-auto">
        {plans.length === 0 ? <p>{t('training.plan.empty')}</p> : null}
        {plans.length ? (
          <table className="w-full text-left text-sm" data-testid="plans">
            <thead>
              <tr>
                <th className="py-1 pr-2">{t('training.archive.year')}</th>
                <th className="py-1 pr-2">{t('training.plan.scope')}</th>
                <th className="py-1 pr-2">{t('training.audience.full_time')}</th>
                <th className="py-1 pr-2">{t('training.audience.part_time')}</th>
                <th className="py-1 pr-2">{t('training.audience.sector')}</th>
                <th className="py-1">{t('training.plan.preServiceMonths')}</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id} className="border-t border-slate-200">
                  <td className="py-1 pr-2">{p.year}</td>
                  <td className="py-1 pr-2">
                    <Link to={`/training/plans/${p.id}`}>{p.scopeName}</Link>
                  </td>
                  <td className="py-1 pr-2">{p.fullTime}</td>
                  <td className="py-1 pr-2">{p.partTime}</td>
                  <td className="py-1 pr-2">{p.sector}</td>
                  <td className="py-1">{p.preServiceMonths}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="card">
        <h2 className="mb-3 text-lg">{t('training.plan.new')}</h2>
        <Form method="post" {...getFormProps(form)} className="grid gap-4 md:grid-cols-3">
          <div className="md:col-span-3">
            <FormErrors errors={form.errors} />
          </div>
          <TextField meta={fields.year} label={t('training.archive.year')} type="number" inputMode="numeric" required />
          <SelectField
            meta={fields.regionCode}
            label={t('common.region')}
            required
            options={regions}
            placeholder=""
            className="md:col-span-2"
          />
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
          <TextField
            meta={fields.preServiceMonths}
            label={t('training.plan.preServiceMonths')}
            type="number"
            inputMode="numeric"
            required
          />
          <div className="md:col-span-3">
            <button type="submit" className="btn-primary">
              {t('form.save')}
            </button>
          </div>
        </Form>
      </section>
    </>
  )
}
