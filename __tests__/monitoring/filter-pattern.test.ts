import { FilterPatternSyntaxError, matchesFilterPattern, parseFilterPattern } from '../../lib/monitoring/filter-pattern';

/* The JSON log event of the CloudWatch Logs filter pattern syntax reference, with its documented examples. */
const referenceEvent = {
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  'cluster.name': 'c',
  ThisFlag: true,
  OtherFlag: false,
  latency: 42,
  bandwidth: '80',
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
  ],
};

const matches = (pattern: string, event: unknown = referenceEvent) => matchesFilterPattern(parseFilterPattern(pattern), event);

function syntaxError(pattern: string): FilterPatternSyntaxError {
  try {
    parseFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected "${pattern}" to be rejected`);
}

describe('string comparisons', () => {
  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = UpdateTrail }', true],
    ['{ $.eventType="UpdateTrail" }', true],
    ['{ $.eventType = "updatetrail" }', false],
    ['{ $.eventType != "UpdateTrail" }', false],
    ['{ $.eventType != "CreateTrail" }', true],
  ])('%s is %s', (pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });

  it('treats "*" as a wildcard anywhere in a quoted or bare value', () => {
    expect(matches('{ $.eventType = "*Trail" }')).toBe(true);
    expect(matches('{ $.eventType = "Update*" }')).toBe(true);
    expect(matches('{ $.eventType = "U*e*l" }')).toBe(true);
    expect(matches('{ $.eventType = "*Bucket*" }')).toBe(false);
    expect(matches('{ $.sourceIPAddress != 123.123.* }')).toBe(true);
    expect(matches('{ $.sourceIPAddress != 111.111.* }')).toBe(false);
  });

  it('treats regex characters in values literally', () => {
    expect(matches('{ $.sourceIPAddress = "111.111.111.111" }')).toBe(true);
    expect(matches('{ $.sourceIPAddress = "111a111.111.111" }')).toBe(false);
  });

  it('matches regular expressions between "%" anywhere in the value', () => {
    expect(matches('{ $.eventType = %Trail% }')).toBe(true);
    expect(matches('{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }')).toBe(true);
    expect(matches('{ $.eventType = %^Trail% }')).toBe(false);
  });
});

describe('numbers', () => {
  it.each([
    ['{ $.latency = 42 }', true],
    ['{ $.latency != 42 }', false],
    ['{ $.latency > 41 }', true],
    ['{ $.latency >= 42 }', true],
    ['{ $.latency < 42 }', false],
    ['{ $.latency <= 4.2e1 }', true],
    ['{ $.bandwidth > 75 }', true],
    ['{ $.objectList[1].id = 2 }', true],
    ['{ $.eventType > 1 }', false],
  ])('%s is %s', (pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });

  it('matches numbers with a wildcard as text', () => {
    expect(matches('{ $.latency = 4* }')).toBe(true);
    expect(matches('{ $.latency = 5* }')).toBe(false);
  });
});

describe('IS and NOT EXISTS', () => {
  it.each([
    ['{ $.SomeObject IS NULL }', true],
    ['{ $.eventType IS NULL }', false],
    ['{ $.Missing IS NULL }', false],
    ['{ $.ThisFlag IS TRUE }', true],
    ['{ $.ThisFlag IS FALSE }', false],
    ['{ $.OtherFlag IS FALSE }', true],
    ['{ $.SomeOtherObject NOT EXISTS }', true],
    ['{ $.SomeObject NOT EXISTS }', false],
    ['{ $.user.id NOT EXISTS }', false],
    ['{ $.user.name NOT EXISTS }', true],
  ])('%s is %s', (pattern, expected) => {
    expect(matches(pattern)).toBe(expected);
  });
});

describe('absent fields', () => {
  it('makes every comparison false, "!=" included', () => {
    expect(matches('{ $.missing = "x" }')).toBe(false);
    expect(matches('{ $.missing != "x" }')).toBe(false);
    expect(matches('{ $.user.missing.deeper != "x" }')).toBe(false);
  });

  it('is how "absent or different" must be written', () => {
    expect(matches('{ ($.missing != "x") || ($.missing NOT EXISTS) }')).toBe(true);
  });
});

describe('arrays and objects in the event', () => {
  it('selects array elements by index', () => {
    expect(matches('{ $.arrayKey[0] = "value" }')).toBe(true);
    expect(matches('{ $.arrayKey[1] = "value" }')).toBe(false);
    expect(matches('{ $.arrayKey[5] = "value" }')).toBe(false);
    expect(matches('{ $.users[0].email = "John.Doe@example.com" }')).toBe(true);
    expect(matches('{ $.coordinates[1][0] = 4 }')).toBe(true);
  });

  it('is false when the selector points at an array or an object', () => {
    expect(matches('{ $.arrayKey = "value" }')).toBe(false);
    expect(matches('{ $.arrayKey != "value" }')).toBe(false);
    expect(matches('{ $.user = "*" }')).toBe(false);
    expect(matches('{ $.ThisFlag[0] = "value" }')).toBe(false);
    expect(matches('{ $.objectList[1].number = 2 }')).toBe(false);
  });

  it('matches when any element or field selected by "*" matches', () => {
    expect(matches('{ $.actions[*] = "PUT" }')).toBe(true);
    expect(matches('{ $.actions[*] = "PATCH" }')).toBe(false);
    expect(matches('{ $.users[*].id = 3 }')).toBe(true);
    expect(matches('{ $.user.* = "John.Stiles@example.com" }')).toBe(true);
    expect(matches('{ $.arrayKey[*] = %val.{2}% }')).toBe(true);
  });

  it('reads keys with dots through bracket notation', () => {
    expect(matches("{ $.['cluster.name'] = \"c\" }")).toBe(true);
    expect(matches('{ $.cluster.name = "c" }')).toBe(false);
  });
});

describe('compound expressions', () => {
  it('binds "&&" tighter than "||", as documented', () => {
    expect(matches('{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }')).toBe(true);
    expect(matches('{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }')).toBe(false);
    expect(matches('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }')).toBe(false);
    expect(matches('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }')).toBe(true);
  });

  it('nests parentheses', () => {
    expect(matches('{ (($.latency = 1) || (($.latency = 42))) && ((($.eventType = UpdateTrail))) }')).toBe(true);
  });
});

describe('events', () => {
  it('accepts the JSON text of an event', () => {
    expect(matches('{ $.eventType = "UpdateTrail" }', JSON.stringify(referenceEvent))).toBe(true);
  });

  it('matches nothing that is not a JSON object, whatever the pattern', () => {
    const pattern = parseFilterPattern('{ $.anything NOT EXISTS }');
    for (const event of ['not json', '[1,2]', 'null', 42, null, undefined, ['x']]) {
      expect(matchesFilterPattern(pattern, event)).toBe(false);
    }
  });

  it('ignores inherited properties', () => {
    expect(matches('{ $.constructor NOT EXISTS }', {})).toBe(true);
    expect(matches('{ $.toString = "*" }', {})).toBe(false);
  });
});

describe('syntax errors', () => {
  it.each([
    ['$.a = 1', 0, /"\{"/],
    ['{ $.a = 1', 9, /"}"/],
    ['{ $.a = }', 8, /a value/],
    ['{ ($.a = 1 }', 11, /"\)"/],
    ['{ $.a > x }', 8, /a number after ">"/],
    ['{ $.a EXISTS }', 6, /NOT EXISTS/],
    ['{ $.a IS NOT NULL }', 9, /TRUE, FALSE or NULL/],
    ['{ $.a IS MAYBE }', 9, /TRUE, FALSE or NULL/],
    ['{ $ = 1 }', 3, /field name after "\$"/],
    ['{ $.a[x] = 1 }', 6, /array index/],
    ['{ $.a ~ 1 }', 6, /comparison operator/],
    ['{ $.a = 1 } extra', 12, /end of the pattern/],
    ['{ $.a = 1 && }', 13, /property selector/],
    ['{ $.a = "open }', 15, /closing '"'/],
    ['{ $.a = %[% }', 8, /regular expression/],
    ['{ $.a[*].b[*] = 1 }', 2, /one wildcard/],
  ])('%s fails at position %i', (pattern, position, expected) => {
    const error = syntaxError(pattern);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`position ${position}`);
    expect(error.message).toMatch(expected);
  });

  it('is an Error', () => {
    expect(() => parseFilterPattern('{')).toThrow(Error);
  });
});

// Speed is measured by bench/, never asserted here (a timed assertion fails on a loaded machine).
describe('repeated evaluation', () => {
  it('gives the same answers when one compiled pattern judges many events in turn', () => {
    const pattern = parseFilterPattern(
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") }',
    );
    const events = [
      { errorCode: 'Client.UnauthorizedOperation', sourceIPAddress: '198.51.100.1' },
      { errorCode: 'AccessDenied', sourceIPAddress: 'delivery.logs.amazonaws.com' },
      { eventName: 'GetObject', sourceIPAddress: '198.51.100.1' },
    ];
    let count = 0;
    for (let i = 0; i < 30_000; i++) if (matchesFilterPattern(pattern, events[i % 3])) count++;
    expect(count).toBe(10_000);
  });
});
