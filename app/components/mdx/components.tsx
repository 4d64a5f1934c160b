/**
 * The shared vocabulary of shipped MDX content. Authors write, for example:
 *   <Callout type="tip">…</Callout>            提示 callout (tip | note | warning)
 *   <LawRef law="人民调解法" article="第三十一条">quoted text</LawRef>   法条引用
 *   <CaseCard slug="wuye-qianfei-01" title="…" />  案例卡片, links to the case library
 *   <KeyPoints>…list…</KeyPoints>             要点
 *   <Commentary>…</Commentary>                案例评析 commentary block
 *   <Technique name="背靠背">…</Technique>     a mediation technique in use
 *   <Timeline><TimelineItem date="第1天">…</TimelineItem></Timeline>
 * Rendered to static HTML on the server (lib/mdx/render.server.tsx); keep them free of state.
 */
import type { ReactNode } from 'react'
import { normaliseArticles } from '#app/lib/law-articles.ts'

/** Where content links point; the caller passes the routes it knows. */
export interface MdxLinkContext {
  caseHref?: (slug: string) => string
}

const CALLOUT_STYLE = {
  tip: 'border-accent-600 bg-accent-50',
  note: 'border-slate-400 bg-slate-50',
  warning: 'border-amber-600 bg-amber-50',
} as const

function Callout({ type = 'tip', title, children }: { type?: keyof typeof CALLOUT_STYLE; title?: string; children: ReactNode }) {
  return (
    <aside className={`my-4 rounded-md border-l-4 px-4 py-3 ${CALLOUT_STYLE[type] ?? CALLOUT_STYLE.tip}`} data-callout={type}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children}
    </aside>
  )
}

/** The full statute name for common short names, so references read the same everywhere. */
const LAW_NAMES: Record<string, string> = {
  人民调解法: '中华人民共和国人民调解法',
  民法典: '中华人民共和国民法典',
  民事诉讼法: '中华人民共和国民事诉讼法',
  劳动合同法: '中华人民共和国劳动合同法',
  劳动争议调解仲裁法: '中华人民共和国劳动争议调解仲裁法',
  道路交通安全法: '中华人民共和国道路交通安全法',
  消费者权益保护法: '中华人民共和国消费者权益保护法',
  电子商务法: '中华人民共和国电子商务法',
  医师法: '中华人民共和国医师法',
  基本医疗卫生与健康促进法: '中华人民共和国基本医疗卫生与健康促进法',
}

function LawRef({ law, article, children }: { law: string; article?: string; children?: ReactNode }) {
  const name = LAW_NAMES[law] ?? law
  const cite = `《${name}》${article ? normaliseArticles(article) : ''}`
  return (
    <span className="law-ref" data-law={name} data-article={article ? normaliseArticles(article) : undefined}>
      <cite className="not-italic font-medium text-accent-800">{cite}</cite>
      {children ? <q className="ml-1 text-slate-700">{children}</q> : null}
    </span>
  )
}

function KeyPoints({ title = '要点', children }: { title?: string; children: ReactNode }) {
  return (
    <section className="my-4 rounded-md border border-accent-100 bg-white px-4 py-3" data-keypoints="">
      <p className="font-semibold text-accent-800">{title}</p>
      {children}
    </section>
  )
}

function Commentary({ author, children }: { author?: string; children: ReactNode }) {
  return (
    <section className="my-4 border-l-4 border-slate-300 pl-4" data-commentary="">
      {children}
      {author ? <p className="mt-2 text-sm text-slate-600">—— {author}</p> : null}
    </section>
  )
}

function Technique({ name, children }: { name: string; children: ReactNode }) {
  return (
    <aside className="my-4 rounded-md bg-emerald-50 px-4 py-3" data-technique={name}>
      <p className="font-semibold text-emerald-900">{name}</p>
      {children}
    </aside>
  )
}

function Timeline({ children }: { children: ReactNode }) {
  return <ol className="my-4 space-y-2 border-l-2 border-slate-300 pl-4">{children}</ol>
}

function TimelineItem({ date, children }: { date: string; children: ReactNode }) {
  return (
    <li>
      <span className="font-medium text-slate-800">{date}</span>
      <div>{children}</div>
    </li>
  )
}

export function mdxComponents(context: MdxLinkContext) {
  function CaseCard({ slug, title, children }: { slug: string; title: string; children?: ReactNode }) {
    const href = context.caseHref?.(slug) ?? `/library/${encodeURIComponent(slug)}`
    return (
      <a
        href={href}
        className="my-4 block rounded-md border border-slate-200 px-4 py-3 no-underline hover:border-accent-600"
        data-case={slug}
      >
        <span className="font-semibold text-accent-800">{title}</span>
        {children ? <span className="mt-1 block text-slate-700">{children}</span> : null}
      </a>
    )
  }
  return { Callout, LawRef, KeyPoints, Commentary, Technique, Timeline, TimelineItem, CaseCard }
}
