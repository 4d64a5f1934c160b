/**
 * The expert profile form, for admission and for editing. Works without JavaScript; with it,
 * fields are checked as they are left, with the same schema the server uses. On edit, the ID and
 * phone fields start empty (full numbers never reach the browser) and blank keeps them; tier,
 * region and term are not part of editing (they change through recommendation and renewal).
 */
import { type SubmissionResult, getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useMemo } from 'react'
import type { z } from 'zod'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField, TextareaField } from '#app/components/ui/form.tsx'
import type { ExpertTier, RegionLevel } from '#db/schema.ts'
import { contactLabel, disputeTypeName, genderLabel, professionLabel, tierLabel } from '../labels.ts'
import { CONTACT_PREFERENCES, PROFESSIONS } from '../model.ts'
import { admitExpertSchema, editExpertSchema } from '../schemas.ts'
import { CheckboxGroup, ConfirmCheckbox } from './fields.tsx'

export interface ExpertFormResult {
  result?: SubmissionResult<string[]>
  /** The expert already registered with the submitted ID number, when the user may see them. */
  duplicateOf?: { id: string; name: string } | null
  /** Set when the age limit needs an explicit confirmation. */
  ageWarning?: boolean
}

export interface ExpertFormOptions {
  disputeTypes: { code: string; nameZh: string; nameEn: string }[]
  regions: { code: string; name: string; level: RegionLevel }[]
  tiers: ExpertTier[]
  appointingOrgs: { id: string; name: string; regionCode: string }[]
  employerOrgs: { id: string; name: string }[]
}

/**
 * The version a form was loaded with stays with it after a failed save: revalidation brings the
 * newer version into the loader data, but re-sending the form must not overwrite what changed.
 */
export function postedVersion(result: SubmissionResult<string[]> | undefined): string | undefined {
  const value = result?.initialValue?.version
  return typeof value === 'string' ? value : undefined
}

export type ExpertFormDefaults = Partial<Record<keyof z.input<ReturnType<typeof admitExpertSchema>>, string | string[]>>

