/**
 * The role + scope fields of one grant, used by the create form (a list of grants) and the
 * "add a role" form. Without JavaScript every scope select shows; with it, only the one the
 * chosen role needs. The server decides either way (schemas.ts, users.server.ts).
 */
import type { FieldMetadata } from '@conform-to/react'
import { useT } from '#app/components/i18n.tsx'
import { SelectField } from '#app/components/ui/form.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import type { OrgKind, RegionLevel, Role } from '#db/schema.ts'
import { scopeKindOf } from './grant-rules.ts'

export interface PickerOptions {
  regions: { code: string; name: string; level: RegionLevel; path: string }[]
  organisations: { id: string; name: string; kind: OrgKind }[]
}

interface GrantShape {
  role: Role
  regionCode?: string
  orgId?: string
}

const INDENT = '\u3000'

export function GrantFields({ meta, options }: { meta: FieldMetadata<GrantShape, any, string[]>; options: PickerOptions }) {
  const t = useT()
  const { role, regionCode, orgId } = meta.getFieldset()
  const chosen = ROLES.includes(role.value as Role) ? (role.value as Role) : null
  const kind = chosen ? scopeKindOf(chosen) : null
  const top = Math.min(...options.regions.map((r) => depthOf(r.path)))
  const organisations =
    chosen === 'association_admin' ? options.organisations.filter((o) => o.kind === 'association') : options.organisations
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <SelectField
        meta={role}
        label={t('users.grant.role')}
        placeholder={t('users.grant.chooseRole')}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
        required
      />
      {kind === null || kind === 'region' ? (
        <SelectField
          meta={regionCode}
          label={t('users.grant.region')}
          hint={t('users.grant.regionHint')}
          placeholder={t('users.grant.chooseRegion')}
          options={options.regions.map((r) => ({ value: r.code, label: INDENT.repeat(depthOf(r.path) - top) + r.name }))}
          required={kind === 'region'}
        />
      ) : null}
      {kind === null || kind === 'org' ? (
        <SelectField
          meta={orgId}
          label={t('users.grant.org')}
          hint={t('users.grant.orgHint')}
          placeholder={t('users.grant.chooseOrg')}
          options={organisations.map((o) => ({ value: o.id, label: o.name }))}
          required={kind === 'org'}
        />
      ) : null}
    </div>
  )
}

function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length
}
