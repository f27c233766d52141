/** One thing wrong with a configuration: where, what was there, and what was expected. */
export interface ConfigProblem {
  readonly path: readonly (string | number)[];
  /** The offending value; `undefined` when the value is missing. */
  readonly value: unknown;
  readonly expected: string;
}

/** Thrown when a configuration cannot be used; carries every problem found, not only the first. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(source, problems));
    this.name = 'ConfigError';
  }
}

/** `accounts.members[0].id`; the empty path is the document itself. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const plain = /^[A-Za-z_$][\w$-]*$/.test(part);
      if (!plain) return `[${JSON.stringify(part)}]`;
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}

export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map(
    (problem) => `  - ${formatPath(problem.path)}: got ${formatValue(problem.value)}; ${problem.expected}`,
  );
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`Configuration ${source} has ${count}:`, ...lines].join('\n');
}
