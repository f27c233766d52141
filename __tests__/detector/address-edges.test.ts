import { parseCidr, parseIpv4, parseIpv6 } from '../../functions/detector/network';

/* Separators and "::" where only a lenient parser would take them. */

describe('address edges', () => {
  it('take only "." between IPv4 octets', () => {
    for (const text of ['1.2.3-4', '1-2-3-4', 'a1.2.3', '1.2.3:4']) expect([text, parseIpv4(text)]).toEqual([text, undefined]);
  });

  it('take "::" standing for one group or more at either end', () => {
    expect(parseIpv6('1:2:3:4:5:6:7::')).toEqual([0x10002, 0x30004, 0x50006, 0x70000]);
    expect(parseIpv6('::2:3:4:5:6:7:8')).toEqual([0x2, 0x30004, 0x50006, 0x70008]);
  });

  it('refuse a second "::" even after eight groups', () => {
    expect(parseIpv6('1:2:3:4:5:6:7:8::1::')).toBeUndefined();
  });

  it('refuse a prefix length followed by anything', () => {
    expect(parseCidr('10.0.0.0/8 ')).toBeUndefined();
    expect(parseCidr('2001:db8::/32 ')).toBeUndefined();
  });
});
