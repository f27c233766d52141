import type { FilterExpression, FilterValue, Selector } from '../monitoring/filter-pattern';
import { CLOUDTRAIL_COLUMNS, type ColumnType, columnName } from './cloudtrail-columns';
import { sqlString } from './portable-sql';

export { sqlString };

/*
 * CloudWatch Logs filter patterns (the CIS items, the management-account workload alarm) compiled to a SQL condition
 * over the CloudTrail table, with the metric filters' semantics: a comparison on an absent field is false, `!=`
 * included; `*` in a value is a wildcard; NOT EXISTS is true only for an absent field.
 *
 * The generated SQL keeps to what Trino (Athena) and DuckDB (the tests) read the same way: `=`, `<>`, `LIKE … ESCAPE`,
 * `IS NULL`, `TRY_CAST(… AS DOUBLE)`, `COALESCE`, `AND`, `OR`, struct field access and `json_extract_scalar`
 * (DuckDB gets a macro with Trino's meaning: NULL for objects and arrays). A pattern using anything else (regular
 * expressions, array or wildcard selectors, `IS NULL`, which Athena cannot tell from an absent field) is refused with
 * the reason, rather than compiled to something that matches differently. The one difference left: a field present
 * with the JSON value null reads as absent in Athena, so NOT EXISTS holds for it there and not in a metric filter.
 */

export class UnsupportedInSqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedInSqlError';
  }
}

/** The column expression a selector reads, or a refusal. */
function columnExpression(selector: Selector): string {
  let type: ColumnType = { kind: 'struct', fields: CLOUDTRAIL_COLUMNS };
  const path: string[] = [];
  for (let index = 0; index < selector.steps.length; index++) {
    const step = selector.steps[index];
    if (!('key' in step)) throw new UnsupportedInSqlError(`${selector.text}: array and wildcard selectors are not compiled to SQL`);
    if (type.kind === 'struct') {
      const field: ColumnType | undefined = type.fields[step.key];
      if (!field) throw new UnsupportedInSqlError(`${selector.text}: "${step.key}" is not a field of the CloudTrail table`);
      path.push(columnName(step.key));
      type = field;
    } else if (type.kind === 'json') {
      // The rest of the selector is a path inside the column's JSON text, in the record's own key case.
      const rest = selector.steps.slice(index).map((inner) => {
        if (!('key' in inner) || !/^[A-Za-z0-9_]+$/.test(inner.key)) {
          throw new UnsupportedInSqlError(`${selector.text}: only plain keys are compiled into a JSON path`);
        }
        return inner.key;
      });
      return `json_extract_scalar(${path.join('.')}, ${sqlString(`$.${rest.join('.')}`)})`;
    } else {
      throw new UnsupportedInSqlError(`${selector.text}: "${step.key}" reaches into a ${type.kind}`);
    }
  }
  if (type.kind !== 'string' && type.kind !== 'json') {
    // An object or array matches no comparison in a metric filter; a JSON column's whole text is an object too.
    return 'CAST(NULL AS VARCHAR)';
  }
  return type.kind === 'json' ? `json_extract_scalar(${path.join('.')}, '$')` : path.join('.');
}

/** A LIKE pattern for a value with `*` wildcards; `%`, `_` and the escape itself are escaped. */
function likePattern(text: string): string {
  return text
    .split('*')
    .map((part) => part.replace(/[\\%_]/g, (character) => `\\${character}`))
    .join('%');
}

function equalsCondition(column: string, value: FilterValue): string {
  if (value.type === 'regex') throw new UnsupportedInSqlError('regular expressions are not compiled to SQL');
  if (value.type === 'number') return `TRY_CAST(${column} AS DOUBLE) = ${value.value}`;
  return value.text.includes('*') ? `${column} LIKE ${sqlString(likePattern(value.text))} ESCAPE '\\'` : `${column} = ${sqlString(value.text)}`;
}

function condition(expression: FilterExpression): string {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return `(${expression.operands.map(condition).join(expression.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not-exists':
      return `(${columnExpression(expression.selector)} IS NULL)`;
    case 'is': {
      if (expression.value === null) throw new UnsupportedInSqlError(`${expression.selector.text} IS NULL: Athena reads a JSON null and an absent field alike`);
      return `COALESCE(${columnExpression(expression.selector)} = ${sqlString(String(expression.value))}, FALSE)`;
    }
    case 'compare': {
      const column = columnExpression(expression.selector);
      const { operator, value } = expression;
      if (operator === '=') return `COALESCE(${equalsCondition(column, value)}, FALSE)`;
      // A present scalar that does not equal; a non-numeric text differs from every number.
      if (operator === '!=') return `(${column} IS NOT NULL AND NOT COALESCE(${equalsCondition(column, value)}, FALSE))`;
      if (value.type !== 'number') throw new UnsupportedInSqlError(`${expression.selector.text} ${operator}: only numbers are ordered`);
      return `COALESCE(TRY_CAST(${column} AS DOUBLE) ${operator} ${value.value}, FALSE)`;
    }
  }
}

/** The SQL condition that holds for exactly the CloudTrail rows the filter pattern matches. */
export function filterPatternToSql(expression: FilterExpression): string {
  return condition(expression);
}
