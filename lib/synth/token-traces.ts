/*
 * cdktf records the full stack trace of every token it creates (Lazy, references, Fn.*), formatted to text at once,
 * and reads it only to explain a token that fails to resolve. A synth creates tens of thousands of tokens: formatting
 * their traces costs a tenth of the synth for text nothing reads. While `fn` runs, the trace of a plain object (how
 * cdktf captures them) formats as nothing; every Error keeps its trace, in node's own format.
 */

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

function nodeFormat(error: Error, frames: NodeJS.CallSite[]): string {
  let head: string;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = '<error>';
  }
  return head + frames.map((frame) => `\n    at ${frame.toString()}`).join('');
}

/** Runs `fn` with token creation traces left unformatted (see above); errors keep their traces. */
export function withoutTokenTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? (previous ? previous(error, frames) : nodeFormat(error, frames)) : '';
  try {
    return fn();
  } finally {
    (Error as { prepareStackTrace?: PrepareStackTrace }).prepareStackTrace = previous;
  }
}
