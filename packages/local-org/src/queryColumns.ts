/**
 * `GET …/query?q=…&columns=true`: the query's columns without running it, as `sf data query` asks for them
 * before printing rows. Each column has columnName, displayName, apexType, aggregate, foreignKeyName,
 * insertable/updatable and joinColumns for relationship paths (Owner.Name → Owner with Name inside) — the
 * shape Salesforce answers (undocumented in the REST API guide; it is what the CLI's plugin-data reads).
 */
import type { FieldDef, FieldType } from './schema';
import type { CompiledQuery } from './soql';

interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

const APEX_TYPES: Partial<Record<FieldType, string>> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  date: 'Date',
  datetime: 'Datetime',
  double: 'Double',
  percent: 'Double',
  currency: 'Double',
  int: 'Integer',
};

function fieldColumn(name: string, f: FieldDef | null): ColumnMetadata {
  const type = f?.type ?? 'string';
  return {
    aggregate: false,
    apexType: APEX_TYPES[type] ?? 'String',
    booleanType: type === 'boolean',
    columnName: name,
    custom: f?.custom ?? false,
    displayName: name,
    foreignKeyName: null,
    insertable: f?.createable ?? false,
    joinColumns: [],
    numberType: ['double', 'percent', 'currency', 'int'].includes(type),
    textType: !APEX_TYPES[type],
    updatable: f?.updateable ?? false,
  };
}

export function queryColumns(q: CompiledQuery) {
  const top: ColumnMetadata[] = [];
  for (const path of q.columns) {
    let level = top;
    for (const hop of path.hops) {
      let join = level.find((c) => c.columnName === hop.name && c.joinColumns.length);
      if (!join) {
        join = {
          ...fieldColumn(hop.name, null),
          apexType: null,
          textType: false,
          foreignKeyName: hop.field.name,
        };
        level.push(join);
      }
      level = join.joinColumns;
    }
    level.push(fieldColumn(path.fieldName, path.field));
  }
  // A sub-query is one column named by its relationship, `aggregate: true`, with the sub-query's columns as
  // joinColumns — what plugin-data's `sf data query` reads as a sub-query field. Listed after the fields.
  for (const sub of q.subqueries)
    top.push({
      ...fieldColumn(sub.name, null),
      aggregate: true,
      apexType: null,
      textType: false,
      joinColumns: queryColumns(sub.query).columnMetadata,
    });
  if (q.aggregateCount)
    top.push({
      ...fieldColumn('expr0', null),
      aggregate: true,
      apexType: 'Integer',
      displayName: 'COUNT(Id)',
      numberType: true,
      textType: false,
    });
  return {
    columnMetadata: top,
    entityName: q.object.name,
    groupBy: false,
    idSelected: q.columns.some((c) => c.hops.length === 0 && c.fieldName === 'Id'),
    keyPrefix: q.object.keyPrefix,
  };
}
