import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField, TextareaField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, may, requirePermission, scopeFor } from '#app/modules/auth/authz.server.ts'
import { createCase, orgChoices } from '#app/modules/cases/cases.server.ts'
import { CASE_DIFFICULTIES, CASE_SOURCES, CONSULTATION_MODES, difficultyLabel, modeLabel, sourceLabel } from '#app/modules/cases/model.ts'
import { type CaseInput, caseSchema } from '#app/modules/cases/schemas.ts'
import { disputeTypeOptions } from '#app/modules/experts/queries.server.ts'
import { PROFESSIONS } from '#app/modules/experts/model.ts'
import { MATCH_TIERS } from '#app/modules/matching/types.ts'
import { regionPathOf, regionsInScope } from '#app/modules/regions/regions.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'cases.new.title')

const PARTY_ROWS = 4

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'case:manage')
  const db = getDb()
  const scope = scopeFor(user, 'case:manage')
  const [regions, orgs, types] = await Promise.all([regionsInScope(db, scope), orgChoices(db, scope), disputeTypeOptions(db)])
  return {
    regions: regions
      .filter((r) => r.level === 'district' || r.level === 'city' || r.level === 'province' || r.level === 'township')
      .map((r) => ({ value: r.code, label: `${'　'.repeat(r.depth)}${r.name}` })),
    orgs: orgs.map((o) => ({ value: o.id, label: o.name })),
    types,
    today: todayInChina(),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'case:manage')
  const submission = parseWithZod(await request.formData(), { schema: caseSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const db = getDb()
  const input = submission.value
  const [regionPath, org, type] = await Promise.all([
    regionPathOf(db, input.regionCode),
    db
      .selectFrom('organisations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['o.id', 'r.path'])
      .where('o.id', '=', input.orgId)
      .executeTakeFirst(),
    db.selectFrom('dispute_types').select('code').where('code', '=', input.disputeType).executeTakeFirst(),
  ])
  if (!type) return data(submission.reply({ fieldErrors: { disputeType: ['cases.form.unknownType'] } }), { status: 400 })
  if (!org || !may(user, 'case:manage', { regionPath: org.path, orgId: org.id })) {
    return data(submission.reply({ fieldErrors: { orgId: ['cases.form.orgOutOfScope'] } }), { status: 400 })
  }
  if (!regionPath || !may(user, 'case:manage', { regionPath, orgId: org.id })) {
    return data(submission.reply({ fieldErrors: { regionCode: ['validation.choice'] } }), { status: 400 })
  }
  const created = await createCase(db, input, user.userId)
  await audit(db, request, actorOf(user), {
    action: 'case.created',
    recordType: 'case',
    recordId: created.id,
    detail: { caseNumber: created.caseNumber, title: input.title, parties: input.parties.length },
  })
  return redirectWithFlash(`/cases/${created.id}`, { kind: 'success', message: 'cases.created', params: { number: created.caseNumber } })
}

export default function NewCase() {
  const t = useT()
  const { regions, orgs, types, today } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm<CaseInput>({
    id: 'case-intake',
    lastResult,
    constraint: getZodConstraint(caseSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: caseSchema }),
    shouldRevalidate: 'onBlur',
    defaultValue: {
      source: 'party',
      difficulty: 'complex',
      consultationMode: 'written',
      expertsNeeded: '1',
      partyCount: '2',
      periodStart: today,
      parties: Array.from({ length: PARTY_ROWS }, (_, i) => ({ kind: i < 2 ? 'person' : 'organisation' })),
    } as never,
  })
  const parties = fields.parties.getFieldList()
  const typeOptions = types.map((d) => ({ value: d.code, label: t.locale === 'en' ? d.nameEn : d.nameZh }))
  return (
    <>
      <PageHeader title={t('cases.new.title')} crumbs={[{ label: t('cases.list.title'), to: '/cases' }, { label: t('cases.new.title') }]} />
      <Form method="post" {...getFormProps(form)} className="card grid gap-4 md:grid-cols-2">
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        <TextField meta={fields.title} label={t('cases.field.title')} required className="md:col-span-2" />
        <TextareaField meta={fields.summary} label={t('cases.field.summary')} required className="md:col-span-2" />
        <SelectField meta={fields.disputeType} label={t('cases.field.disputeType')} required options={typeOptions} placeholder="" />
        <div>
          <label className="label" htmlFor={fields.domains.id}>
            {t('cases.field.domains')}
          </label>
          <select {...getSelectProps(fields.domains)} multiple className="input h-24">
            {typeOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <SelectField meta={fields.regionCode} label={t('cases.field.region')} required options={regions} placeholder="" />
        <SelectField meta={fields.orgId} label={t('cases.field.org')} required options={orgs} placeholder="" />
        <SelectField
          meta={fields.source}
          label={t('cases.field.source')}
          required
          options={CASE_SOURCES.map((s) => ({ value: s, label: t(sourceLabel(s)) }))}
        />
        <SelectField
          meta={fields.difficulty}
          label={t('cases.field.difficulty')}
          required
          options={CASE_DIFFICULTIES.map((s) => ({ value: s, label: t(difficultyLabel(s)) }))}
        />
        <TextField meta={fields.amountYuan} label={t('cases.field.amount')} type="number" inputMode="numeric" />
        <TextField meta={fields.partyCount} label={t('cases.field.partyCount')} type="number" inputMode="numeric" required />
        <fieldset className="grid gap-2 md:col-span-2">
          <legend className="label">{t('cases.field.parties')}</legend>
          {parties.map((party, i) => {
            const p = party.getFieldset()
            return (
              <div key={party.key} className="grid gap-2 sm:grid-cols-[8rem_1fr_1fr]">
                <select {...getSelectProps(p.kind)} className="input" aria-label={`${t('cases.field.partyKind')} ${i + 1}`}>
                  <option value="person">{t('cases.party.person')}</option>
                  <option value="organisation">{t('cases.party.organisation')}</option>
                </select>
                <input
                  {...getInputProps(p.name, { type: 'text' })}
                  className="input"
                  aria-label={`${t('cases.field.partyName')} ${i + 1}`}
                  placeholder={t('cases.field.partyName')}
                />
                <div>
                  <input
                    {...getInputProps(p.idNumber, { type: 'text' })}
                    className="input"
                    aria-label={`${t('cases.field.partyId')} ${i + 1}`}
                    placeholder={t('cases.field.partyId')}
                    autoComplete="off"
                  />
                  {p.idNumber.errors?.length ? (
                    <p className="text-sm text-red-700">{p.idNumber.errors.map((e: string) => t.ref(e)).join(' ')}</p>
                  ) : null}
                </div>
              </div>
            )
          })}
          {fields.parties.errors?.length ? (
            <p className="text-sm text-red-700">{fields.parties.errors.map((e: string) => t.ref(e)).join(' ')}</p>
          ) : null}
        </fieldset>
        <TextField meta={fields.expertsNeeded} label={t('cases.field.expertsNeeded')} type="number" inputMode="numeric" required />
        <SelectField
          meta={fields.consultationMode}
          label={t('cases.field.mode')}
          required
          options={CONSULTATION_MODES.map((m) => ({ value: m, label: t(modeLabel(m)) }))}
        />
        <SelectField
          meta={fields.requiredProfession}
          label={t('cases.field.requiredProfession')}
          options={PROFESSIONS.map((p) => ({ value: p, label: t(`experts.profession.${p}`) }))}
          placeholder={t('cases.field.none')}
        />
        <SelectField
          meta={fields.minTier}
          label={t('cases.field.minTier')}
          options={MATCH_TIERS.map((p) => ({ value: p, label: t(`experts.tier.${p}`) }))}
          placeholder={t('cases.field.none')}
        />
        <label className="flex items-center gap-2 md:col-span-2">
          <input {...getInputProps(fields.requiresOutsideRegion, { type: 'checkbox' })} />
          <span>{t('cases.field.outsideRegion')}</span>
        </label>
        <TextField meta={fields.periodStart} label={t('cases.field.periodStart')} type="date" required />
        <TextField meta={fields.periodEnd} label={t('cases.field.periodEnd')} type="date" required />
        <TextField meta={fields.deadline} label={t('cases.field.deadline')} type="date" required />
        <div className="flex gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
          <Link to="/cases" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
