// Column lists for raw SQL (COPY, json_to_recordset, temp tables) read from the Drizzle schema, so that a statement
// written by hand names the columns, types and defaults the schema has and cannot drift from it.
import type { SQL } from 'drizzle-orm';
import { SQL as SqlChunk, getTableColumns, is, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { CopyValue } from './copy';

type Key<T extends PgTable> = keyof T['_']['columns'] & string;

export type ColumnList<T extends PgTable> = {
  /** The columns' names in the database. */
  names: string[];
  /** The names as a SQL list: `customer_id, channel, ...`. */
  list: SQL;
  /** Each name with its SQL type, for json_to_recordset or a temp table: `customer_id bigint, channel channel, ...`. */
  definitions: string;
  /** A row's values in the order of `names`; a value left out takes the column's default where the schema has one. */
  values: (row: T['$inferInsert']) => CopyValue[];
  /** A row as an object keyed by column name, for json_to_recordset. */
  record: (row: T['$inferInsert']) => Record<string, unknown>;
};

/**
 * Columns of a table, in schema order: those `pick` names, in its order, or else every column a row is written with
 * (all but identity and generated columns) less those `omit` names.
 */
export function columnList<T extends PgTable>(
  table: T,
  options: { pick?: readonly Key<T>[]; omit?: readonly Key<T>[] } = {},
): ColumnList<T> {
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const keys = options.pick
    ? [...options.pick]
    : Object.keys(all).filter((key) => !all[key]!.generatedIdentity && !all[key]!.generated && !options.omit?.includes(key as Key<T>));
  const columns = keys.map((key) => [key, all[key]!] as const);
  const names = columns.map(([, column]) => column.name);
  // A default given as a value (not as SQL such as now()) is what the database would write for a value left out; COPY
  // and json_to_recordset write null instead, so the value is filled in here.
  const values = (row: T['$inferInsert']) =>
    columns.map(([key, column]) => {
      const value = (row as Record<string, CopyValue>)[key];
      return value === undefined && column.default !== undefined && !is(column.default, SqlChunk) ? (column.default as CopyValue) : value;
    });
  return {
    names,
    list: sql.raw(names.join(', ')),
    definitions: columns.map(([, column]) => `${column.name} ${column.getSQLType()}`).join(', '),
    values,
    record: (row) => {
      const rowValues = values(row);
      return Object.fromEntries(names.map((name, i) => [name, rowValues[i]]));
    },
  };
}
