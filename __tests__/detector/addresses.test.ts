import { NetworkSet, parseCidr, parseIp, parseIpv4, parseIpv6 } from '../../functions/detector/network';

/* Address parsing and network membership at their edges: octet limits, "::" placement, prefix boundaries. */

describe('IPv4 addresses', () => {
  it('are four decimal octets of 0 to 255', () => {
    expect(parseIpv4('0.0.0.0')).toBe(0);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('203.0.113.9')).toBe(((203 * 256 + 0) * 256 + 113) * 256 + 9);
    expect(parseIpv4('10.0.0.10')).toBe(0x0a00000a);
    expect(parseIpv4('1.2.3.199')).toBe(0x010203c7);
  });

  it.each(['256.0.0.1', '1.2.3.256', '1.2.3.1000', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', '1.2.3.a', '1.2.3.4/', '1.2.3.:', ''])(
    'refuses %j',
    (text) => {
      expect(parseIpv4(text)).toBeUndefined();
    },
  );
});

describe('IPv6 addresses', () => {
  const words = (text: string) => parseIpv6(text)?.map((word) => word.toString(16));

  it('expand "::" to the missing groups wherever it stands', () => {
    expect(words('::')).toEqual(['0', '0', '0', '0']);
    expect(words('::1')).toEqual(['0', '0', '0', '1']);
    expect(words('2001:db8::')).toEqual(['20010db8', '0', '0', '0']);
    expect(words('2001:db8::ff:1')).toEqual(['20010db8', '0', '0', 'ff0001']);
    expect(words('1:2:3:4:5:6:7:8')).toEqual(['10002', '30004', '50006', '70008']);
    expect(words('1:2:3:4:5:6::8')).toEqual(['10002', '30004', '50006', '8']);
    expect(words('FFFF:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual(['ffffffff', 'ffffffff', 'ffffffff', 'ffffffff']);
  });

  it('read an embedded IPv4 tail as the last two groups, and ignore a zone', () => {
    expect(words('64:ff9b::192.0.2.33')).toEqual(['64ff9b', '0', '0', 'c0000221']);
    expect(words('::ffff:203.0.113.9')).toEqual(['0', '0', 'ffff', 'cb007109']);
    expect(words('fe80::1%eth0')).toEqual(['fe800000', '0', '0', '1']);
    expect(words('fe80::1%')).toEqual(['fe800000', '0', '0', '1']);
  });

  it.each([
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1::2::3',
    '12345::',
    '::g',
    '1:2:3:4:5:6:7:',
    ':1:2:3:4:5:6:7',
    '::1.2.3',
    '::1.2.3.4:5',
    'fe80',
    '',
  ])('refuses %j', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});

describe('addresses of either family', () => {
  it('read IPv4-mapped IPv6 addresses as the IPv4 address they carry, and nothing else', () => {
    expect(parseIp('::ffff:203.0.113.9')).toEqual({ v6: false, value: parseIpv4('203.0.113.9') });
    expect(parseIp('::ffff:cb00:7109')).toEqual({ v6: false, value: parseIpv4('203.0.113.9') });
    expect(parseIp('::fffe:203.0.113.9')).toMatchObject({ v6: true });
    expect(parseIp('0:0:1:ffff:cb00:7109::')).toMatchObject({ v6: true });
    expect(parseIp('::1:0:ffff:cb00:7109')).toMatchObject({ v6: true });
    expect(parseIp('1::ffff:203.0.113.9')).toMatchObject({ v6: true });
    expect(parseIp('::1:ffff:203.0.113.9')).toMatchObject({ v6: true });
    expect(parseIp('203.0.113.9')).toEqual({ v6: false, value: parseIpv4('203.0.113.9') });
    expect(parseIp('2001:db8::1')).toEqual({ v6: true, words: [0x20010db8, 0, 0, 1] });
    expect(parseIp('AWS Internal')).toBeUndefined();
  });
});

describe('CIDRs', () => {
  it('take a prefix length of one to three digits up to the family size', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: { v6: false, value: 0x0a000000 }, prefixLength: 8 });
    expect(parseCidr('10.0.0.0/32')).toMatchObject({ prefixLength: 32 });
    expect(parseCidr('2001:db8::/128')).toEqual({ address: { v6: true, words: [0x20010db8, 0, 0, 0] }, prefixLength: 128 });
    for (const text of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/1000', '10.0.0.0/-1', '10.0.0.0/ 8', '10.0.0/8', 'x/8', '2001:db8::/0129', '/8']) {
      expect([text, parseCidr(text)]).toEqual([text, undefined]);
    }
  });
});

