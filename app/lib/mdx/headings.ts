/** Table-of-contents entries from MDX/Markdown source, with ids the renderer gives the same headings. */
export interface Heading {
  depth: 2 | 3
  text: string
  id: string
}

/** Keeps Han characters, letters and digits; ids stay readable in Chinese (`#基本案情`). */
export function headingId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

export function extractHeadings(source: string): Heading[] {
  const headings: Heading[] = []
  let inFence = false
  for (const line of source.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence
    if (inFence) continue
    const match = /^(#{2,3})\s+(.+?)\s*#*\s*$/.exec(line)
    if (!match) continue
    const text = match[2]!.replace(/[*_`]/g, '')
    headings.push({ depth: match[1]!.length as 2 | 3, text, id: headingId(text) })
  }
  return headings
}
