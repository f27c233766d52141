/*
 * Duplicate keys in a JSON document. JSON.parse keeps the last of two equal keys without a word, so a setting written
 * twice (an old value above, a new one below, in a long file) silently wins or loses. A scanner of our own rather than a
 * package: it runs only on text JSON.parse has accepted, so it needs no error recovery, and it reads exactly JSON's
 * grammar (JSON-with-comments parsers such as jsonc-parser accept more than JSON.parse does).
 */

/** Each key that appears more than once in its object, as the path of its second (and later) appearance. */
export function duplicateKeyPaths(json: string): (string | number)[][] {
  const duplicates: (string | number)[][] = [];
  // One frame per open container: an object's keys so far, or an array's next index.
  const frames: ({ keys: Set<string>; key?: string } | { index: number })[] = [];
  const path = (): (string | number)[] =>
    frames.flatMap((frame): (string | number)[] => ('keys' in frame ? (frame.key === undefined ? [] : [frame.key]) : [frame.index - 1]));
  let expectKey = false;
  for (let at = 0; at < json.length; at++) {
    const char = json[at];
    if (char === '"') {
      let end = at + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const frame = frames[frames.length - 1];
      if (expectKey && frame && 'keys' in frame) {
        const key = JSON.parse(json.slice(at, end + 1)) as string;
        frame.key = key;
        if (frame.keys.has(key)) duplicates.push(path());
        frame.keys.add(key);
        expectKey = false;
      } else {
        valueStarts(frames);
      }
      at = end;
    } else if (char === '{') {
      valueStarts(frames);
      frames.push({ keys: new Set() });
      expectKey = true;
    } else if (char === '[') {
      valueStarts(frames);
      frames.push({ index: 0 });
    } else if (char === '}' || char === ']') {
      frames.pop();
      expectKey = false;
    } else if (char === ',') {
      expectKey = 'keys' in (frames[frames.length - 1] ?? {});
    } else if (/[-0-9tfn]/.test(char)) {
      valueStarts(frames);
      while (at + 1 < json.length && /[-+.0-9a-zA-Z]/.test(json[at + 1])) at++;
    }
  }
  return duplicates;
}

/** A value begins: in an array, it takes the next index. */
function valueStarts(frames: ({ keys: Set<string>; key?: string } | { index: number })[]): void {
  const frame = frames[frames.length - 1];
  if (frame && 'index' in frame) frame.index++;
}
