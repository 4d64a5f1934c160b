/** The organisation form, shared by the create and edit pages. Works without JavaScript. */
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import type { RegionOption } from '#app/modules/regions/regions.server.ts'
import { ORG_KINDS, ORG_STATUSES, orgKindLabel, orgStatusLabel } from './labels.ts'
import { orgCreateSchema, orgEditSchema } from './schemas.ts'

/** What the edit page pre-fills (strings, as the form posts them). */
export type OrgFormValues = Partial<Record<keyof z.input<typeof orgEditSchema>, string>>

export interface OrgFormProps {
  mode: 'create' | 'edit'
  lastResult: SubmissionResult<string[]> | null | undefined
  options: {
    regions: RegionOption[]
    sectors: { code: string; nameZh: string; nameEn: string }[]
    parents: { value: string; label: string }[]
  }
  defaultValue?: OrgFormValues
  version?: number
  cancelTo: string
}

/** Indents each region under its parent in a native select. */
export function regionOptionLabel(region: RegionOption): string {
  return `${'\u00a0\u00a0'.repeat(region.depth)}${region.name}`
}

export function OrgForm({ mode, lastResult, options, defaultValue, version, cancelTo }: OrgFormProps) {
  const t = useT()
  const navigation = useNavigation()
  // Typed as the edit schema (a superset of the create fields) so both modes share one field set.
  const schema = (mode === 'create' ? orgCreateSchema : orgEditSchema) as typeof orgEditSchema
  const [form, fields] = useForm({
    id: `org-${mode}`,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-4">
      <FormErrors errors={form.errors} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <TextField meta={fields.name} label={t('orgs.field.name')} required />
      <SelectField
        meta={fields.kind}
        label={t('orgs.field.kind')}
        required
        placeholder={t('orgs.form.choose')}
        options={ORG_KINDS.map((k) => ({ value: k, label: t(orgKindLabel(k)) }))}
      />
      <SelectField
        meta={fields.sectorCode}
        label={t('orgs.field.sector')}
        hint={t('orgs.hint.sector')}
        placeholder={t('orgs.form.none')}
        options={options.sectors.map((s) => ({ value: s.code, label: t.locale === 'en' ? s.nameEn : s.nameZh }))}
      />
      <SelectField
        meta={fields.regionCode}
        label={t('orgs.field.region')}
        required
        placeholder={t('orgs.form.choose')}
        options={options.regions.map((r) => ({ value: r.code, label: regionOptionLabel(r) }))}
      />
      <SelectField meta={fields.parentId} label={t('orgs.field.parent')} placeholder={t('orgs.form.none')} options={options.parents} />
      <TextField meta={fields.address} label={t('orgs.field.address')} />
      <TextField
        meta={fields.contactPhone}
        label={t('orgs.field.contactPhone')}
        hint={t('orgs.hint.contactPhone')}
        type="tel"
        inputMode="tel"
      />
      {mode === 'edit' ? (
        <SelectField
          meta={fields.status}
          label={t('orgs.field.status')}
          required
          options={ORG_STATUSES.map((s) => ({ value: s, label: t(orgStatusLabel(s)) }))}
        />
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('form.save')}
        </button>
        <Link to={cancelTo} className="btn-secondary">
          {t('form.cancel')}
        </Link>
      </div>
    </Form>
  )
}
