import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CLOUDTRAIL_COLUMNS, type ColumnType, columnName } from '../../lib/hunting/cloudtrail-columns';

/*
 * The log archive as Athena reads it, in DuckDB: CloudTrail records are written as the organization trail writes them
 * (gzipped `{"Records": [...]}` files under `cloudtrail/AWSLogs/<org>/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/`),
 * then read back into a table with the columns and partitions of the Glue table, mapped as Hive's JSON SerDe maps
 * them: keys matched without case, objects in string columns kept as JSON text, absent fields null.
 */

type CloudTrailRecord = Record<string, unknown>;

/** How long after an event CloudTrail delivers its file here: an event just before midnight is filed the next day. */
export const DELIVERY_DELAY_MS = 10 * 60 * 1000;

/** Writes records into an archive tree, one file per account, region and delivery day; returns the files written. */
export function layOutArchive(root: string, organizationId: string, records: readonly CloudTrailRecord[]): string[] {
  const files = new Map<string, CloudTrailRecord[]>();
  for (const record of records) {
    const account = String(record.recipientAccountId);
    const region = String(record.awsRegion);
    const delivered = new Date(Date.parse(String(record.eventTime)) + DELIVERY_DELAY_MS);
    const day = delivered.toISOString().slice(0, 10).replace(/-/g, '/');
    const dir = path.join(root, 'cloudtrail', 'AWSLogs', organizationId, account, 'CloudTrail', region, day);
    const file = path.join(dir, `${account}_CloudTrail_${region}_${day.replace(/\//g, '')}T0000Z_test.json.gz`);
    files.set(file, [...(files.get(file) ?? []), record]);
  }
  for (const [file, batch] of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, gzipSync(JSON.stringify({ Records: batch })));
  }
  return [...files.keys()].sort();
}

/** The value of one column as the JSON SerDe reads it from a record's value. */
function serde(type: ColumnType, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (type.kind) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      const byLowerKey = new Map(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key.toLowerCase(), inner]));
      return Object.fromEntries(Object.entries(type.fields).map(([key, field]) => [columnName(key), serde(field, byLowerKey.get(key.toLowerCase()))]));
    }
    case 'array':
      return Array.isArray(value) ? value.map((element) => serde(type.element, element)) : null;
  }
}

function duckType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'VARCHAR';
    case 'struct':
      return `STRUCT(${Object.entries(type.fields)
        .map(([key, field]) => `"${columnName(key)}" ${duckType(field)}`)
        .join(', ')})`;
    case 'array':
      return `${duckType(type.element)}[]`;
  }
}

/*
 * Trino's functions the generated SQL calls that DuckDB lacks or reads otherwise, given Trino's meaning
 * (https://trino.io/docs/current/functions/json.html, regexp.html, array.html):
 * - json_extract_scalar: NULL for objects, arrays and text that is not JSON (DuckDB's json_extract_string returns the
 *   text of objects and fails on invalid JSON); paths in Trino's bracket form `$["x-amz-copy-source"]` read as
 *   DuckDB's `$."x-amz-copy-source"`.
 * - regexp_like: true when the pattern matches anywhere in the text (DuckDB calls it regexp_matches).
 * - cardinality: the number of elements of an array (DuckDB's applies to maps only).
 * - element_at: the element at a position from 1, NULL past the end (DuckDB's applies to maps only).
 */
const TRINO_SHIMS = [
  `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN NOT json_valid(j) THEN NULL
     WHEN json_type(j, replace(replace(p, '["', '."'), '"]', '"')) IN ('OBJECT', 'ARRAY') THEN NULL
     ELSE json_extract_string(j, replace(replace(p, '["', '."'), '"]', '"')) END`,
  'CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)',
  'CREATE OR REPLACE MACRO cardinality(a) AS len(a)',
  'CREATE OR REPLACE MACRO element_at(a, i) AS a[i]',
];

const ROOT_TYPE: ColumnType = { kind: 'struct', fields: CLOUDTRAIL_COLUMNS };
const LAYOUT = /AWSLogs\/[^/]+\/(\d{12})\/CloudTrail\/([^/]+)\/(\d{4}\/\d{2}\/\d{2})\/[^/]+\.json\.gz$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Opens DuckDB with the archive under `root` as the table `cloudtrail` (partition columns `account`, `region`, `date`
 * taken from each object's key, as partition projection does) and Trino's json_extract_scalar.
 */
export async function openArchive(root: string): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const rows: string[] = [];
  let row = 0;
  for (const file of filesUnder(root).sort()) {
    const layout = LAYOUT.exec(file.split(path.sep).join('/'));
    if (!layout) continue;
    const { Records } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: CloudTrailRecord[] };
    for (const record of Records) {
      const columns = serde(ROOT_TYPE, record) as Record<string, unknown>;
      rows.push(JSON.stringify({ ...columns, account: layout[1], region: layout[2], date: layout[3], test_row: row++ }));
    }
  }
  const scratch = path.join(root, 'rows.ndjson');
  writeFileSync(scratch, `${rows.join('\n')}\n`);
  const columnTypes = [
    ...Object.entries(CLOUDTRAIL_COLUMNS).map(([key, type]) => `'${columnName(key)}': '${duckType(type).replace(/'/g, "''")}'`),
    "'account': 'VARCHAR'",
    "'region': 'VARCHAR'",
    "'date': 'VARCHAR'",
    "'test_row': 'INTEGER'",
  ];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const shim of TRINO_SHIMS) await connection.run(shim);
  await connection.run(
    `CREATE TABLE cloudtrail AS SELECT * FROM read_json('${scratch.replace(/'/g, "''")}', format = 'newline_delimited', columns = {${columnTypes.join(', ')}})`,
  );
  rmSync(scratch);
  return { connection, close: () => connection.closeSync() };
}
