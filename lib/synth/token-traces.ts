/*
 * cdktf records the full stack trace of every token it creates (Lazy, references, Fn.*): it captures the trace into a
 * plain object with Error.captureStackTrace, at unlimited depth, formats it to text at once, and reads it only to
 * explain a token that fails to resolve. A synth creates tens of thousands of tokens; capturing their traces costs a
 * tenth of the synth for text nothing reads. While `fn` runs, capturing a trace into anything but an Error does
 * nothing (the object keeps the empty trace it was created with); every Error keeps its own trace.
 */

type CaptureStackTrace = typeof Error.captureStackTrace;

/** Runs `fn` with token creation traces left out (see above); errors keep their traces. */
export function withoutTokenTraces<T>(fn: () => T): T {
  const capture: CaptureStackTrace = Error.captureStackTrace;
  Error.captureStackTrace = function captureErrorsOnly(target: object, constructorOpt?: Function) {
    if (target instanceof Error) capture.call(Error, target, constructorOpt);
  };
  try {
    return fn();
  } finally {
    Error.captureStackTrace = capture;
  }
}
