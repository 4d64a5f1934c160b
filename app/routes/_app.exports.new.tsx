import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { forbidden, notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { exportKind } from '#app/modules/jobs/exports.server.ts'
import { isJobKind, jobTitleKey } from '#app/modules/jobs/kinds.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'jobs.new.title')

/**
 * Where an old export link (a GET of /people/register.xlsx …) lands: it names the export and its
 * filters, and starting it is a POST (no state changes on GET).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const url = new URL(request.url)
  const kind = url.searchParams.get('kind')
  if (!isJobKind(kind)) notFound()
  const definition = exportKind(kind)
  if (!definition.allowed(user, definition.paramsFromUrl(url, false) as never)) forbidden()
  const query = new URLSearchParams(url.search)
  query.delete('kind')
  const search = query.toString()
  return { titleKey: jobTitleKey(kind), action: `${definition.startPath}${search ? `?${search}` : ''}`, listPath: definition.listPath }
}

export default function NewExport() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t(data.titleKey)} crumbs={[{ label: t('jobs.title'), to: '/exports' }, { label: t('jobs.new.title') }]} />
      <div className="card flex flex-col gap-3">
        <p>{t('jobs.new.intro', { title: t(data.titleKey) })}</p>
        <Form method="post" action={data.action} reloadDocument className="flex flex-wrap gap-2">
          <button type="submit" className="btn-primary" data-testid="job-start">
            {t('jobs.new.start')}
          </button>
          <Link to={data.listPath} className="btn-secondary">
            {t('jobs.back')}
          </Link>
        </Form>
      </div>
    </>
  )
}
