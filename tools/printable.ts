/*
 * Text from a record (keys, user agents, event times: much of it the caller's choice) made safe to print: a newline
 * would fake a line of output, an escape sequence would move the cursor, recolour or hide what follows, and
 * bidirectional controls reorder what the eye reads. Each such character is written as a visible escape instead.
 */

// C0 controls, DEL, C1 controls (U+009B is a one-character CSI on some terminals), line and paragraph separators,
// and the bidirectional formatting characters.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of text with every control character shown as `\xNN` or `\uNNNN`. */
export function printable(value: unknown): string {
  return String(value).replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * JSON for output that may reach a terminal: JSON.stringify already escapes C0 controls, and this escapes the rest
 * (DEL, C1, separators, bidirectional controls) as \uNNNN, which JSON readers decode to the same string.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
