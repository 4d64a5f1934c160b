import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { directoryFilterOptions, listPublicMediators } from '#app/modules/directory/directory.server.ts'
import { directoryHeaders } from '#app/modules/directory/headers.ts'
import { parseDirectoryFilters } from '#app/modules/directory/model.ts'
import { DirectoryFilterForm, DirectoryResults, DirectorySelect, Fact, regionChoices } from '#app/modules/directory/ui.tsx'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.tab.mediators')
export const headers = directoryHeaders

/**
 * Public directory: graded mediators (no sign-in). Only grades a finished 公示 made public and
 * still valid; optional fields the mediator hid are never sent (listPublicMediators).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const filters = parseDirectoryFilters(new URL(request.url))
  const db = getDb()
  const [page, options] = await Promise.all([
    listPublicMediators(db, { q: filters.q, region: filters.region, cursor: filters.cursor, withTotal: true }),
    directoryFilterOptions(db),
  ])
  return { filters, page, regions: options.regions }
}

export default function DirectoryMediators() {
  const t = useT()
  const { filters, page, regions } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="mb-1 text-2xl">{t('directory.tab.mediators')}</h1>
      <p className="mb-4 text-slate-700">{t('directory.mediators.intro')}</p>
      <DirectoryFilterForm q={filters.q} placeholder={t('directory.search.mediators')}>
        <DirectorySelect
          id="directory-region"
          name="region"
          label={t('directory.filter.region')}
          value={filters.region}
          options={regionChoices(regions)}
        />
      </DirectoryFilterForm>
      <DirectoryResults
        page={page}
        itemTestId="directory-mediator"
        facts={(m) => (
          <>
            <Fact label={t('directory.mediator.grade')}>{m.gradeName}</Fact>
            <Fact label={t('directory.mediator.association')}>{m.associationName}</Fact>
            <Fact label={t('directory.mediator.org')}>
              {m.orgName ?? <span className="text-slate-500">{t('directory.mediator.hidden')}</span>}
            </Fact>
            <Fact label={t('directory.mediator.validUntil')}>
              {m.validUntil ? t.date(m.validUntil) : <span className="text-slate-500">{t('directory.mediator.hidden')}</span>}
            </Fact>
          </>
        )}
      />
    </>
  )
}
