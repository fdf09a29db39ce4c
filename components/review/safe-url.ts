// Agent-written URLs are untrusted: only http(s) URLs ever become links, and only explicit ones.

export interface SafeUrl {
  href: string;
  host: string;
}

/** The URL when it is an absolute http: or https: URL; null for javascript:, data:, relative, junk. */
export function safeHttpUrl(value: string | null | undefined): SafeUrl | null {
  if (!value) return null;
  const trimmed = value.trim();
  // Control characters or whitespace inside would be stripped by the URL parser and hide what it is.
  if (!trimmed || /[\u0000-\u001f\u007f\s]/u.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  return { href: url.href, host: url.hostname };
}
