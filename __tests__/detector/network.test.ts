import * as ipaddr from 'ipaddr.js';
import { NetworkSet, parseCidr, parseIp } from '../../functions/detector/network';
import { compileKeyPatterns } from '../../functions/detector/patterns';

describe('networks', () => {
  it('agrees with ipaddr.js on random addresses against IPv4 and IPv6 networks', () => {
    const cidrs = ['10.0.0.0/8', '203.0.113.128/25', '192.0.2.7/32', '2001:db8:1234::/48', '2600:1f18::/33', 'fd00::/7'];
    const set = new NetworkSet(cidrs);
    const parsed = cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const hex = () => Math.floor(random() * 65536).toString(16);
    const octet = () => Math.floor(random() * 256);
    const v6Prefixes = [['2001', 'db8', '1234'], ['2001', 'db8', '1235'], ['2600', '1f18'], ['2600', '1f18', 'ffff'], ['fd12'], ['fe80']];
    const v4Prefixes = [[10], [11], [203, 0, 113], [192, 0, 2, 7], [192, 0, 2]];
    const samples: string[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 2 === 0) {
        const prefix = v6Prefixes[i % v6Prefixes.length];
        const groups = [...prefix, ...Array.from({ length: 8 - prefix.length }, hex)];
        if (i % 3 === 0) groups[6] = '0';
        samples.push(i % 3 === 0 ? `${groups.slice(0, 6).join(':')}::${groups[7]}` : groups.join(':'));
      } else {
        const prefix = v4Prefixes[i % v4Prefixes.length];
        samples.push([...prefix, ...Array.from({ length: 4 - prefix.length }, octet)].join('.'));
      }
    }
    let insideCount = 0;
    for (const sample of samples) {
      expect(ipaddr.isValid(sample)).toBe(true);
      const address = ipaddr.parse(sample);
      const expected = parsed.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));
      expect([sample, set.contains(sample)]).toEqual([sample, expected]);
      if (expected) insideCount++;
    }
    expect(insideCount).toBeGreaterThan(500);
    expect(samples.length - insideCount).toBeGreaterThan(500);
  });

  it('reads IPv4-mapped IPv6 addresses as IPv4 and rejects what is not an address', () => {
    const set = new NetworkSet(['203.0.113.0/24']);
    expect(set.contains('::ffff:203.0.113.9')).toBe(true);
    for (const text of ['AWS Internal', 's3.amazonaws.com', '', '203.0.113', '203.0.113.256', '203.0.113.09', '1:2:3', '1::2::3']) {
      expect([text, parseIp(text)]).toEqual([text, undefined]);
    }
    expect(parseCidr('0.0.0.0/0')).toBeDefined();
    expect(parseCidr('::/0')).toBeDefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('2001:db8::/129')).toBeUndefined();
    expect(new NetworkSet(['0.0.0.0/0']).contains('8.8.8.8')).toBe(true);
    expect(new NetworkSet(['0.0.0.0/0']).contains('2001:db8::1')).toBe(false);
  });
});

describe('key patterns', () => {
  it('treats regular-expression characters in globs literally', () => {
    const matches = compileKeyPatterns(['reports/(2026)+.csv', 'a?c', 'keyword:[x]']);
    expect(matches('REPORTS/(2026)+.CSV')).toBe(true);
    expect(matches('reports/2026.csv')).toBe(false);
    expect(matches('abc')).toBe(true);
    expect(matches('abbc')).toBe(false);
    expect(matches('dir/[X]/file')).toBe(true);
    expect(matches('line\nbreak.csv')).toBe(false);
  });
});
