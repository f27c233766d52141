/*
 * IPv4 and IPv6 addresses and networks. Hand-written rather than ipaddr.js: the hot path parses one address per
 * event, and a character loop without regular expressions or allocations keeps rule evaluation fast.
 */

/** An IPv4 address as an unsigned 32-bit number, or an IPv6 address as four 32-bit words. */
export type IpAddress = { readonly v6: false; readonly value: number } | { readonly v6: true; readonly words: readonly number[] };

export interface Cidr {
  readonly address: IpAddress;
  readonly prefixLength: number;
}

/** Parses a dotted IPv4 address; undefined unless it is exactly four decimal octets. */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      if (digits > 0 && octet === 0) return undefined; // leading zero: ambiguous (octal in some parsers)
      octet = octet * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (code === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

/** Parses an IPv6 address (with "::" and an optional embedded IPv4 tail; a zone such as "%eth0" is ignored). */
export function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  const address = zone >= 0 ? text.slice(0, zone) : text;
  if (address.indexOf(':') < 0) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const result: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index];
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        result.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        result.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return result;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return [0, 2, 4, 6].map((at) => ((all[at] << 16) | all[at + 1]) >>> 0);
}

/** Parses an address of either family; IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are treated as IPv4. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const words = parseIpv6(text);
  if (!words) return undefined;
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { v6: false, value: words[3] };
  return { v6: true, words };
}

/** Parses "address/prefix-length"; undefined when either part is invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1))) return undefined;
  const prefixLength = Number(text.slice(slash + 1));
  const v4 = parseIpv4(text.slice(0, slash));
  if (v4 !== undefined) return prefixLength <= 32 ? { address: { v6: false, value: v4 }, prefixLength } : undefined;
  const words = parseIpv6(text.slice(0, slash));
  return words && prefixLength <= 128 ? { address: { v6: true, words }, prefixLength } : undefined;
}

const maskOf = (bits: number): number => (bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0);

/** A set of networks compiled once; `contains` answers for a source address as CloudTrail writes it. */
export class NetworkSet {
  private readonly v4: { network: number; mask: number }[] = [];
  private readonly v6: { words: number[]; prefixLength: number }[] = [];

  constructor(cidrs: readonly string[]) {
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      if (!cidr) throw new Error(`not a CIDR: ${JSON.stringify(text)}`);
      if (!cidr.address.v6) {
        const mask = maskOf(cidr.prefixLength);
        this.v4.push({ network: (cidr.address.value & mask) >>> 0, mask });
      } else {
        this.v6.push({ words: [...cidr.address.words], prefixLength: cidr.prefixLength });
      }
    }
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** True when the text is an IP address inside one of the networks; false for anything else ("AWS Internal"). */
  contains(text: string): boolean {
    const v4 = parseIpv4(text);
    if (v4 !== undefined) {
      for (const { network, mask } of this.v4) if (((v4 & mask) >>> 0) === network) return true;
      return false;
    }
    // IPv6 parsing allocates; the same few addresses recur in a trail, so answers are remembered (bounded).
    const known = this.answers.get(text);
    if (known !== undefined) return known;
    const address = parseIp(text);
    const inside = address !== undefined && this.containsAddress(address);
    if (this.answers.size >= 4096) this.answers.clear();
    this.answers.set(text, inside);
    return inside;
  }

  private readonly answers = new Map<string, boolean>();

  containsAddress(address: IpAddress): boolean {
    if (!address.v6) {
      for (const { network, mask } of this.v4) if (((address.value & mask) >>> 0) === network) return true;
      return false;
    }
    for (const { words, prefixLength } of this.v6) {
      let inside = true;
      for (let word = 0; word < 4 && inside; word++) {
        const mask = maskOf(prefixLength - word * 32);
        inside = ((address.words[word] & mask) >>> 0) === ((words[word] & mask) >>> 0);
      }
      if (inside) return true;
    }
    return false;
  }
}
