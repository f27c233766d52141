import { isDeepStrictEqual } from 'node:util';
import { addressesOf, type SynthesizedStacks } from './synthesized-stacks';

/** What a change does to one stack, by Terraform address. */
export interface StackChanges {
  readonly stack: string;
  /** The stack itself is new or gone. */
  readonly stackStatus: 'added' | 'removed' | 'kept';
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Provider, backend or required-provider settings differ. */
  readonly settingsChanged: boolean;
}

/**
 * Compares two sets of synthesized stacks: the resources and data sources added, removed or changed, by address.
 * cdktf's `//` metadata (construct paths) is ignored: moving a construct without changing its address is no change.
 */
export function addressChanges(base: SynthesizedStacks, current: SynthesizedStacks): StackChanges[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(current)])].sort();
  return names
    .map((stack): StackChanges => {
      const before = base[stack] ? addressesOf(base[stack]) : new Map<string, unknown>();
      const after = current[stack] ? addressesOf(current[stack]) : new Map<string, unknown>();
      const sorted = (list: string[]) => list.sort();
      const settings = (json: SynthesizedStacks[string] | undefined) => (json ? { provider: json.provider, terraform: json.terraform } : undefined);
      return {
        stack,
        stackStatus: !base[stack] ? 'added' : !current[stack] ? 'removed' : 'kept',
        added: sorted([...after.keys()].filter((address) => !before.has(address))),
        removed: sorted([...before.keys()].filter((address) => !after.has(address))),
        changed: sorted([...after.keys()].filter((address) => before.has(address) && !isDeepStrictEqual(before.get(address), after.get(address)))),
        settingsChanged: !!base[stack] && !!current[stack] && !isDeepStrictEqual(settings(base[stack]), settings(current[stack])),
      };
    })
    .filter((changes) => changes.stackStatus !== 'kept' || changes.added.length + changes.removed.length + changes.changed.length > 0 || changes.settingsChanged);
}