export function ExpertForm({
  mode,
  actionData,
  options,
  defaultValue,
  masked,
  version,
  cancelTo,
}: {
  mode: 'admit' | 'edit'
  actionData: ExpertFormResult | undefined
  options: ExpertFormOptions
  defaultValue: ExpertFormDefaults
  masked?: { idNumber: string | null; phone: string | null }
  version?: number
  cancelTo: string
}) {
  const t = useT()
  const navigation = useNavigation()
  const refs = useMemo(
    () => ({ disputeTypes: options.disputeTypes.map((d) => d.code), regions: new Map(options.regions.map((r) => [r.code, r])) }),
    [options.disputeTypes, options.regions],
  )
  // Typed as the admission schema (a superset of the edit fields) so both modes share one field set.
  const schema = useMemo(() => (mode === 'admit' ? admitExpertSchema(refs) : editExpertSchema(refs)), [mode, refs]) as ReturnType<
    typeof admitExpertSchema
  >
  const [form, fields] = useForm({
    id: `expert-${mode}`,
    lastResult: actionData?.result,
    defaultValue,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const typeOptions = options.disputeTypes.map((d) => ({ value: d.code, label: disputeTypeName(t.locale, d) }))
  const keepHint = (value: string | null | undefined) => (value ? `${value} · ${t('experts.field.keepHint')}` : t('experts.field.keepHint'))
  const duplicateOf = actionData?.duplicateOf
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-6" autoComplete="off">
      <FormErrors errors={form.errors} />
      {version !== undefined ? <input type="hidden" name="version" value={postedVersion(actionData?.result) ?? version} /> : null}
      {actionData?.ageWarning ? <ConfirmCheckbox name="confirmAge" label={t('experts.age.confirm')} /> : null}

      <fieldset className="card space-y-4">
        <legend className="px-1 text-lg font-semibold">{t('experts.section.profile')}</legend>
        <TextField meta={fields.name} label={t('experts.field.name')} required autoComplete="off" />
        <div>
          <TextField
            meta={fields.idNumber}
            label={t('experts.field.idNumber')}
            required={mode === 'admit'}
            hint={mode === 'edit' ? keepHint(masked?.idNumber) : undefined}
          />
          {duplicateOf ? (
            <p className="field-error" data-testid="duplicate-expert">
              <Link to={`/experts/${duplicateOf.id}`}>
                {t('experts.validation.duplicateLink')}：{duplicateOf.name}
              </Link>
            </p>
          ) : null}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            meta={fields.gender}
            label={t('experts.field.gender')}
            required
            placeholder={t('experts.choose')}
            options={(['male', 'female'] as const).map((g) => ({ value: g, label: t(genderLabel(g)) }))}
          />
          <TextField meta={fields.birthDate} label={t('experts.field.birthDate')} type="date" required />
        </div>
        <TextField
          meta={fields.phone}
          label={t('experts.field.phone')}
          type="tel"
          inputMode="tel"
          required={mode === 'admit'}
          hint={mode === 'edit' ? keepHint(masked?.phone) : undefined}
        />
      </fieldset>

      {mode === 'admit' ? (
        <fieldset className="card space-y-4">
          <legend className="px-1 text-lg font-semibold">{t('experts.field.term')}</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              meta={fields.tier}
              label={t('experts.field.tier')}
              required
              placeholder={t('experts.choose')}
              options={options.tiers.map((tier) => ({ value: tier, label: t(tierLabel(tier)) }))}
            />
            <SelectField
              meta={fields.regionCode}
              label={t('experts.field.region')}
              hint={options.tiers.includes('national') ? t('experts.field.regionHint') : undefined}
              required
              placeholder={t('experts.choose')}
              options={options.regions.map((r) => ({ value: r.code, label: r.name }))}
            />
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField meta={fields.termStart} label={t('experts.field.termStart')} type="date" required />
            <TextField meta={fields.termEnd} label={t('experts.field.termEnd')} type="date" required />
          </div>
        </fieldset>
      ) : null}

      <fieldset className="card space-y-4">
        <legend className="px-1 text-lg font-semibold">{t('experts.field.employer')}</legend>
        {options.appointingOrgs.length ? (
          <SelectField
            meta={fields.appointingOrgId}
            label={t('experts.field.appointingOrg')}
            placeholder={t('experts.choose')}
            options={options.appointingOrgs.map((o) => ({ value: o.id, label: o.name }))}
          />
        ) : null}
        <TextField meta={fields.employer} label={t('experts.field.employer')} required />
        {options.employerOrgs.length ? (
          <SelectField
            meta={fields.employerOrgId}
            label={t('experts.field.employerOrg')}
            placeholder={t('common.none')}
            options={options.employerOrgs.map((o) => ({ value: o.id, label: o.name }))}
          />
        ) : null}
        <TextField meta={fields.title} label={t('experts.field.title')} />
        <CheckboxGroup
          meta={fields.professions}
          label={t('experts.field.professions')}
          required
          options={PROFESSIONS.map((p) => ({ value: p, label: t(professionLabel(p)) }))}
        />
      </fieldset>

      <fieldset className="card space-y-4">
        <legend className="px-1 text-lg font-semibold">{t('experts.section.domains')}</legend>
        <CheckboxGroup meta={fields.primaryDomains} label={t('experts.field.primaryDomains')} required options={typeOptions} />
        <CheckboxGroup meta={fields.secondaryDomains} label={t('experts.field.secondaryDomains')} options={typeOptions} />
        <CheckboxGroup meta={fields.specialties} label={t('experts.field.specialties')} options={typeOptions} />
      </fieldset>

      <fieldset className="card space-y-4">
        <legend className="px-1 text-lg font-semibold">{t('experts.section.contact')}</legend>
        <TextField meta={fields.languages} label={t('experts.field.languages')} hint={t('experts.field.languagesHint')} />
        <TextareaField meta={fields.bio} label={t('experts.field.bio')} rows={4} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            meta={fields.maxConcurrentCases}
            label={t('experts.field.maxConcurrentCases')}
            type="number"
            inputMode="numeric"
            required
          />
          <SelectField
            meta={fields.contactPreference}
            label={t('experts.field.contactPreference')}
            required
            options={CONTACT_PREFERENCES.map((c) => ({ value: c, label: t(contactLabel(c)) }))}
          />
        </div>
        <TextField meta={fields.contactNote} label={t('experts.field.contactNote')} hint={t('experts.field.contactNoteHint')} />
      </fieldset>

      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {mode === 'admit' ? t('experts.action.admit') : t('form.save')}
        </button>
        <Link to={cancelTo} className="btn-secondary">
          {t('form.cancel')}
        </Link>
      </div>
    </Form>
  )
}
