/*
 * cdktf keeps every token it ever created in one map for the whole process (global.__cdktfTokenMap), to turn the
 * token strings back into tokens, and a token holds what it refers to: a resource, and through it its stack. A
 * process that synthesizes chunk after chunk would so keep every chunk it ever built. Once a chunk is written nothing
 * refers to its tokens any more: forgetting them lets the chunk go. The counter that numbers tokens goes on, so a
 * token string kept by mistake from an earlier chunk fails to resolve (cdktf says so) instead of naming another
 * token.
 */

interface CdktfTokenMap {
  readonly stringTokenMap: Map<string, unknown>;
  readonly numberTokenMap: Map<number, unknown>;
}

/** Forgets every token cdktf has registered so far in this process. */
export function forgetTokens(): void {
  const map = (globalThis as { __cdktfTokenMap?: Partial<CdktfTokenMap> }).__cdktfTokenMap;
  map?.stringTokenMap?.clear();
  map?.numberTokenMap?.clear();
}
