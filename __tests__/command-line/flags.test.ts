import { defineCommand, parseCommandLine, usage, UsageError, userPath } from '../../tools/command-line/flags';

const REPORT = defineCommand({
  name: 'npm run report --',
  summary: 'Writes the pull-request report.',
  flags: {
    'base-ref': { value: 'ref', description: 'a git ref to synthesize as the base' },
    markdown: { value: 'file', description: 'where to write the markdown' },
    quiet: { description: 'print nothing' },
  },
});

const REPLAY = defineCommand({
  name: 'npm run replay --',
  summary: 'Judges log files.',
  flags: { config: { value: 'file', description: 'the configuration' } },
  operands: { name: 'path...', description: 'log files or directories' },
});

const mistake = (command: typeof REPORT | typeof REPLAY, argv: string[]) => {
  try {
    parseCommandLine(command, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('command-line flags', () => {
  it('reads valued flags in both forms, switches, and operands after --', () => {
    expect(parseCommandLine(REPORT, ['--base-ref', 'main', '--markdown=out.md', '--quiet'])).toEqual({
      flags: { 'base-ref': 'main', markdown: 'out.md', quiet: true },
      repeated: {},
      operands: [],
      help: false,
    });
    expect(parseCommandLine(REPLAY, ['a.json', '--config', 'c.json', '--', '--odd-name.json'])).toEqual({
      flags: { config: 'c.json' },
      repeated: {},
      operands: ['a.json', '--odd-name.json'],
      help: false,
    });
    expect(parseCommandLine(REPORT, ['--help']).help).toBe(true);
    expect(parseCommandLine(REPORT, ['-h']).help).toBe(true);
  });

  it('names an unknown flag and suggests the closest', () => {
    expect(mistake(REPORT, ['--bsae-ref', 'main'])).toBe('unknown flag --bsae-ref; did you mean --base-ref?');
    expect(mistake(REPORT, ['--zzzzzz'])).toBe('unknown flag --zzzzzz; see --help');
    expect(mistake(REPORT, ['-q'])).toBe('unknown flag -q: flags are written --name; see --help');
  });

  it('refuses a flag without its value, a value for a switch, a repeated flag and unexpected operands', () => {
    expect(mistake(REPORT, ['--base-ref'])).toBe('--base-ref needs a value: --base-ref <ref>');
    expect(mistake(REPORT, ['--base-ref', '--quiet'])).toBe('--base-ref needs a value: --base-ref <ref>');
    expect(mistake(REPORT, ['--markdown='])).toBe('--markdown needs a value: --markdown <file>');
    expect(mistake(REPORT, ['--quiet=yes'])).toBe('--quiet takes no value (got "yes")');
    expect(mistake(REPORT, ['--quiet', '--quiet'])).toBe('--quiet is given more than once');
    expect(mistake(REPORT, ['stray'])).toBe('unexpected argument "stray": npm run report -- takes flags only');
    expect(mistake(REPORT, ['--help=1'])).toBe('--help takes no value (got "1")');
  });

  it('collects every value of a repeatable flag in order, and still refuses a repeated switch', () => {
    const SYNTH = defineCommand({
      name: 'npm run synth --',
      summary: 'Synthesizes.',
      flags: { stack: { value: 'pattern', repeatable: true, description: 'a stack' }, list: { description: 'list' } },
    });
    expect(parseCommandLine(SYNTH, ['--stack', 'security', '--stack=account-*']).repeated).toEqual({ stack: ['security', 'account-*'] });
    expect(() => parseCommandLine(SYNTH, ['--list', '--list'])).toThrow('--list is given more than once');
    expect(() => parseCommandLine(SYNTH, ['--stack', 'a', '--stack'])).toThrow('--stack needs a value: --stack <pattern>');
    expect(usage(SYNTH)).toContain('  --stack <pattern> ...  a stack\n');
  });

  it('prints a usage with every flag, its value and the operands', () => {
    const text = usage(REPLAY);
    expect(text).toMatch(/^Usage: npm run replay -- \[flags\] path\.\.\.\n  Judges log files\.\n/);
    expect(text).toContain('  --config <file>  the configuration\n');
    expect(text).toContain('  --help           print this help and exit\n');
    expect(text).toContain('  path...          log files or directories\n');
  });

  it('resolves a path the user typed from the directory they typed it in', () => {
    expect(userPath('out.md', { INIT_CWD: '/home/me' })).toBe('/home/me/out.md');
    expect(userPath('/tmp/out.md', { INIT_CWD: '/home/me' })).toBe('/tmp/out.md');
    expect(userPath('out.md', {})).toBe(`${process.cwd()}/out.md`);
  });

  it('reserves --help for itself', () => {
    expect(() => defineCommand({ name: 'x', summary: 'x', flags: { help: { description: 'mine' } } })).toThrow(/--help/);
  });
});
