/**
 * Account administration forms. Each lists exactly the fields it accepts (zod drops anything
 * else), so a form can never set what it does not show: status, version and the user id come
 * from the page's own intents and the URL, and scope only from the grant fields checked here.
 */
import { ID_PATTERN } from '#app/lib/ids.ts'
import { fields, z } from '#app/lib/validation.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import type { Role } from '#db/schema.ts'
import { missingScope, normaliseGrant } from './grant-rules.ts'
import { USERNAME_PATTERN } from './usernames.ts'

const role = z.enum(ROLES as [Role, ...Role[]])
const id = () => z.string().trim().regex(ID_PATTERN)
const regionCode = z
  .string()
  .trim()
  .regex(/^\d{6,12}$/)

export const usernameField = () => z.string().trim().toLowerCase().min(1).regex(USERNAME_PATTERN, 'validation.username')

/** One role grant: role plus the region or organisation it needs; other scope is dropped. */
export const grantSchema = z
  .object({ role, regionCode: regionCode.optional(), orgId: id().optional() })
  .superRefine((grant, ctx) => {
    const missing = missingScope(grant)
    if (missing) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing.field], message: missing.message })
  })
  .transform(normaliseGrant)

export const MAX_GRANTS = 10

export const createUserSchema = z.object({
  username: usernameField(),
  displayName: fields.text(64),
  personId: id().optional(),
  grants: z.array(grantSchema).min(1, 'users.grant.atLeastOne').max(MAX_GRANTS),
})

export const updateProfileSchema = z.object({
  intent: z.literal('update-profile'),
  displayName: fields.text(64),
  personId: id().optional(),
  version: fields.version(),
})

export const addGrantSchema = z.object({ intent: z.literal('add-grant'), grant: grantSchema })

export const removeGrantSchema = z.object({ intent: z.literal('remove-grant'), grantId: id() })

export const setStatusSchema = z.object({ intent: z.enum(['disable', 'enable']), version: fields.version() })

export const USER_STATUSES = ['active', 'disabled'] as const
