/*
 * Glob matching in time linear in the text: `*` matches any run of characters including "/", `?` exactly one UTF-16
 * code unit, everything else itself; case-insensitive. A regular expression would backtrack: `*a*a*a*b` against a key
 * of 1,024 "a" (S3's longest key, and for a denied read the key is whatever the caller asked for) took 97 s. Here the
 * pattern splits at `*` into literal segments; the first is anchored at the start, the last at the end, and each
 * middle one is taken at its leftmost place after the previous (leftmost is never worse: it leaves the most text for
 * the rest). Each character of the text is compared at most once per character of a segment: O(text x pattern).
 */

/** A text matcher compiled from one glob. */
export type GlobMatcher = (text: string) => boolean;

/** Lower-cases one code unit at a time, so that positions (and `?`) line up with the text as written. */
export function foldCase(text: string): string {
  // Nearly every key and ARN is ASCII: returned as is when it has no upper case, else lower-cased natively (ASCII
  // lower-cases one character at a time anyway). Only other text takes the unit-by-unit path.
  let upper = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x7f) return foldUnits(text);
    if (code >= 0x41 && code <= 0x5a) upper = true;
  }
  return upper ? text.toLowerCase() : text;
}

function foldUnits(text: string): string {
  let folded = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text[index];
    const lower = unit.toLowerCase();
    folded += lower.length === 1 ? lower : unit;
  }
  return folded;
}

/** A literal piece of the glob: its folded text and whether it holds a `?` (then compared unit by unit). */
interface Segment {
  readonly text: string;
  readonly wild: boolean;
}

function segmentAt(text: string, segment: Segment, at: number): boolean {
  if (at < 0 || at + segment.text.length > text.length) return false;
  if (!segment.wild) return text.startsWith(segment.text, at);
  for (let index = 0; index < segment.text.length; index++) {
    const expected = segment.text[index];
    if (expected !== '?' && expected !== text[at + index]) return false;
  }
  return true;
}

/** The leftmost place at or after `from` where the segment occurs, or -1. */
function findSegment(text: string, segment: Segment, from: number): number {
  if (!segment.wild) return text.indexOf(segment.text, from);
  for (let at = from; at + segment.text.length <= text.length; at++) {
    if (segmentAt(text, segment, at)) return at;
  }
  return -1;
}

/**
 * Compiles a glob. With `anchored` false the glob may match anywhere in the text (as if wrapped in `*`), which is how
 * `keyword:<word>` key patterns match.
 */
export function compileGlob(glob: string, anchored = true): GlobMatcher {
  const matches = compileFolded(glob, anchored);
  return (text) => matches(foldCase(text));
}

/** The glob as a matcher of text already passed through foldCase: a list folds its text once for all its globs. */
function compileFolded(glob: string, anchored: boolean): GlobMatcher {
  const pieces = foldCase(glob).split('*');
  const segments: Segment[] = pieces.map((text) => ({ text, wild: text.includes('?') }));
  if (!anchored) {
    segments.unshift({ text: '', wild: false });
    segments.push({ text: '', wild: false });
  }
  const first = segments[0];
  if (segments.length === 1) {
    return (folded) => folded.length === first.text.length && segmentAt(folded, first, 0);
  }
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((segment) => segment.text.length > 0);
  const fixed = first.text.length + last.text.length;
  return (folded) => {
    if (folded.length < fixed) return false;
    if (!segmentAt(folded, first, 0)) return false;
    const end = folded.length - last.text.length;
    if (!segmentAt(folded, last, end)) return false;
    let position = first.text.length;
    for (const segment of middle) {
      const at = findSegment(folded, segment, position);
      if (at < 0 || at + segment.text.length > end) return false;
      position = at + segment.text.length;
    }
    return true;
  };
}

/**
 * A matcher true when any of the globs matches the whole text, or (for `unanchored` ones) appears anywhere in it;
 * undefined when there is none.
 */
export function compileGlobList(globs: readonly string[], unanchored: readonly string[] = []): GlobMatcher | undefined {
  const matchers = [...globs.map((glob) => compileFolded(glob, true)), ...unanchored.map((glob) => compileFolded(glob, false))];
  if (matchers.length === 0) return undefined;
  if (matchers.length === 1) {
    const [only] = matchers;
    return (text) => only(foldCase(text));
  }
  return (text) => {
    const folded = foldCase(text);
    for (const matches of matchers) if (matches(folded)) return true;
    return false;
  };
}
