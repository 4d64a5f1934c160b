/**
 * A small world for scope and personal-data tests: committees in Haidian and Chaoyang, a Haidian
 * association, mediators in each, and one signed-in user per role (cookies from real sessions).
 * Also a caller that runs a loader or action with a real Request and reports what came back,
 * whether returned or thrown, so tests can assert statuses and inspect the serialized data.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { startSession } from '#app/modules/auth/session.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import {
  type BuiltPerson,
  type GrantInput,
  createMediator,
  createOrganisation,
  createUser,
  seedReferenceData,
} from '#tests/fixtures/factories.ts'
import { makeRequest, type RequestOptions } from '#tests/fixtures/request.ts'

export const HAIDIAN = '110108'
export const CHAOYANG = '110105'
export const BEIJING = '110000'

export type WorldUser =
  | 'admin'
  | 'securityAdmin'
  | 'auditor'
  | 'bjStaff'
  | 'hdStaff'
  | 'cyStaff'
  | 'hdAssoc'
  | 'hdManager'
  | 'mediator'
  | 'expert'
  | 'reviewer'
  | 'noGrants'

export interface World {
  orgs: { hdCommittee: string; hdCommittee2: string; cyCommittee: string; hdAssociation: string }
  /** People with their plain numbers (only tests see these). */
  people: { hdMediator: BuiltPerson; hdMediator2: BuiltPerson; hdOther: BuiltPerson; cyMediator: BuiltPerson }
  users: Record<WorldUser, { id: string; cookie: string }>
}

async function mediatorIn(db: Executor, orgId: string, regionCode: string, employment: 'full_time' | 'part_time' = 'part_time') {
  const created = await createMediator(db, { org_id: orgId, employment, person: { region_code: regionCode } })
  return created.person!
}

/** Signs a user in the way the app does and returns the `Cookie` header value. */
export async function cookieFor(userId: string): Promise<string> {
  const setCookie = await startSession(makeRequest('/login', { method: 'POST' }), userId)
  return setCookie.split(';')[0]!
}

export async function buildWorld(db: Executor): Promise<World> {
  await seedReferenceData(db)
  const hdCommittee = (await createOrganisation(db, { name: '海淀测试调委会', region_code: HAIDIAN })).id
  const hdCommittee2 = (await createOrganisation(db, { name: '海淀第二调委会', region_code: HAIDIAN })).id
  const cyCommittee = (await createOrganisation(db, { name: '朝阳测试调委会', region_code: CHAOYANG })).id
  const hdAssociation = (await createOrganisation(db, { name: '海淀区人民调解协会', kind: 'association', region_code: HAIDIAN })).id
  const hdMediator = await mediatorIn(db, hdCommittee, HAIDIAN, 'full_time')
  const hdMediator2 = await mediatorIn(db, hdCommittee, HAIDIAN)
  const hdOther = await mediatorIn(db, hdCommittee2, HAIDIAN)
  const cyMediator = await mediatorIn(db, cyCommittee, CHAOYANG)

  const grants: Record<WorldUser, { roles: GrantInput[]; personId?: string }> = {
    admin: { roles: [{ role: 'admin' }] },
    securityAdmin: { roles: [{ role: 'security_admin' }] },
    auditor: { roles: [{ role: 'auditor' }] },
    bjStaff: { roles: [{ role: 'bureau_staff', regionCode: BEIJING }] },
    hdStaff: { roles: [{ role: 'bureau_staff', regionCode: HAIDIAN }] },
    cyStaff: { roles: [{ role: 'bureau_staff', regionCode: CHAOYANG }] },
    hdAssoc: { roles: [{ role: 'association_admin', orgId: hdAssociation }] },
    hdManager: { roles: [{ role: 'org_manager', orgId: hdCommittee }] },
    mediator: { roles: [{ role: 'mediator' }], personId: hdMediator.id },
    expert: { roles: [{ role: 'expert' }] },
    reviewer: { roles: [{ role: 'reviewer', regionCode: HAIDIAN }] },
    noGrants: { roles: [] },
  }
  const users = {} as World['users']
  for (const [name, g] of Object.entries(grants) as [WorldUser, (typeof grants)[WorldUser]][]) {
    const { user } = await createUser(db, { username: `t.${name.toLowerCase()}`, roles: g.roles, personId: g.personId ?? null })
    users[name] = { id: user.id, cookie: await cookieFor(user.id) }
  }
  return {
    orgs: { hdCommittee, hdCommittee2, cyCommittee, hdAssociation },
    people: { hdMediator, hdMediator2, hdOther, cyMediator },
    users,
  }
}

export interface Outcome {
  status: number
  /** The returned data (loaders and actions), or null for responses without data. */
  data: unknown
  location: string | null
  thrown: boolean
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown

interface DataWithInit {
  type: 'DataWithResponseInit'
  data: unknown
  init: ResponseInit | null
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return !!value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit'
}

function describe(value: unknown, thrown: boolean): Outcome {
  if (value instanceof Response) {
    return { status: value.status, data: null, location: value.headers.get('Location'), thrown }
  }
  if (isDataWithInit(value)) {
    return { status: value.init?.status ?? 200, data: value.data, location: null, thrown }
  }
  return { status: 200, data: value, location: null, thrown }
}

/** Runs a loader or action the way Remix would, catching thrown responses; other errors propagate. */
export async function call(
  handler: unknown,
  path: string,
  options: RequestOptions & { params?: Record<string, string> } = {},
): Promise<Outcome> {
  const { params = {}, ...requestOptions } = options
  const request = makeRequest(path, requestOptions)
  try {
    return describe(await (handler as Handler)({ request, params, context: {} }), false)
  } catch (error) {
    if (error instanceof Response || isDataWithInit(error)) return describe(error, true)
    throw error
  }
}

/** The data as the browser would receive it (Remix serializes loader and action data). */
export function serialized(outcome: Outcome): string {
  return JSON.stringify(outcome.data) ?? ''
}
