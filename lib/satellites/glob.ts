/**
 * Declared satellite patterns (from the architecture document) against paths relative to a scan root,
 * with '/' separators:
 * - `*` matches within one path segment, `?` one character, `**` any number of segments;
 * - a pattern that does not start with '/' may match at any depth, as the document writes them
 *   relative to wherever the module lives ("holo_index/violations.db" matches
 *   "holo_index/violations.db" and "x/holo_index/violations.db"); a leading '/' anchors it to the root.
 */
export function globToRegExp(pattern: string): RegExp {
  let text = pattern.trim().replaceAll('\\', '/');
  const anchored = text.startsWith('/');
  text = text.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '*' && text[i + 1] === '*') {
      const slashAfter = text[i + 2] === '/';
      const atStart = i === 0 || text[i - 1] === '/';
      if (atStart && slashAfter) {
        out += '(?:[^/]+/)*';
        i += 2;
      } else if (atStart && i + 2 === text.length) {
        out += '.*';
        i += 1;
      } else {
        out += '[^/]*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${out}$`);
}

export function globMatches(pattern: string, relativePath: string): boolean {
  return globToRegExp(pattern).test(relativePath.replaceAll('\\', '/'));
}

/** More specific patterns win when several match one file: fewer wildcards, then longer. */
export function patternSpecificity(pattern: string): number {
  const wildcards =
    (pattern.match(/\*\*/g)?.length ?? 0) * 100 +
    (pattern.replace(/\*\*/g, '').match(/[*?]/g)?.length ?? 0) * 10;
  return pattern.length - wildcards;
}
