import * as ipaddr from 'ipaddr.js';

/*
 * The one definition of a network (CIDR) the product accepts, for the configuration and for the detector alike: the
 * forms every consumer reads the same way. Parsers disagree on the rest: "10.1/16" is 10.0.0.1 to inet_aton and
 * 10.1.0.0 to others, "010.0.0.0/8" is octal 8.0.0.0 to some, and IAM's aws:SourceIp takes the text as it is. So only
 * dotted-quad IPv4 with decimal parts and no leading zeros, and IPv6 in hexadecimal groups, are networks here.
 * Pure (ipaddr.js only): the detector bundles it.
 */

const DECIMAL_PART = /^(?:0|[1-9]\d{0,2})$/;

function ipv4Problem(text: string): string | undefined {
  if (text.split('.').some((part) => /^0x/i.test(part))) return 'hexadecimal parts are not accepted; write four decimal parts such as "10.0.0.0"';
  const parts = text.split('.');
  if (parts.length !== 4) return `an IPv4 address has four decimal parts ("10.1.0.0", not "10.1"); this one has ${parts.length}`;
  if (parts.some((part) => /^0\d/.test(part))) return 'a part with a leading zero is read as octal by some parsers; write "10.0.0.0", not "010.0.0.0"';
  if (!parts.every((part) => DECIMAL_PART.test(part) && Number(part) <= 255)) return 'each of the four parts is a decimal number from 0 to 255';
  return undefined;
}

function ipv6Problem(text: string): string | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return 'an IPv6 address has hexadecimal groups separated by ":" (no zone such as "%eth0")';
  const dotted = text.lastIndexOf(':');
  const tail = text.slice(dotted + 1);
  if (tail.includes('.')) {
    const problem = ipv4Problem(tail);
    if (problem) return `its IPv4 tail "${tail}": ${problem}`;
  }
  if (!ipaddr.IPv6.isValid(text)) return 'not a valid IPv6 address';
  return undefined;
}

/** A network the product accepts. */
export interface Network {
  readonly version: 4 | 6;
  /** The text as given (already in the only accepted form). */
  readonly text: string;
  readonly prefixLength: number;
}

/**
 * Why `text` is not a network in CIDR notation the product accepts ("203.0.113.0/24", "2001:db8::/32"), or undefined
 * when it is. The reason is a phrase for a message: "an IPv4 address has four decimal parts ...".
 */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return 'a network needs a prefix length after "/", such as "203.0.113.0/24"';
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const version = address.includes(':') ? 6 : 4;
  const problem = version === 4 ? ipv4Problem(address) : ipv6Problem(address);
  if (problem) return problem;
  const max = version === 4 ? 32 : 128;
  if (!DECIMAL_PART.test(prefix) || Number(prefix) > max) return `the prefix length after "/" is a decimal number from 0 to ${max}`;
  return undefined;
}

/** The network `text` denotes, or undefined when cidrProblem(text) has an objection. */
export function parseNetwork(text: string): Network | undefined {
  if (cidrProblem(text) !== undefined) return undefined;
  const slash = text.indexOf('/');
  return { version: text.slice(0, slash).includes(':') ? 6 : 4, text, prefixLength: Number(text.slice(slash + 1)) };
}
