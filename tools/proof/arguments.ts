/*
 * Command-line flags of the proof tools: each tool declares its flags; anything else is refused by name, so a typo
 * never runs a different check than the one asked for.
 */

export interface FlagSpec {
  readonly name: string;
  /** The flag takes a value (`--flag value` or `--flag=value`). */
  readonly value?: string;
  readonly help: string;
}

export type ParsedFlags = Record<string, string | true>;

export class UsageError extends Error {}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const flags: ParsedFlags = {};
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const [name, inline] = argument.startsWith('--') ? splitOnce(argument.slice(2), '=') : [undefined, undefined];
    const spec = name === undefined ? undefined : specs.find((candidate) => candidate.name === name);
    if (!spec) {
      const known = specs.map((candidate) => `--${candidate.name}`).join(', ');
      throw new UsageError(`unknown ${argument.startsWith('-') ? 'flag' : 'argument'} "${argument}"; expected one of: ${known}`);
    }
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value (got "${inline}")`);
      flags[spec.name] = true;
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined || value === '') throw new UsageError(`--${spec.name} expects ${spec.value}`);
    flags[spec.name] = value;
  }
  return flags;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function usage(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const width = Math.max(...specs.map((spec) => `--${spec.name}${spec.value ? ` <${spec.value}>` : ''}`.length));
  const lines = specs.map((spec) => `  ${`--${spec.name}${spec.value ? ` <${spec.value}>` : ''}`.padEnd(width)}  ${spec.help}`);
  return `Usage: ${command} [flags]\n\n${summary}\n\nFlags:\n${lines.join('\n')}\n`;
}
