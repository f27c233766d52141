import { parseCidr } from '../../../functions/detector/network';
import { anyOf, atLeast, holds, occurrences, regexpLike, splitPart } from '../portable-sql';
import type { DerivedStages } from './derived-columns';

/*
 * The detector's reading of a source address (functions/detector/network.ts), in SQL: an IPv4 address is exactly four
 * decimal octets without leading zeros; an IPv6 address may use "::", upper or lower case, an IPv4 tail and a zone
 * ("%eth0", ignored); an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address. Anything else ("AWS
 * Internal", a service name, garbage) is no address and in no network. Neither engine's own address type is used:
 * Trino's IPADDRESS casts accept other spellings than the detector, and DuckDB has none without an extension.
 * The address becomes numbers (the IPv4 value; eight 16-bit groups for IPv6) and a network is a range of them.
 */

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
/** Four decimal octets, as parseIpv4 accepts them. */
export const IPV4_FORM = new RegExp(`^${IPV4}$`);
const HEX_GROUPS = `(?:[0-9a-f]{1,4}:)*(?:[0-9a-f]{1,4}|${IPV4})`;
/** The shape of a lower-cased IPv6 address without its zone, as parseIpv6 accepts it; group counts are checked apart. */
export const IPV6_FORM = new RegExp(`^(?:(?:${HEX_GROUPS})?::(?:${HEX_GROUPS})?|${HEX_GROUPS})$`);

const SOURCE = 'sourceipaddress';
const HEX_DIGITS = "'0123456789abcdef'";

/** The value of a hexadecimal group of one to four digits (already checked). */
function hexValue(group: string): string {
  const padded = `lpad(${group}, 4, '0')`;
  return `(${[4096, 256, 16, 1].map((weight, index) => `(strpos(${HEX_DIGITS}, substr(${padded}, ${index + 1}, 1)) - 1) * ${weight}`).join(' + ')})`;
}

/** The octet (from 1) of a dotted IPv4 text. */
const octet = (text: string, index: number) => `TRY_CAST(${splitPart(text, '.', index)} AS BIGINT)`;

/** The `index`th 16-bit group (an SQL expression, from 1) of one half of an IPv6 address, its IPv4 tail counting two. */
function halfGroup(half: string, pieces: string, index: string): string {
  const last = splitPart(half, ':', atLeast(pieces, 1));
  return [
    `CASE WHEN strpos(${half}, '.') > 0 AND ${index} = ${pieces} THEN ${octet(last, 1)} * 256 + ${octet(last, 2)}`,
    `WHEN strpos(${half}, '.') > 0 AND ${index} = ${pieces} + 1 THEN ${octet(last, 3)} * 256 + ${octet(last, 4)}`,
    `ELSE ${hexValue(splitPart(half, ':', atLeast(index, 1)))} END`,
  ].join(' ');
}

/**
 * The columns of the parsed source address: `hunt_source_v4` (the IPv4 value, mapped addresses included, NULL when
 * none) and `hunt_source_v6` (TRUE for an IPv6 address that is not IPv4-mapped), with groups `hunt_v6_g1`…`hunt_v6_g8`.
 */
