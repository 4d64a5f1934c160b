/**
 * The fields of a partner client, shared by the registration and edit forms.
 */
import type { FieldMetadata } from '@conform-to/react'
import { useT } from '#app/components/i18n.tsx'
import { SelectField, TextField } from '#app/components/ui/form.tsx'
import { CheckboxGroup } from '#app/modules/experts/ui/fields.tsx'
import { API_SCOPES, CLIENT_KINDS } from '../model.ts'

interface ClientFieldSet {
  name: FieldMetadata<unknown>
  kind: FieldMetadata<unknown>
  regionCode: FieldMetadata<unknown>
  scopes: FieldMetadata<unknown>
  rateLimitPerMinute: FieldMetadata<unknown>
  webhookUrl: FieldMetadata<unknown>
}

export function ClientFields({ fields, regions }: { fields: ClientFieldSet; regions: { value: string; label: string }[] }) {
  const t = useT()
  return (
    <>
      <TextField meta={fields.name} label={t('api.field.name')} hint={t('api.field.nameHint')} autoComplete="off" required />
      <SelectField
        meta={fields.kind}
        label={t('api.field.kind')}
        required
        placeholder=""
        options={CLIENT_KINDS.map((kind) => ({ value: kind, label: t(`api.kind.${kind}`) }))}
      />
      <SelectField
        meta={fields.regionCode}
        label={t('api.field.region')}
        hint={t('api.field.regionHint')}
        required
        placeholder=""
        options={regions}
      />
      <CheckboxGroup
        meta={fields.scopes}
        label={t('api.field.scopes')}
        hint={t('api.field.scopesHint')}
        required
        options={API_SCOPES.map((scope) => ({ value: scope, label: `${t(`api.scope.${scope}`)} (${scope})` }))}
      />
      <TextField
        meta={fields.rateLimitPerMinute}
        label={t('api.field.rateLimit')}
        hint={t('api.field.rateLimitHint')}
        type="number"
        inputMode="numeric"
        required
      />
      <TextField meta={fields.webhookUrl} label={t('api.field.webhookUrl')} hint={t('api.field.webhookUrlHint')} autoComplete="off" />
    </>
  )
}
