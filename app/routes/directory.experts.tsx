import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { directoryFilterOptions, listPublicExperts } from '#app/modules/directory/directory.server.ts'
import { directoryHeaders } from '#app/modules/directory/headers.ts'
import { EXPERT_TIERS, parseDirectoryFilters } from '#app/modules/directory/model.ts'
import { DirectoryFilterForm, DirectoryResults, DirectorySelect, Fact, regionChoices } from '#app/modules/directory/ui.tsx'
import { tierLabel } from '#app/modules/experts/labels.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'directory.tab.experts')
export const headers = directoryHeaders

/**
 * Public directory: the expert pool's public face (no sign-in). Which fields appear is the
 * deployment's setting `directory.expertFields`; a field that is not public is neither sent nor
 * searchable nor offered as a filter.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const filters = parseDirectoryFilters(new URL(request.url))
  const db = getDb()
  const [page, options] = await Promise.all([
    listPublicExperts(db, {
      q: filters.q,
      region: filters.region,
      tier: filters.tier,
      disputeType: filters.disputeType,
      cursor: filters.cursor,
      withTotal: true,
    }),
    directoryFilterOptions(db),
  ])
  const { fields, ...rest } = page
  return {
    filters,
    page: rest,
    shows: {
      tier: fields.has('tier'),
      domains: fields.has('domains'),
      employer: fields.has('employer'),
      title: fields.has('title'),
      region: fields.has('region'),
    },
    regions: options.regions,
    disputeTypes: fields.has('domains') ? options.disputeTypes : [],
  }
}

export default function DirectoryExperts() {
  const t = useT()
  const { filters, page, shows, regions, disputeTypes } = useLoaderData<typeof loader>()
  const typeName = (d: { nameZh: string; nameEn: string }) => (t.locale === 'en' ? d.nameEn : d.nameZh)
  if (page.closed) {
    return (
      <>
        <h1 className="mb-4 text-2xl">{t('directory.tab.experts')}</h1>
        <p className="card" data-testid="directory-closed">
          {t('directory.experts.closed')}
        </p>
      </>
    )
  }
  return (
    <>
      <h1 className="mb-1 text-2xl">{t('directory.tab.experts')}</h1>
      <p className="mb-4 text-slate-700">{t('directory.experts.intro')}</p>
      <DirectoryFilterForm q={filters.q} placeholder={t('directory.search.experts')}>
        <DirectorySelect
          id="directory-region"
          name="region"
          label={t('directory.filter.region')}
          value={filters.region}
          options={regionChoices(regions)}
        />
        {shows.tier ? (
          <DirectorySelect
            id="directory-tier"
            name="tier"
            label={t('directory.filter.tier')}
            value={filters.tier}
            options={EXPERT_TIERS.map((tier) => ({ value: tier, label: t(tierLabel(tier)) }))}
          />
        ) : null}
        {shows.domains ? (
          <DirectorySelect
            id="directory-type"
            name="type"
            label={t('directory.filter.type')}
            value={filters.disputeType}
            options={disputeTypes.map((d) => ({ value: d.code, label: typeName(d) }))}
          />
        ) : null}
      </DirectoryFilterForm>
      <DirectoryResults
        page={page}
        itemTestId="directory-expert"
        facts={(e) => (
          <>
            {e.tier ? <Fact label={t('directory.expert.tier')}>{t(tierLabel(e.tier))}</Fact> : null}
            {e.employer ? <Fact label={t('directory.expert.employer')}>{e.employer}</Fact> : null}
            {e.title ? <Fact label={t('directory.expert.title')}>{e.title}</Fact> : null}
            {e.regionName ? <Fact label={t('directory.expert.region')}>{e.regionName}</Fact> : null}
            {e.domains?.length ? <Fact label={t('directory.expert.domains')}>{e.domains.map(typeName).join('、')}</Fact> : null}
          </>
        )}
      />
    </>
  )
}
