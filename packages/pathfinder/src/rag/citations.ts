/** Result of {@link filterCitations}. */
export interface CitationCheck {
  /** The answer with citations that name no retrieved record removed. */
  text: string;
  /** Cited bibcodes that were retrieved, in order of first citation. */
  kept: string[];
  /** Cited strings that named no retrieved record (removed from the text). */
  removed: string[];
}

/**
 * Keep only bracketed citations that name a retrieved record. Brackets may hold several
 * identifiers separated by `;` or `,` (`[2020A&A...641A...6P; 1998AJ....116.1009R]`); each
 * identifier not in `allowed` is removed, and a bracket left empty is removed with the space
 * before it.
 */
export function filterCitations(answer: string, allowed: Iterable<string>): CitationCheck {
  const ok = new Set(allowed);
  const kept: string[] = [];
  const removed: string[] = [];
  const text = answer.replace(/\s?\[([^[\]\n]{1,200})\]/g, (whole, inner: string) => {
    const parts = inner
      .split(/\s*[;,]\s*/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const good = parts.filter((p) => ok.has(p));
    for (const p of parts) {
      if (ok.has(p)) {
        if (!kept.includes(p)) kept.push(p);
      } else removed.push(p);
    }
    if (good.length === parts.length) return whole;
    if (good.length === 0) return '';
    return `${whole.startsWith(' ') ? ' ' : ''}[${good.join('; ')}]`;
  });
  return { text, kept, removed };
}
