/*
 * CloudWatch Logs JSON filter patterns, as metric filters apply them to CloudTrail records.
 *
 * Grammar (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 *   pattern    := "{" or "}"
 *   or         := and ("||" and)*          precedence: () > && > ||
 *   and        := primary ("&&" primary)*
 *   primary    := "(" or ")" | condition
 *   condition  := selector ("=" | "!=" | "<" | ">" | "<=" | ">=") value
 *               | selector "IS" ("TRUE" | "FALSE" | "NULL")
 *               | selector "NOT EXISTS"
 *   selector   := "$" ("." name | "." "*" | "[" index "]" | "[*]" | ".['" key "']")+
 *   value      := "quoted string" | bare-word | number | %regex%
 * Semantics, as documented: `*` in a string value is a wildcard; a selector that points to an array or an object
 * matches no comparison (select an element with `[n]`, or any element with `[*]`); a comparison on an absent field
 * is false (`!=` included), so "absent or different" is written `(x != v) || (x NOT EXISTS)`. CloudWatch Logs
 * rejects `EXISTS` on its own and `IS NOT`, and so does this parser.
 *
 * A pattern is parsed once and compiled to closures; wildcards and regexes are compiled at parse time, so evaluating
 * a record allocates nothing but the wildcard selectors' candidate lists.
 */

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** One step of a property selector: an object key, an array index, or any element or field (`*`). */
export type SelectorStep = { readonly key: string } | { readonly index: number } | { readonly any: true };

export interface Selector {
  readonly text: string;
  readonly steps: readonly SelectorStep[];
}

export type FilterValue =
  | { readonly type: 'string'; readonly text: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'regex'; readonly source: string };

export type FilterExpression =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly FilterExpression[] }
  | { readonly kind: 'compare'; readonly selector: Selector; readonly operator: ComparisonOperator; readonly value: FilterValue }
  | { readonly kind: 'is'; readonly selector: Selector; readonly value: true | false | null }
  | { readonly kind: 'not-exists'; readonly selector: Selector };

/** A parsed, compiled filter pattern. */
export interface FilterPattern {
  /** The pattern text as given. */
  readonly source: string;
  readonly expression: FilterExpression;
  /** The compiled matcher; use `matchesFilterPattern`. */
  readonly test: (event: Record<string, unknown>) => boolean;
}

/** A syntax error, with the zero-based character position where the pattern went wrong. */
export class FilterPatternSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly pattern: string,
  ) {
    const found = position >= pattern.length ? 'end of pattern' : JSON.stringify(pattern.slice(position, position + 12));
    super(`Filter pattern error at position ${position}: expected ${expected}, found ${found}`);
    this.name = 'FilterPatternSyntaxError';
  }
}

/** Parses and compiles a CloudWatch Logs JSON filter pattern; throws a FilterPatternSyntaxError naming the position. */
export function parseFilterPattern(text: string): FilterPattern {
  const expression = new Parser(text).parsePattern();
  return { source: text, expression, test: compile(expression) };
}

/**
 * Whether a log event matches: `record` is a parsed JSON object (a CloudTrail record) or its JSON text. Anything else,
 * like a log line that is not a JSON object, matches no JSON pattern.
 */
export function matchesFilterPattern(pattern: FilterPattern, record: unknown): boolean {
  let event = record;
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event);
    } catch {
      return false;
    }
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  return pattern.test(event as Record<string, unknown>);
}

// Parsing

