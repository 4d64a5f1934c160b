/** The pieces of the export pages: status, progress bar and the refresh while a job runs. */
import { useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { JobView } from './kinds.ts'

export const REFRESH_SECONDS = 2

export function statusKey(job: Pick<JobView, 'status' | 'cancelRequested'>): MessageKey {
  return job.cancelRequested ? 'jobs.status.cancelling' : (`jobs.status.${job.status}` as MessageKey)
}

/** The progress bar with its numbers in words (colour is never the only cue). */
export function JobProgress({ job }: { job: JobView }) {
  const t = useT()
  const text =
    job.total === null
      ? t('jobs.progress.unknown', { done: t.number(job.done) })
      : t('jobs.progress', { done: t.number(job.done), total: t.number(job.total) })
  return (
    <div className="flex flex-col gap-1">
      {/* A native bar (its role is progressbar); the aria values are spelled out for assistive tech that reads them. */}
      <progress
        max={100}
        value={job.percent}
        aria-label={t('jobs.progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={job.percent}
        aria-valuetext={`${job.percent}% · ${text}`}
        className="h-3 w-full accent-accent-700"
        data-testid="job-progress"
      />
      <p className="text-sm text-slate-700">
        {job.percent}% · {text}
      </p>
    </div>
  )
}

/**
 * Keeps a running job's page current: with JavaScript the loader is revalidated on an interval;
 * without it a <meta http-equiv="refresh"> inside <noscript> reloads the page (browsers with
 * scripting enabled ignore it there).
 */
export function AutoRefresh({ active }: { active: boolean }) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, REFRESH_SECONDS * 1000)
    return () => clearInterval(timer)
  }, [active, revalidator])
  if (!active) return null
  // As markup, not React children: with scripting on, the browser keeps a <noscript>'s content as
  // text, which React 18 would report as a hydration mismatch if it had rendered elements there.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant string, no user input
  return <noscript dangerouslySetInnerHTML={{ __html: `<meta http-equiv="refresh" content="${REFRESH_SECONDS}">` }} />
}
