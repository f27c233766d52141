import type { SynthesizedStacks } from './synthesized-stacks';

/** Per stack, how many resources of each Terraform type it declares (types sorted). */
export function resourceCounts(stacks: SynthesizedStacks): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => [
      name,
      Object.fromEntries(
        Object.entries(stack.resource ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, byId]) => [type, Object.keys(byId).length]),
      ),
    ]),
  );
}