const NAME = /[A-Za-z0-9_\-@:]/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Characters that end a bare (unquoted) value. */
const BARE_END = /[\s()&|{}]/;

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  parsePattern(): FilterExpression {
    this.skipSpace();
    if (this.peek() !== '{') this.fail('"{" (only JSON filter patterns are supported)');
    this.position++;
    const expression = this.parseOr();
    this.skipSpace();
    this.expect('}', '"&&", "||" or "}"');
    this.skipSpace();
    if (this.position < this.text.length) this.fail('the end of the pattern after "}"');
    return expression;
  }

  private parseOr(): FilterExpression {
    const operands = [this.parseAnd()];
    while (this.skipSpace(), this.text.startsWith('||', this.position)) {
      this.position += 2;
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): FilterExpression {
    const operands = [this.parsePrimary()];
    while (this.skipSpace(), this.text.startsWith('&&', this.position)) {
      this.position += 2;
      operands.push(this.parsePrimary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parsePrimary(): FilterExpression {
    this.skipSpace();
    if (this.peek() === '(') {
      this.position++;
      const inner = this.parseOr();
      this.skipSpace();
      this.expect(')', '"&&", "||" or ")"');
      return inner;
    }
    if (this.peek() === '$') return this.parseCondition();
    return this.fail('a property selector ("$.field") or "("');
  }

  private parseCondition(): FilterExpression {
    const selector = this.parseSelector();
    this.skipSpace();
    const operator = this.readOperator();
    if (operator) {
      this.skipSpace();
      return { kind: 'compare', selector, operator, value: this.parseValue(operator) };
    }
    const keywordAt = this.position;
    const keyword = this.readWord();
    if (keyword === 'IS') {
      this.skipSpace();
      const valueAt = this.position;
      const value = this.readWord();
      if (value === 'TRUE') return { kind: 'is', selector, value: true };
      if (value === 'FALSE') return { kind: 'is', selector, value: false };
      if (value === 'NULL') return { kind: 'is', selector, value: null };
      this.position = valueAt;
      return this.fail('TRUE, FALSE or NULL after IS ("IS NOT" is not supported by CloudWatch Logs)');
    }
    if (keyword === 'NOT') {
      this.skipSpace();
      const existsAt = this.position;
      if (this.readWord() === 'EXISTS') return { kind: 'not-exists', selector };
      this.position = existsAt;
      return this.fail('EXISTS after NOT');
    }
    this.position = keywordAt;
    if (keyword === 'EXISTS') {
      return this.fail('NOT EXISTS ("EXISTS" alone is not supported by CloudWatch Logs; use ' + `${selector.text} = "*")`);
    }
    return this.fail('a comparison operator (=, !=, <, >, <=, >=), IS or NOT EXISTS');
  }

  private parseSelector(): Selector {
    const start = this.position;
    this.position++; // "$"
    const steps: SelectorStep[] = [];
    for (;;) {
      const char = this.peek();
      if (char === '.') {
        this.position++;
        if (this.peek() === '*') {
          this.position++;
          steps.push({ any: true });
        } else if (this.peek() === '[') {
          steps.push(this.parseBracket());
        } else {
          const nameAt = this.position;
          while (this.position < this.text.length && NAME.test(this.text[this.position])) this.position++;
          if (this.position === nameAt) this.fail('a field name after "."');
          steps.push({ key: this.text.slice(nameAt, this.position) });
        }
      } else if (char === '[') {
        steps.push(this.parseBracket());
      } else {
        break;
      }
    }
    if (steps.length === 0) {
      this.fail('"." and a field name after "$"');
    }
    if (steps.filter((step) => 'any' in step).length > 1) {
      this.position = start;
      this.fail('at most one wildcard ("*") in a property selector');
    }
    return { text: this.text.slice(start, this.position), steps };
  }

  /** `[0]`, `[*]` or `['key.with.dots']`. */
  private parseBracket(): SelectorStep {
    this.position++; // "["
    let step: SelectorStep;
    if (this.peek() === '*') {
      this.position++;
      step = { any: true };
    } else if (this.peek() === "'") {
      this.position++;
      const end = this.text.indexOf("'", this.position);
      if (end < 0) this.fail('a closing "\'"');
      step = { key: this.text.slice(this.position, end) };
      this.position = end + 1;
    } else {
      const digitsAt = this.position;
      while (/\d/.test(this.peek())) this.position++;
      if (this.position === digitsAt) this.fail('an array index, "*" or a quoted key inside "[ ]"');
      step = { index: Number(this.text.slice(digitsAt, this.position)) };
    }
    this.expect(']', '"]"');
    return step;
  }

  private readOperator(): ComparisonOperator | undefined {
    for (const operator of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.text.startsWith(operator, this.position)) {
        this.position += operator.length;
        return operator;
      }
    }
    return undefined;
  }

  private parseValue(operator: ComparisonOperator): FilterValue {
    const start = this.position;
    const char = this.peek();
    let value: FilterValue;
    if (char === '"') {
      value = { type: 'string', text: this.readQuoted() };
    } else if (char === '%') {
      const end = this.text.indexOf('%', this.position + 1);
      if (end < 0) this.fail('a closing "%" ending the regular expression');
      const source = this.text.slice(this.position + 1, end);
      try {
        new RegExp(source);
      } catch {
        this.fail('a valid regular expression between "%"');
      }
      this.position = end + 1;
      value = { type: 'regex', source };
    } else {
      while (this.position < this.text.length && !BARE_END.test(this.text[this.position])) this.position++;
      const word = this.text.slice(start, this.position);
      if (word.length === 0) this.fail('a value after the operator');
      value = NUMBER.test(word) ? { type: 'number', value: Number(word) } : { type: 'string', text: word };
    }
    if (operator !== '=' && operator !== '!=' && value.type !== 'number') {
      this.position = start;
      this.fail(`a number after "${operator}"`);
    }
    return value;
  }

  private readQuoted(): string {
    this.position++; // opening quote
    let text = '';
    while (this.position < this.text.length) {
      const char = this.text[this.position++];
      if (char === '"') return text;
      if (char === '\\' && this.position < this.text.length) {
        text += this.text[this.position++];
      } else {
        text += char;
      }
    }
    return this.fail('a closing \'"\'');
  }

  private readWord(): string {
    const start = this.position;
    while (/[A-Za-z]/.test(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }

  private expect(char: string, expected: string): void {
    if (this.peek() !== char) this.fail(expected);
    this.position++;
  }

  private peek(): string {
    return this.text[this.position] ?? '';
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) this.position++;
  }

  private fail(expected: string): never {
    throw new FilterPatternSyntaxError(this.position, expected, this.text);
  }
}

// Compiling

type Event = Record<string, unknown>;
type Matcher = (event: Event) => boolean;
type Test = (value: unknown) => boolean;

/** The value at a wildcard-free path, or undefined when any step is missing. */
function follow(node: unknown, steps: readonly SelectorStep[], from: number): unknown {
  let current = node;
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (typeof current !== 'object' || current === null) return undefined;
    if ('key' in step) {
      if (Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, step.key)) return undefined;
      current = (current as Record<string, unknown>)[step.key];
    } else if ('index' in step) {
      if (!Array.isArray(current)) return undefined;
      current = current[step.index];
    }
  }
  return current;
}

/** Whether some value the selector reaches passes the test (absent values are not offered to it). */
function selectorMatcher(selector: Selector, test: Test): Matcher {
  const { steps } = selector;
  const wildcard = steps.findIndex((step) => 'any' in step);
  if (wildcard < 0) {
    return (event) => {
      const value = follow(event, steps, 0);
      return value !== undefined && test(value);
    };
  }
  const head = steps.slice(0, wildcard);
  return (event) => {
    const container = follow(event, head, 0);
    if (typeof container !== 'object' || container === null) return false;
    const children = Array.isArray(container) ? container : Object.values(container);
    for (const child of children) {
      const value = follow(child, steps, wildcard + 1);
      if (value !== undefined && test(value)) return true;
    }
    return false;
  };
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value)) return Number(value);
  return undefined;
}

