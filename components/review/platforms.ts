// How each platform counts and limits a post, for the focus view's preview card. Pure (no React), so
// the limit logic is testable and the editor can re-count on every keystroke.

export type PreviewStyle = 'linkedin' | 'x' | 'youtube' | 'reddit' | 'generic';

export interface PlatformRules {
  /** As people write it: LinkedIn, X, YouTube, Reddit, Facebook, Discord, or the stored value. */
  name: string;
  style: PreviewStyle;
  /** Maximum length in `unit`s, or null when the console knows no limit for this platform/type. */
  limit: number | null;
  /** How the platform counts, in words for the operator. */
  unit: string;
  /** Length as the platform counts it. For X threads: the longest post of the thread. */
  measure(text: string): number;
  /** Extra explanation of the count, shown under the meter. */
  note?: string;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as people see them (a flag or a family emoji is one). */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count += 1;
  return count;
}

const URL_PATTERN = /https?:\/\/[^\s]+/giu;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** twitter-text v3 weights: these code point ranges count 1, everything else 2. */
function xWeight(codePoint: number): number {
  const light =
    codePoint <= 4351 ||
    (codePoint >= 8192 && codePoint <= 8205) ||
    (codePoint >= 8208 && codePoint <= 8223) ||
    (codePoint >= 8242 && codePoint <= 8247);
  return light ? 1 : 2;
}

/** X's weighted length: links count 23, emoji 2, CJK and most non-Latin scripts 2 per character. */
export function xWeightedLength(text: string): number {
  let total = 0;
  const withoutUrls = text.normalize('NFC').replace(URL_PATTERN, () => {
    total += 23;
    return '';
  });
  for (const { segment } of graphemes.segment(withoutUrls)) {
    if (PICTOGRAPHIC.test(segment)) {
      total += 2;
      continue;
    }
    for (const char of segment) total += xWeight(char.codePointAt(0) ?? 0);
  }
  return total;
}

/** The posts of an X thread written as "1/ …\n\n2/ …" (a text without numbering is one post). */
export function splitXThread(text: string): string[] {
  const parts = text.split(/\n\s*\n(?=\s*\d+\s*\/)/u).map((part) => part.trim());
  return parts.filter(Boolean).length > 0 ? parts.filter(Boolean) : [text];
}

const BY_PLATFORM: Record<
  string,
  { name: string; style: PreviewStyle; limits: Record<string, number>; fallback: number | null }
> = {
  linkedin: { name: 'LinkedIn', style: 'linkedin', limits: { comment: 1250, reply: 1250 }, fallback: 3000 },
  x: { name: 'X', style: 'x', limits: {}, fallback: 280 },
  twitter: { name: 'X', style: 'x', limits: {}, fallback: 280 },
  youtube: { name: 'YouTube', style: 'youtube', limits: {}, fallback: 10_000 },
  reddit: { name: 'Reddit', style: 'reddit', limits: { post: 40_000 }, fallback: 10_000 },
  facebook: { name: 'Facebook', style: 'generic', limits: {}, fallback: 63_206 },
  discord: { name: 'Discord', style: 'generic', limits: {}, fallback: 2000 },
};

export function platformName(platform: string): string {
  return BY_PLATFORM[platform.trim().toLowerCase()]?.name ?? platform;
}

export function platformRules(platform: string, postType: string): PlatformRules {
  const known = BY_PLATFORM[platform.trim().toLowerCase()];
  if (!known) {
    return {
      name: platform || 'Unknown platform',
      style: 'generic',
      limit: null,
      unit: 'characters',
      measure: countCharacters,
    };
  }
  const limit = known.limits[postType.trim().toLowerCase()] ?? known.fallback;
  if (known.style === 'x') {
    const thread = postType.trim().toLowerCase() === 'thread';
    return {
      name: known.name,
      style: 'x',
      limit,
      unit: 'weighted characters',
      measure: thread ? (text) => Math.max(0, ...splitXThread(text).map(xWeightedLength)) : xWeightedLength,
      note: thread
        ? 'Counted per post of the thread (the longest is shown); links count 23, emoji and CJK characters 2.'
        : 'Links count 23, emoji and CJK characters 2.',
    };
  }
  return { name: known.name, style: known.style, limit, unit: 'characters', measure: countCharacters };
}

export interface LengthCheck {
  length: number;
  limit: number | null;
  over: number;
}

export function checkLength(rules: PlatformRules, text: string): LengthCheck {
  const length = rules.measure(text);
  return { length, limit: rules.limit, over: rules.limit === null ? 0 : Math.max(0, length - rules.limit) };
}
