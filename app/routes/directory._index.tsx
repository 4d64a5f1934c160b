import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { directoryFilterOptions, listPublicOrganisations } from '#app/modules/directory/directory.server.ts'
import { directoryHeaders } from '#app/modules/directory/headers.ts'
import { PUBLIC_ORG_KINDS, parseDirectoryFilters } from '#app/modules/directory/model.ts'
import { DirectoryFilterForm, DirectoryResults, DirectorySelect, Fact, regionChoices } from '#app/modules/directory/ui.tsx'
import { orgKindLabel } from '#app/modules/orgs/labels.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.tab.orgs')
export const headers = directoryHeaders

/**
 * Public directory: mediation organisations (no sign-in). Search and filters come from the URL;
 * nothing depends on who asks, so a proxy may cache the page (directoryHeaders).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const filters = parseDirectoryFilters(new URL(request.url))
  const db = getDb()
  const [page, options] = await Promise.all([
    listPublicOrganisations(db, {
      q: filters.q,
      region: filters.region,
      kind: filters.kind,
      sector: filters.sector,
      disputeType: filters.disputeType,
      cursor: filters.cursor,
      withTotal: true,
    }),
    directoryFilterOptions(db),
  ])
  return { filters, page, options }
}

export default function DirectoryOrganisations() {
  const t = useT()
  const { filters, page, options } = useLoaderData<typeof loader>()
  const typeName = (d: { nameZh: string; nameEn: string }) => (t.locale === 'en' ? d.nameEn : d.nameZh)
  return (
    <>
      <h1 className="mb-1 text-2xl">{t('directory.tab.orgs')}</h1>
      <p className="mb-4 text-slate-700">{t('directory.intro')}</p>
      <DirectoryFilterForm q={filters.q} placeholder={t('directory.search.orgs')}>
        <DirectorySelect
          id="directory-region"
          name="region"
          label={t('directory.filter.region')}
          value={filters.region}
          options={regionChoices(options.regions)}
        />
        <DirectorySelect
          id="directory-kind"
          name="kind"
          label={t('directory.filter.kind')}
          value={filters.kind}
          options={PUBLIC_ORG_KINDS.map((k) => ({ value: k, label: t(orgKindLabel(k)) }))}
        />
        <DirectorySelect
          id="directory-sector"
          name="sector"
          label={t('directory.filter.sector')}
          value={filters.sector}
          options={options.sectors.map((s) => ({ value: s.code, label: typeName(s) }))}
        />
        <DirectorySelect
          id="directory-type"
          name="type"
          label={t('directory.filter.type')}
          value={filters.disputeType}
          options={options.disputeTypes.map((d) => ({ value: d.code, label: typeName(d) }))}
        />
      </DirectoryFilterForm>
      <DirectoryResults
        page={page}
        itemTestId="directory-org"
        facts={(org) => (
          <>
            <Fact label={t('directory.org.kind')}>
              {t(orgKindLabel(org.kind))}
              {org.sector ? ` · ${typeName(org.sector)}` : ''}
            </Fact>
            <Fact label={t('directory.org.region')}>{org.regionName}</Fact>
            {org.address ? <Fact label={t('directory.org.address')}>{org.address}</Fact> : null}
            {org.officePhone ? (
              <Fact label={t('directory.org.phone')}>
                <a href={`tel:${org.officePhone.replace(/[^\d+]/g, '')}`}>{org.officePhone}</a>
              </Fact>
            ) : null}
            {org.openingHours ? <Fact label={t('directory.org.hours')}>{org.openingHours}</Fact> : null}
            {org.services ? <Fact label={t('directory.org.services')}>{org.services}</Fact> : null}
            {org.disputeTypes.length ? <Fact label={t('directory.org.types')}>{org.disputeTypes.map(typeName).join('、')}</Fact> : null}
          </>
        )}
      />
    </>
  )
}
