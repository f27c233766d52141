/*
 * Reading terraform's apply output for the rehearsal's report.
 */

/** A stopped apply: the resources it reported as in progress and never as complete. */
export function stillWaitingFor(output: string): string[] {
  const lines = output.split('\n');
  const done = new Set(lines.filter((line) => /: (Creation|Modifications) complete/.test(line)).map((line) => line.replace(/: (Creation|Modifications) complete.*/, '')));
  const started = lines.filter((line) => /: Still (creating|modifying)/.test(line)).map((line) => line.replace(/: Still.*/, ''));
  return [...new Set(started)].filter((address) => !done.has(address));
}
