import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { type RecordColumn, RecordTable } from '#app/components/ui/record-table.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { badRequest } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { liftLockSchema } from '#app/modules/auth/schemas.ts'
import { liftLock, listLocks } from '#app/modules/auth/sign-in-locks.server.ts'
import { THROTTLE } from '#app/modules/auth/throttle-policy.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'locks.title')

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'session:manage')
  return { ...(await listLocks(getDb())), policy: { freeFailures: THROTTLE.freeFailures, maxLockMinutes: THROTTLE.maxLockMinutes } }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'session:manage')
  const submission = parseWithZod(await request.formData(), { schema: liftLockSchema })
  if (submission.status !== 'success') badRequest()
  const lifted = await liftLock(getDb(), request, user, submission.value.key)
  return redirectWithFlash(
    '/admin/sign-in-locks',
    lifted ? { kind: 'success', message: 'locks.lifted' } : { kind: 'info', message: 'locks.gone' },
  )
}

function LiftButton({ lockKey }: { lockKey: string }) {
  const t = useT()
  return (
    <Form method="post">
      <input type="hidden" name="key" value={lockKey} />
      <button type="submit" className="btn-secondary px-3 py-1 text-sm">
        {t('locks.lift')}
      </button>
    </Form>
  )
}

type LockedAccount = Awaited<ReturnType<typeof loader>>['accounts'][number]

export default function SignInLocksPage() {
  const t = useT()
  const { accounts, addresses, policy } = useLoaderData<typeof loader>()
  const columns: RecordColumn<LockedAccount>[] = [
    { key: 'username', header: t('users.field.username'), render: (a) => a.username },
    { key: 'failures', header: t('locks.failures'), render: (a) => t.number(a.failures) },
    {
      key: 'until',
      header: t('locks.until'),
      render: (a) => (
        <>
          {t.dateTime(a.lockedUntil)} <span className="text-slate-600">({t('locks.minutesLeft', { minutes: a.minutes })})</span>
        </>
      ),
    },
    { key: 'lift', header: t('table.actions'), headerHidden: true, render: (a) => <LiftButton lockKey={a.key} /> },
  ]
  return (
    <>
      <PageHeader title={t('locks.title')} crumbs={[{ label: t('locks.title') }]} />
      <p className="mb-4 text-slate-700">{t('locks.intro', { failures: policy.freeFailures, minutes: policy.maxLockMinutes })}</p>
      <section className="card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" className="text-lg">
          {t('locks.accounts')}
        </h2>
        <RecordTable
          caption={t('locks.accounts')}
          columns={columns}
          rows={accounts}
          rowKey={(a) => a.key}
          empty={t('locks.noAccounts')}
          testId="locked-accounts"
        />
      </section>
      <section className="card mt-6" aria-labelledby="addresses-heading">
        <h2 id="addresses-heading" className="text-lg">
          {t('locks.addresses')}
        </h2>
        {addresses.length === 0 ? (
          <p className="mt-2 text-slate-600">{t('locks.noAddresses')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200" data-testid="locked-addresses">
            {addresses.map((a) => (
              <li key={a.key} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-mono">{a.address}</span>{' '}
                  <span className="text-slate-600">{t('locks.freeAt', { at: t.dateTime(a.freeAt) })}</span>
                </span>
                <LiftButton lockKey={a.key} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
