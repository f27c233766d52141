import * as path from 'node:path';
import { closest } from '../../config/suggest';

/*
 * The command-line flags of every command of the product (synth, report, bench, replay, validate, scan). One parser so
 * that every command answers `--help`, and rejects an unknown flag, a flag without its value or a value given to a
 * switch, naming the flag, instead of running with defaults.
 *
 * A command declares its flags once; `runCommand` parses argv, prints the usage on `--help`, and turns a usage mistake
 * into a message and exit code `USAGE_EXIT_CODE`:
 *
 *   const command = defineCommand({
 *     name: 'npm run replay --',
 *     summary: 'Judges CloudTrail log files with the detector rules.',
 *     flags: { config: { value: 'file', description: 'the configuration (default: BASELINE_CONFIG or the example)' } },
 *     operands: { name: 'path...', description: 'log files or directories' },
 *   });
 *   runCommand(command, process.argv.slice(2), ({ flags, operands }) => { ... });
 */

/** The exit code of a usage mistake (unknown flag, missing value, unexpected operand), apart from 1 (the command failed). */
export const USAGE_EXIT_CODE = 2;

export interface FlagDefinition {
  /** The value's name in the usage (`--markdown <file>`); a flag without one is a switch (true when given). */
  readonly value?: string;
  /** One line: what the flag does, and its default. */
  readonly description: string;
  /** A valued flag that may be given more than once; every value is in `repeated`, in order. */
  readonly repeatable?: boolean;
}

export interface CommandDefinition {
  /** How the user invokes the command, as the usage shows it: `npm run synth --`. */
  readonly name: string;
  /** What the command does, in a line or two. */
  readonly summary: string;
  readonly flags: Readonly<Record<string, FlagDefinition>>;
  /** Arguments that are not flags (file names); refused when not declared. */
  readonly operands?: { readonly name: string; readonly description: string };
  /** Environment variables the command reads, by name, each with a line. */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface ParsedCommandLine {
  /** Each flag given: a switch as `true`, a valued flag as its string. */
  readonly flags: Readonly<Record<string, string | true>>;
  /** Every value of each repeatable flag given, in order (`flags` holds the last). */
  readonly repeated: Readonly<Record<string, readonly string[]>>;
  readonly operands: readonly string[];
  readonly help: boolean;
}

/** A mistake in the command line; the message names the flag. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function defineCommand<T extends CommandDefinition>(definition: T): T {
  if ('help' in definition.flags) throw new Error(`${definition.name}: --help is every command's own flag`);
  return definition;
}

/** Parses `--flag value`, `--flag=value` and switches; `--` ends the flags. */
export function parseCommandLine(command: CommandDefinition, argv: readonly string[]): ParsedCommandLine {
  const flags: Record<string, string | true> = {};
  const repeated: Record<string, string[]> = {};
  const operands: string[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--') {
      operands.push(...argv.slice(index + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      operands.push(argument);
      continue;
    }
    if (argument === '-h') {
      help = true;
      continue;
    }
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argument);
    if (!match) throw new UsageError(`unknown flag ${argument}: flags are written --name${suggestion(argument.replace(/^-+/, ''), command)}`);
    const [, name, inline] = match;
    if (name === 'help') {
      if (inline !== undefined) throw new UsageError(`--help takes no value (got "${inline}")`);
      help = true;
      continue;
    }
    const definition = Object.hasOwn(command.flags, name) ? command.flags[name] : undefined;
    if (!definition) throw new UsageError(`unknown flag --${name}${suggestion(name, command)}`);
    if (Object.hasOwn(flags, name) && !definition.repeatable) throw new UsageError(`--${name} is given more than once`);
    if (!definition.value) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value (got "${inline}")`);
      flags[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value: --${name} <${definition.value}>`);
      }
      value = next;
      index++;
    }
    if (value === '') throw new UsageError(`--${name} needs a value: --${name} <${definition.value}>`);
    flags[name] = value;
    if (definition.repeatable) (repeated[name] ??= []).push(value);
  }
  if (!help && operands.length > 0 && !command.operands) {
    throw new UsageError(`unexpected argument "${operands[0]}": ${command.name} takes flags only`);
  }
  return { flags, repeated, operands, help };
}

function suggestion(name: string, command: CommandDefinition): string {
  const near = closest(name, [...Object.keys(command.flags), 'help']);
  return near ? `; did you mean --${near}?` : `; see --help`;
}

/** The usage text `--help` prints. */
export function usage(command: CommandDefinition): string {
  const names = Object.entries(command.flags).map(([name, flag]) => (flag.value ? `--${name} <${flag.value}>${flag.repeatable ? ' ...' : ''}` : `--${name}`));
  const width = Math.max(10, ...names.map((name) => name.length), ...Object.keys(command.environment ?? {}).map((name) => name.length), command.operands?.name.length ?? 0) + 2;
  const synopsis = [command.name, ...Object.keys(command.flags).length ? ['[flags]'] : [], ...(command.operands ? [command.operands.name] : [])];
  const lines = [`Usage: ${synopsis.join(' ')}`, ...command.summary.split('\n').map((line) => `  ${line}`), '', 'Flags:'];
  Object.values(command.flags).forEach((flag, index) => lines.push(`  ${names[index].padEnd(width)}${flag.description}`));
  lines.push(`  ${'--help'.padEnd(width)}print this help and exit`);
  if (command.operands) lines.push('', 'Arguments:', `  ${command.operands.name.padEnd(width)}${command.operands.description}`);
  if (command.environment) {
    lines.push('', 'Environment:');
    for (const [name, description] of Object.entries(command.environment)) lines.push(`  ${name.padEnd(width)}${description}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Parses argv for a command: prints the usage and returns on `--help`; on a usage mistake, prints it with a pointer to
 * `--help` and exits with USAGE_EXIT_CODE; otherwise runs the command.
 */
export function runCommand<R>(command: CommandDefinition, argv: readonly string[], run: (line: ParsedCommandLine) => R): R | undefined {
  let line: ParsedCommandLine;
  try {
    line = parseCommandLine(command, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${command.name.replace(/ --$/, '')}: ${error.message}\nRun "${command.name} --help" for the flags.\n`);
    process.exit(USAGE_EXIT_CODE);
  }
  if (line.help) {
    process.stdout.write(usage(command));
    return undefined;
  }
  return run(line);
}

/** A path the user typed, resolved from the directory they ran the command in (npm runs scripts from the project root). */
export function userPath(given: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD || process.cwd(), given);
}