/** A test of a scalar's text: exact, wildcard (`*`) or regex, each prepared once. */
function textTest(value: FilterValue): (text: string) => boolean {
  if (value.type === 'regex') {
    const regex = new RegExp(value.source);
    return (text) => regex.test(text);
  }
  const literal = value.type === 'number' ? String(value.value) : value.text;
  if (!literal.includes('*')) return (text) => text === literal;
  const regex = new RegExp(`^${literal.split('*').map(escapeRegex).join('.*')}$`, 's');
  return (text) => regex.test(text);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function comparisonTest(operator: ComparisonOperator, value: FilterValue): Test {
  if (value.type === 'number' && operator !== '=' && operator !== '!=') {
    const bound = value.value;
    const compare = {
      '<': (n: number) => n < bound,
      '>': (n: number) => n > bound,
      '<=': (n: number) => n <= bound,
      '>=': (n: number) => n >= bound,
    }[operator];
    return (candidate) => {
      const n = asNumber(candidate);
      return n !== undefined && compare(n);
    };
  }
  let equals: (candidate: string | number | boolean) => boolean;
  if (value.type === 'number') {
    const expected = value.value;
    equals = (candidate) => asNumber(candidate) === expected;
  } else {
    const matchText = textTest(value);
    equals = (candidate) => matchText(String(candidate));
  }
  // Arrays, objects and null are not values a comparison can match, with either operator.
  return operator === '='
    ? (candidate) => isScalar(candidate) && equals(candidate)
    : (candidate) => isScalar(candidate) && !equals(candidate);
}

function compile(expression: FilterExpression): Matcher {
  switch (expression.kind) {
    case 'and': {
      const operands = expression.operands.map(compile);
      return (event) => {
        for (const operand of operands) if (!operand(event)) return false;
        return true;
      };
    }
    case 'or': {
      const operands = expression.operands.map(compile);
      return (event) => {
        for (const operand of operands) if (operand(event)) return true;
        return false;
      };
    }
    case 'compare':
      return selectorMatcher(expression.selector, comparisonTest(expression.operator, expression.value));
    case 'is': {
      const expected = expression.value;
      return selectorMatcher(expression.selector, (candidate) => candidate === expected);
    }
    case 'not-exists': {
      const exists = selectorMatcher(expression.selector, () => true);
      return (event) => !exists(event);
    }
  }
}
