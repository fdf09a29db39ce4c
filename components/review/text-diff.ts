// A word-level diff of a post's text before and after an edit, for the history. Common prefix and
// suffix are trimmed first (edits are usually local), then an LCS over the changed middle; when that
// middle is too large to compare cheaply the caller shows both versions whole instead.

export interface DiffPart {
  type: 'equal' | 'insert' | 'delete';
  text: string;
}

const MAX_CELLS = 1_000_000;

function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/gu) ?? [];
}

function push(parts: DiffPart[], type: DiffPart['type'], text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last && last.type === type) last.text += text;
  else parts.push({ type, text });
}

/** The parts that turn `before` into `after`, or null when the texts differ too much to diff cheaply. */
export function diffWords(before: string, after: string): DiffPart[] | null {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) return null;

  // lcs[i][j]: length of the LCS of midA[i..] and midB[j..], in one flat array.
  const width = midB.length + 1;
  const lcs = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        midA[i] === midB[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, start).join(''));
  let i = 0;
  let j = 0;
  while (i < midA.length && j < midB.length) {
    if (midA[i] === midB[j]) {
      push(parts, 'equal', midA[i]!);
      i += 1;
      j += 1;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      push(parts, 'delete', midA[i]!);
      i += 1;
    } else {
      push(parts, 'insert', midB[j]!);
      j += 1;
    }
  }
  while (i < midA.length) push(parts, 'delete', midA[i++]!);
  while (j < midB.length) push(parts, 'insert', midB[j++]!);
  push(parts, 'equal', a.slice(endA).join(''));
  return groupChanges(parts);
}

/**
 * Readable changes: a space kept between two changed words is part of the change, and each run of
 * changes becomes one deletion followed by one insertion ("<del>old words</del><ins>new words</ins>"
 * rather than word-by-word confetti).
 */
function groupChanges(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let deleted = '';
  let inserted = '';
  const flush = () => {
    push(out, 'delete', deleted);
    push(out, 'insert', inserted);
    deleted = '';
    inserted = '';
  };
  parts.forEach((part, index) => {
    if (part.type === 'delete') deleted += part.text;
    else if (part.type === 'insert') inserted += part.text;
    else {
      const between = index > 0 && index < parts.length - 1 && /^\s+$/u.test(part.text);
      if (between && (deleted || inserted)) {
        deleted += part.text;
        inserted += part.text;
      } else {
        flush();
        push(out, 'equal', part.text);
      }
    }
  });
  flush();
  return out;
}