export const SOURCE_ADDRESS_STAGES: DerivedStages = [
  [
    {
      name: 'hunt_v4_plain',
      expression: `CASE WHEN ${regexpLike(SOURCE, IPV4_FORM)} THEN ${[16777216, 65536, 256, 1].map((weight, index) => `${octet(SOURCE, index + 1)} * ${weight}`).join(' + ')} END`,
    },
    {
      name: 'hunt_v6_text',
      expression: `lower(CASE WHEN strpos(${SOURCE}, '%') > 0 THEN substr(${SOURCE}, 1, ${atLeast(`strpos(${SOURCE}, '%') - 1`, 0)}) ELSE ${SOURCE} END)`,
    },
  ],
  [
    { name: 'hunt_v6_shaped', expression: holds(`strpos(hunt_v6_text, ':') > 0 AND ${regexpLike('hunt_v6_text', IPV6_FORM)}`) },
    { name: 'hunt_v6_compressed', expression: holds("strpos(hunt_v6_text, '::') > 0") },
    { name: 'hunt_v6_head', expression: `CASE WHEN strpos(hunt_v6_text, '::') > 0 THEN ${splitPart('hunt_v6_text', '::', 1)} ELSE COALESCE(hunt_v6_text, '') END` },
    { name: 'hunt_v6_tail', expression: `CASE WHEN strpos(hunt_v6_text, '::') > 0 THEN ${splitPart('hunt_v6_text', '::', 2)} ELSE '' END` },
  ],
  [
    ...(['head', 'tail'] as const).flatMap((half) => [
      { name: `hunt_v6_${half}_pieces`, expression: `CASE WHEN hunt_v6_${half} = '' THEN 0 ELSE ${occurrences(`hunt_v6_${half}`, ':')} + 1 END` },
      {
        name: `hunt_v6_${half}_groups`,
        expression: `CASE WHEN hunt_v6_${half} = '' THEN 0 ELSE ${occurrences(`hunt_v6_${half}`, ':')} + 1 + CASE WHEN strpos(hunt_v6_${half}, '.') > 0 THEN 1 ELSE 0 END END`,
      },
    ]),
  ],
  [
    {
      name: 'hunt_v6_valid',
      expression:
        'hunt_v6_shaped AND CASE WHEN hunt_v6_compressed THEN hunt_v6_head_groups + hunt_v6_tail_groups <= 7 ELSE hunt_v6_head_groups = 8 END',
    },
  ],
  [1, 2, 3, 4, 5, 6, 7, 8].map((group) => ({
    name: `hunt_v6_g${group}`,
    expression: [
      `CASE WHEN NOT hunt_v6_valid THEN NULL`,
      `WHEN ${group} <= hunt_v6_head_groups THEN ${halfGroup('hunt_v6_head', 'hunt_v6_head_pieces', String(group))}`,
      `WHEN ${group} > 8 - hunt_v6_tail_groups THEN ${halfGroup('hunt_v6_tail', 'hunt_v6_tail_pieces', `(${group} - 8 + hunt_v6_tail_groups)`)}`,
      'ELSE 0 END',
    ].join(' '),
  })),
  [
    {
      name: 'hunt_source_v4',
      expression:
        'COALESCE(hunt_v4_plain, CASE WHEN hunt_v6_valid AND hunt_v6_g1 = 0 AND hunt_v6_g2 = 0 AND hunt_v6_g3 = 0 AND hunt_v6_g4 = 0 AND hunt_v6_g5 = 0 AND hunt_v6_g6 = 65535 THEN hunt_v6_g7 * 65536 + hunt_v6_g8 END)',
    },
    {
      name: 'hunt_source_v6',
      expression: 'hunt_v4_plain IS NULL AND hunt_v6_valid AND NOT (hunt_v6_g1 = 0 AND hunt_v6_g2 = 0 AND hunt_v6_g3 = 0 AND hunt_v6_g4 = 0 AND hunt_v6_g5 = 0 AND hunt_v6_g6 = 65535)',
    },
  ],
];

const mask16 = (bits: number) => (bits <= 0 ? 0 : bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff);

/** The condition that the source address lies in one of the networks (over SOURCE_ADDRESS_STAGES's columns). */
export function sourceInNetworksSql(cidrs: readonly string[]): string {
  const conditions = cidrs.map((text) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`not a CIDR: ${JSON.stringify(text)}`);
    if (!cidr.address.v6) {
      const size = 2 ** (32 - cidr.prefixLength);
      const low = Math.floor(cidr.address.value / size) * size;
      return `hunt_source_v4 BETWEEN ${low} AND ${low + size - 1}`;
    }
    const groups = cidr.address.words.flatMap((word) => [word >>> 16, word & 0xffff]);
    const parts = groups.flatMap((group, index) => {
      const mask = mask16(cidr.prefixLength - index * 16);
      if (mask === 0) return [];
      const low = group & mask;
      const high = low | (~mask & 0xffff);
      return [low === high ? `hunt_v6_g${index + 1} = ${low}` : `hunt_v6_g${index + 1} BETWEEN ${low} AND ${high}`];
    });
    return `(hunt_source_v6${parts.map((part) => ` AND ${part}`).join('')})`;
  });
  return holds(anyOf(conditions));
}