describe('network sets', () => {
  it('refuse what is not a CIDR, naming it', () => {
    expect(() => new NetworkSet(['10.0.0.0/8', '10.0.0.0'])).toThrow('not a CIDR: "10.0.0.0"');
  });

  it('count their networks', () => {
    expect(new NetworkSet([]).size).toBe(0);
    expect(new NetworkSet(['10.0.0.0/8', '2001:db8::/32', '192.0.2.0/24']).size).toBe(3);
  });

  it('hold IPv4 networks to their prefix, whatever host bits the CIDR was written with', () => {
    const set = new NetworkSet(['192.0.2.77/24', '198.51.100.7/32', '100.64.0.0/10']);
    expect(set.contains('192.0.2.0')).toBe(true);
    expect(set.contains('192.0.2.255')).toBe(true);
    expect(set.contains('192.0.3.0')).toBe(false);
    expect(set.contains('198.51.100.7')).toBe(true);
    expect(set.contains('198.51.100.6')).toBe(false);
    expect(set.contains('100.127.255.255')).toBe(true);
    expect(set.contains('100.128.0.0')).toBe(false);
    expect(set.contains('::ffff:192.0.2.9')).toBe(true);
    expect(set.contains('::ffff:192.0.3.9')).toBe(false);
    expect(set.containsAddress({ v6: false, value: parseIpv4('192.0.2.1')! })).toBe(true);
    expect(set.containsAddress({ v6: false, value: parseIpv4('192.0.3.1')! })).toBe(false);
  });

  it('hold IPv6 networks to their prefix across word boundaries', () => {
    const set = new NetworkSet(['2001:db8:1234::/48', '2600:1f18:0:8000::/49', 'fd00::/8', '2001:db8:ffff:ffff:ffff:ffff:ffff:fff0/124', '2001:db8:aaaa:bbbb:cccc::/80']);
    expect(set.contains('2001:db8:1234:ffff::1')).toBe(true);
    expect(set.contains('2001:db8:1235::1')).toBe(false);
    expect(set.contains('2600:1f18:0:8000::1')).toBe(true);
    expect(set.contains('2600:1f18:0:7fff::1')).toBe(false);
    expect(set.contains('fdff::1')).toBe(true);
    expect(set.contains('fe00::1')).toBe(false);
    expect(set.contains('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(set.contains('2001:db8:ffff:ffff:ffff:ffff:ffff:ffef')).toBe(false);
    expect(set.contains('2001:db8:aaaa:bbbb:cccc:ffff::')).toBe(true);
    expect(set.contains('2001:db8:aaaa:bbbb:cccd::')).toBe(false);
    expect(set.contains('2001:db8:aaaa:bbbc:cccc::')).toBe(false);
    expect(set.contains('192.0.2.1')).toBe(false);
  });

  it('answer an address the same when asked again, and past the size of their memory', () => {
    const set = new NetworkSet(['2001:db8::/32']);
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index < 5000; index++) {
        const inside = index % 2 === 0;
        const address = `${inside ? '2001:db8' : '2001:db9'}::${index.toString(16)}`;
        if (set.contains(address) !== inside) throw new Error(`${address} judged wrongly in round ${round}`);
      }
    }
    expect(set.contains('not an address')).toBe(false);
    expect(set.contains('not an address')).toBe(false);
  });

  it('contain every address with a zero-length prefix of its family only', () => {
    expect(new NetworkSet(['::/0']).contains('2001:db8::1')).toBe(true);
    expect(new NetworkSet(['::/0']).contains('192.0.2.1')).toBe(false);
    expect(new NetworkSet(['0.0.0.0/0']).contains('255.255.255.255')).toBe(true);
  });
});
