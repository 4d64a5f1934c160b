import { isId } from '#app/lib/ids.ts'
import { fields, z } from '#app/lib/validation.ts'
import { REGION_CODE } from './filters.ts'
import { ORG_KINDS, ORG_STATUSES } from './labels.ts'

/** The fields a user may set; status only on edit; version is only compared, never written from the form. */
const orgFields = {
  name: fields.text(128),
  kind: z.enum(ORG_KINDS),
  sectorCode: fields.optionalText(32),
  regionCode: z.string().regex(REGION_CODE, 'validation.choice'),
  parentId: z.string().refine(isId, 'validation.choice').optional(),
  address: fields.optionalText(255),
  contactPhone: z
    .string()
    .trim()
    .max(32)
    .regex(/^[\d\s()+-]*$/, 'orgs.error.phoneFormat')
    .optional(),
}

type OrgFieldValues = { kind: string; sectorCode?: string }

function sectorWhenNeeded(value: OrgFieldValues, ctx: z.RefinementCtx) {
  if (value.kind === 'committee_sector' && !value.sectorCode) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sectorCode'], message: 'orgs.error.sectorRequired' })
  }
}

export const orgCreateSchema = z.object(orgFields).superRefine(sectorWhenNeeded)

export const orgEditSchema = z
  .object({ ...orgFields, status: z.enum(ORG_STATUSES), version: fields.version() })
  .superRefine(sectorWhenNeeded)

export type OrgCreateInput = z.infer<typeof orgCreateSchema>
export type OrgEditInput = z.infer<typeof orgEditSchema>
