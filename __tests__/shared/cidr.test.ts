import { cidrProblem, parseNetwork } from '../../functions/shared/cidr';

describe('the one CIDR parser', () => {
  it.each(['203.0.113.0/24', '10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '2001:db8::/32', '::/0', '::ffff:10.0.0.1/128', 'FE80::1/64'])(
    'accepts %s',
    (text) => {
      expect(cidrProblem(text)).toBeUndefined();
    },
  );

  it.each([
    ['10.1/16', 'an IPv4 address has four decimal parts ("10.1.0.0", not "10.1"); this one has 2'],
    ['10.0.0.0.0/8', 'an IPv4 address has four decimal parts ("10.1.0.0", not "10.1"); this one has 5'],
    ['010.0.0.0/8', 'a part with a leading zero is read as octal by some parsers; write "10.0.0.0", not "010.0.0.0"'],
    ['10.0.0.00/8', 'a part with a leading zero is read as octal by some parsers; write "10.0.0.0", not "010.0.0.0"'],
    ['0x0a000000/8', 'hexadecimal parts are not accepted; write four decimal parts such as "10.0.0.0"'],
    ['10.0x1.0.0/8', 'hexadecimal parts are not accepted; write four decimal parts such as "10.0.0.0"'],
    ['256.0.0.0/8', 'each of the four parts is a decimal number from 0 to 255'],
    ['1.2.3.1000/32', 'each of the four parts is a decimal number from 0 to 255'],
    ['10.0.0.0', 'a network needs a prefix length after "/", such as "203.0.113.0/24"'],
    ['10.0.0.0/33', 'the prefix length after "/" is a decimal number from 0 to 32'],
    ['10.0.0.0/08', 'the prefix length after "/" is a decimal number from 0 to 32'],
    ['10.0.0.0/', 'the prefix length after "/" is a decimal number from 0 to 32'],
    ['2001:db8::/129', 'the prefix length after "/" is a decimal number from 0 to 128'],
    ['fe80::1%eth0/64', 'an IPv6 address has hexadecimal groups separated by ":" (no zone such as "%eth0")'],
    ['2001:db8:::/32', 'not a valid IPv6 address'],
    ['::ffff:010.0.0.1/128', 'its IPv4 tail "010.0.0.1": a part with a leading zero is read as octal by some parsers; write "10.0.0.0", not "010.0.0.0"'],
  ])('rejects %s: %s', (text, reason) => {
    expect(cidrProblem(text)).toBe(reason);
  });

  it('parses what it accepts, and nothing else', () => {
    expect(parseNetwork('203.0.113.0/24')).toEqual({ version: 4, text: '203.0.113.0/24', prefixLength: 24 });
    expect(parseNetwork('2001:db8::/32')).toEqual({ version: 6, text: '2001:db8::/32', prefixLength: 32 });
    expect(parseNetwork('10.1/16')).toBeUndefined();
  });
});
