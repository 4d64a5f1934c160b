import type { FieldMetadata } from '@conform-to/react'
import { useT } from '#app/components/i18n.tsx'
import { SelectField, TextField } from '#app/components/ui/form.tsx'
import { formatLabel, kindLabel } from './labels.ts'
import { ORGANISER_LEVELS, SESSION_FORMATS, SESSION_KINDS } from './session-schemas.ts'

type SessionFieldName =
  | 'title'
  | 'kind'
  | 'format'
  | 'organiser'
  | 'organiserLevel'
  | 'hours'
  | 'startDate'
  | 'endDate'
  | 'trainer'
  | 'location'

/**
 * The fields of an offline training session, shared by the new-session and edit forms. The region
 * is chosen only when a session is created (`regions`); an edit keeps the session's region.
 */
export function SessionFields({
  fields,
  regions,
}: {
  fields: Record<SessionFieldName, FieldMetadata<unknown>> & { regionCode?: FieldMetadata<unknown> }
  regions?: { value: string; label: string }[]
}) {
  const t = useT()
  return (
    <>
      <TextField meta={fields.title} label={t('training.session.title')} required className="md:col-span-2" />
      <SelectField
        meta={fields.kind}
        label={t('training.archive.kind')}
        required
        options={SESSION_KINDS.map((k) => ({ value: k, label: t(kindLabel(k)) }))}
      />
      <SelectField
        meta={fields.format}
        label={t('training.session.format')}
        required
        options={SESSION_FORMATS.map((f) => ({ value: f, label: t(formatLabel(f)) }))}
      />
      <TextField meta={fields.organiser} label={t('training.session.organiser')} required />
      <SelectField
        meta={fields.organiserLevel}
        label={t('training.session.organiserLevel')}
        required
        options={ORGANISER_LEVELS.map((l) => ({ value: l, label: t(`training.level.${l}`) }))}
      />
      {fields.regionCode && regions ? (
        <SelectField meta={fields.regionCode} label={t('common.region')} required options={regions} placeholder="" />
      ) : null}
      <TextField meta={fields.hours} label={t('training.archive.hours')} type="number" inputMode="numeric" required />
      <TextField meta={fields.startDate} label={t('training.session.startDate')} type="date" required />
      <TextField meta={fields.endDate} label={t('training.session.endDate')} type="date" required />
      <TextField meta={fields.trainer} label={t('training.session.trainer')} />
      <TextField meta={fields.location} label={t('training.session.location')} />
    </>
  )
}
