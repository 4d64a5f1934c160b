/** Shipped drill MDX, already rendered to HTML on the server by the one MDX pipeline. */
export function MdxHtml({ html, className = '', testId }: { html: string; className?: string; testId?: string }) {
  return (
    <div
      className={`prose-tiaojie max-w-full overflow-x-auto break-words [&_pre]:whitespace-pre-wrap [&_pre]:break-words ${className}`}
      data-testid={testId}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: shipped content/drills MDX rendered on the server, never user input
      dangerouslySetInnerHTML={{ __html: html }}
    />
  )
}
