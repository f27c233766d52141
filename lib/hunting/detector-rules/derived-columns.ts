/*
 * A hunt that reads a value many times (the parsed source address, the decoded copy source) computes it once, as a
 * column of a subquery: each stage may read the columns of the stages before it. Names start with `hunt_`, which no
 * column of the CloudTrail table does.
 */

/** A column a stage adds to the rows. */
export interface DerivedColumn {
  readonly name: string;
  readonly expression: string;
}

/** Stages of derived columns, in order; a column may read the columns of earlier stages only. */
export type DerivedStages = readonly (readonly DerivedColumn[])[];

/** The rows of `from` (a table or a subquery) with the stages' columns added, as a subquery. */
export function withDerivedColumns(from: string, stages: DerivedStages): string {
  let rows = from;
  for (const stage of stages) {
    if (stage.length === 0) continue;
    const columns = stage.map((column) => `    ${column.expression} AS ${column.name}`).join(',\n');
    rows = `(\n  SELECT *,\n${columns}\n  FROM ${rows}\n)`;
  }
  return rows;
}

/** Joins stage lists (from several parts of a rule) stage by stage, dropping repeated columns. */
export function mergeStages(...lists: DerivedStages[]): DerivedColumn[][] {
  const merged: DerivedColumn[][] = [];
  const seen = new Set<string>();
  for (const stages of lists) {
    stages.forEach((stage, index) => {
      merged[index] ??= [];
      for (const column of stage) {
        if (seen.has(column.name)) continue;
        seen.add(column.name);
        merged[index].push(column);
      }
    });
  }
  return merged;
}
