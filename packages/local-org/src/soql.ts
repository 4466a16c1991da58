/**
 * SOQL for the local org: the text is parsed by @jetstreamapp/soql-parser-js; this module checks
 * names against the schema (with Salesforce's error codes and messages) and compiles the query
 * into closures over stored records: a predicate, a comparator and a row projector.
 */
import {
  composeQuery,
  parseQuery,
  type Condition,
  type Subquery,
  type FieldType as SoqlField,
  type Query,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { SfError, malformedQuery, noSuchColumn, unsupportedType } from './errors';
import type { FieldDef, ObjectDef } from './schema';
import { toId18 } from './ids';
import { formatOutput, parseDate, parseDateTime } from './values';

export type Rec = Record<string, unknown>;

/** What the compiled query needs from the data layer. */
export interface Catalog {
  object(name: string): ObjectDef | undefined;
  /** The object a record id belongs to (by key prefix) and the record itself. */
  byId(id: string): { def: ObjectDef; rec: Rec } | undefined;
  /** For parent-to-child sub-queries: every object, and a compiled query's rows. */
  allObjects(): ObjectDef[];
  runQuery(q: CompiledQuery): Rec[];
}

/** A parent-to-child sub-query: its relationship name, the child's lookup field and the compiled query. */
interface ChildQuery {
  name: string;
  field: FieldDef;
  query: CompiledQuery;
  limit: number | null;
}

/** A resolved field path: relationship hops then the final field. */
export interface Path {
  text: string;
  hops: Array<{ field: FieldDef; name: string; targets: string[] }>;
  field: FieldDef | null; // null: polymorphic target, resolved per record by name
  fieldName: string;
}

export interface CompiledQuery {
  object: ObjectDef;
  /** The selected field paths, in SELECT order (for `?columns=true`). */
  columns: Path[];
  /** The parent-to-child sub-queries, by relationship name (for `?columns=true`). */
  subqueries: { name: string; query: CompiledQuery }[];
  countOnly: boolean;
  /** COUNT(field) without GROUP BY → one AggregateResult row. */
  aggregateCount: boolean;
  predicate: (rec: Rec) => boolean;
  compare: ((a: Rec, b: Rec) => number) | null;
  limit: number | null;
  offset: number;
  project: (rec: Rec) => Rec;
  /** Equality on Id or an indexed field at the top level of WHERE: lets the data layer skip a full scan. */
  indexHint: { field: string; values: string[] } | null;
  includeDeleted: boolean;
}

export interface CompileOptions {
  apiVersion: string;
  now: number;
  includeDeleted: boolean;
  indexed: (obj: ObjectDef, field: FieldDef) => boolean;
}

/** "ERROR at Row:1:Column:N" framing Salesforce puts around SOQL errors. */
function located(soql: string, token: string | null, message: string, after?: string): string {
  const line = soql.replace(/\s+/g, ' ');
  let col = 1;
  if (token) {
    const from = after ? Math.max(0, line.search(new RegExp(`\\b${after}\\b`, 'i'))) : 0;
    const re = new RegExp(
      `(^|[^A-Za-z0-9_.])(${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![A-Za-z0-9_])`,
      'i',
    );
    const m = re.exec(line.slice(from));
    if (m) col = from + m.index + m[1].length + 1;
  }
  return `\n${line}\n${' '.repeat(col - 1)}^\nERROR at Row:1:Column:${col}\n${message}`;
}

function unescapeSoql(literal: string): string {
  const inner = literal.startsWith("'") && literal.endsWith("'") ? literal.slice(1, -1) : literal;
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[c] ?? c);
}

function likeToRegExp(literal: string): RegExp {
  const inner = literal.startsWith("'") && literal.endsWith("'") ? literal.slice(1, -1) : literal;
  let re = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      const n = inner[++i];
      re +=
        ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[n] ??
        n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

const DAY = 86_400_000;

/** [start, end) in epoch ms for a date literal, in GMT (the seeded user's time zone). */
export function dateLiteralRange(
  literal: string,
  n: number | undefined,
  now: number,
): [number, number] | null {
  const today = Math.floor(now / DAY) * DAY;
  const d = new Date(today);
  const weekStart = today - d.getUTCDay() * DAY;
  const month = (offset: number): [number, number] => [
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1),
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset + 1, 1),
  ];
  const year = (offset: number): [number, number] => [
    Date.UTC(d.getUTCFullYear() + offset, 0, 1),
    Date.UTC(d.getUTCFullYear() + offset + 1, 0, 1),
  ];
  const k = n ?? 0;
  switch (literal.toUpperCase().replace(/:.*$/, '')) {
    case 'TODAY':
      return [today, today + DAY];
    case 'YESTERDAY':
      return [today - DAY, today];
    case 'TOMORROW':
      return [today + DAY, today + 2 * DAY];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY, weekStart];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'THIS_MONTH':
      return month(0);
    case 'LAST_MONTH':
      return month(-1);
    case 'NEXT_MONTH':
      return month(1);
    case 'THIS_YEAR':
      return year(0);
    case 'LAST_YEAR':
      return year(-1);
    case 'NEXT_YEAR':
      return year(1);
    case 'LAST_90_DAYS':
      return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS':
      return [today + DAY, today + 91 * DAY];
    case 'LAST_N_DAYS':
      return [today - k * DAY, today + DAY];
    case 'NEXT_N_DAYS':
      return [today + DAY, today + (k + 1) * DAY];
    case 'N_DAYS_AGO':
      return [today - k * DAY, today - (k - 1) * DAY];
    case 'LAST_N_WEEKS':
      return [weekStart - k * 7 * DAY, weekStart];
    case 'LAST_N_MONTHS':
      return [month(-k)[0], month(0)[0]];
    default:
      return null;
  }
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { cond: Condition };

/** The parser returns WHERE as a right-leaning chain with paren counts; flatten it to tokens. */
function tokenize(where: WhereClause | undefined, out: Token[]): void {
  if (!where) return;
  const node = where as unknown as { left: unknown; operator?: string; right?: WhereClause };
  const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (node.operator === 'NOT') {
    for (let i = 0; i < (left?.openParen ?? 0); i++) out.push('(');
    out.push('NOT');
    tokenize(node.right, out);
    return;
  }
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    out.push({ cond: left });
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  }
  if (node.operator) {
    out.push(node.operator as 'AND' | 'OR');
    tokenize(node.right, out);
  }
}

type Pred = (rec: Rec) => boolean;

/**
 * "Maximum length of SOQL statements: by default, 100,000 characters" ("SOQL and SOSL Limits for
 * Search Queries", https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm).
 */
export const MAX_SOQL_LENGTH = 100_000;

export function compileQuery(soql: string, catalog: Catalog, opts: CompileOptions): CompiledQuery {
  if (soql.length > MAX_SOQL_LENGTH)
    throw new SfError(
      400,
      'MALFORMED_QUERY',
      `SOQL statements cannot be longer than ${MAX_SOQL_LENGTH.toLocaleString('en-US')} characters (got ${soql.length.toLocaleString('en-US')}).`,
    );
  let q: Query;
  try {
    q = parseQuery(soql);
  } catch (e) {
    const msg = (e as Error).message;
    const found = /found --> '?(.*?)'? <--/.exec(msg);
    throw malformedQuery(
      found
        ? located(soql, found[1], `unexpected token: '${found[1]}'`)
        : located(soql, null, msg.replace(/\s+/g, ' ')),
    );
  }
  const unsupported = (what: string): never => {
    throw malformedQuery(located(soql, what, `${what} is not supported by the local org`));
  };
  if (q.groupBy) unsupported('GROUP BY');
  if (q.having) unsupported('HAVING');
  if (q.for) unsupported('FOR');
  if (!q.sObject) throw malformedQuery(located(soql, 'FROM', 'unexpected token: FROM'));
  const object = catalog.object(q.sObject);
  if (!object) throw new SfError(400, 'INVALID_TYPE', located(soql, q.sObject, unsupportedType(q.sObject)));

  const resolvePath = (parts: string[], text: string, after?: string): Path => {
    let defs: ObjectDef[] = [object];
    const hops: Path['hops'] = [];
    for (const rel of parts.slice(0, -1)) {
      const relField =
        defs.length === 1
          ? [...defs[0].fields.values()].find((f) => f.relationshipName?.toLowerCase() === rel.toLowerCase())
          : undefined;
      if (!relField) {
        throw new SfError(
          400,
          'INVALID_FIELD',
          located(
            soql,
            text,
            `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, ` +
              `be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe ` +
              `call for the appropriate names.`,
            after,
          ),
        );
      }
      const targets = relField.referenceTo.map((t) => catalog.object(t)).filter((d): d is ObjectDef => !!d);
      hops.push({ field: relField, name: relField.relationshipName!, targets: targets.map((t) => t.name) });
      defs = targets;
    }
    const last = parts[parts.length - 1];
    const found = defs.map((d) => d.fields.get(last.toLowerCase())).filter((f): f is FieldDef => !!f);
    if (found.length === 0) {
      const entity = hops.length ? (hops[hops.length - 1].targets[0] ?? 'Name') : object.name;
      throw new SfError(
        400,
        'INVALID_FIELD',
        located(soql, text, noSuchColumn(hops.length ? text : last, entity), after),
      );
    }
    return { text, hops, field: defs.length === 1 ? found[0] : null, fieldName: found[0].name };
  };

  /** Follow the path on a record: the final record and its field (null when a lookup is empty). */
  const walk = (path: Path, rec: Rec): { rec: Rec; field: FieldDef; def: ObjectDef } | null => {
    let cur = rec;
    let def = object;
    for (const hop of path.hops) {
      const id = cur[hop.field.name] as string | null | undefined;
      if (!id) return null;
      const parent = catalog.byId(id);
      if (!parent) return null;
      cur = parent.rec;
      def = parent.def;
    }
    const f = path.field ?? def.fields.get(path.fieldName.toLowerCase());
    return f ? { rec: cur, field: f, def } : null;
  };
  const valueOf = (path: Path, rec: Rec): unknown => {
    const w = walk(path, rec);
    return w ? (w.rec[w.field.name] ?? null) : null;
  };

  /**
   * A parent-to-child sub-query names a child relationship of the FROM object (describe's
   * childRelationships[].relationshipName, e.g. Contacts, Tasks, Touchpoints__r); SOQL and SOSL Reference,
   * "Using Relationship Queries". It runs as a query on the child object, filtered per parent row.
   */
  const childQuery = (sub: Subquery): ChildQuery => {
    const name = sub.relationshipName;
    const match = catalog
      .allObjects()
      .flatMap((o) => [...o.fields.values()].map((f) => ({ o, f })))
      .find(
        ({ f }) =>
          f.childRelationshipName?.toLowerCase() === name.toLowerCase() &&
          f.referenceTo.includes(object.name),
      );
    if (!match) {
      throw new SfError(
        400,
        'INVALID_TYPE',
        located(
          soql,
          name,
          `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a ` +
            `custom relationship, be sure to append the '__r' after the custom relationship name. Please ` +
            `reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    const { relationshipName: _rel, limit, ...rest } = sub;
    const query = compileQuery(composeQuery({ ...rest, sObject: match.o.name }), catalog, opts);
    return { name: match.f.childRelationshipName!, field: match.f, query, limit: limit ?? null };
  };

  // --- SELECT -----------------------------------------------------------------------------
  const children: ChildQuery[] = [];
  let countOnly = false;
  let aggregateCount = false;
  const selected: Path[] = [];
  const seen = new Set<string>();
  for (const f of q.fields ?? []) {
    const sf = f as SoqlField & {
      field?: string;
      relationships?: string[];
      functionName?: string;
      parameters?: unknown[];
    };
    if (sf.type === 'Field' || sf.type === 'FieldRelationship') {
      const parts = [...(sf.relationships ?? []), sf.field as string];
      const text = parts.join('.');
      const path = resolvePath(parts, text);
      const key = [...path.hops.map((h) => h.name), path.fieldName].join('.').toLowerCase();
      if (seen.has(key)) throw malformedQuery(located(soql, text, `duplicate field selected: ${text}`));
      seen.add(key);
      selected.push(path);
    } else if (sf.type === 'FieldFunctionExpression' && sf.functionName?.toUpperCase() === 'COUNT') {
      if (!sf.parameters || sf.parameters.length === 0) countOnly = true;
      else aggregateCount = true;
    } else if (sf.type === 'FieldSubquery') {
      children.push(childQuery((sf as unknown as { subquery: Subquery }).subquery));
    } else {
      unsupported((sf as { rawValue?: string }).rawValue ?? sf.type);
    }
  }
  if (countOnly && (selected.length > 0 || aggregateCount)) {
    throw malformedQuery(located(soql, 'COUNT', 'COUNT() must be the only element in the SELECT list.'));
  }
  if (aggregateCount && selected.length > 0) unsupported('GROUP BY');

  // --- WHERE ------------------------------------------------------------------------------
  const tokens: Token[] = [];
  tokenize(q.where, tokens);
  let pos = 0;
  const compileCondition = (c: Condition): Pred => {
    const cond = c as Condition & {
      field?: string;
      fn?: unknown;
      operator: string;
      value?: string | string[];
      literalType?: string | string[];
      dateLiteralVariable?: number | number[];
      valueQuery?: unknown;
    };
    if (!cond.field || cond.fn || cond.valueQuery)
      unsupported(cond.valueQuery ? 'Semi-join' : 'Functions in WHERE');
    const path = resolvePath(cond.field!.split('.'), cond.field!, 'WHERE');
    const f = path.field ?? catalog.object('User')!.fields.get(path.fieldName.toLowerCase())!;
    const op = cond.operator.toUpperCase();
    const values = Array.isArray(cond.value) ? cond.value : [cond.value ?? ''];
    const types = Array.isArray(cond.literalType)
      ? cond.literalType
      : values.map(() => cond.literalType as string);
    const nVars = Array.isArray(cond.dateLiteralVariable)
      ? cond.dateLiteralVariable
      : values.map(() => cond.dateLiteralVariable as number);
    const typeError = (expected: string): never => {
      throw new SfError(
        400,
        'INVALID_FIELD',
        located(
          soql,
          cond.field!,
          `value of filter criterion for field '${f.name}' must be of type ${expected} and should not be enclosed in quotes`,
          'WHERE',
        ),
      );
    };

    // Each literal becomes a comparable: a scalar, or a [start, end) range for date literals.
    type Lit =
      | { kind: 'null' }
      | { kind: 'scalar'; v: string | number | boolean }
      | { kind: 'range'; s: number; e: number };
    const literal = (raw: string, type: string, n: number | undefined): Lit => {
      const t = (type ?? '').toUpperCase();
      if (t === 'NULL') return { kind: 'null' };
      if (t === 'DATE_LITERAL' || t === 'DATE_N_LITERAL') {
        if (f.type !== 'datetime' && f.type !== 'date')
          typeError(f.type === 'boolean' ? 'boolean' : 'string');
        const r = dateLiteralRange(raw, n, opts.now);
        if (!r) throw malformedQuery(located(soql, raw, `unexpected token: ${raw}`));
        return { kind: 'range', s: r[0], e: r[1] };
      }
      switch (f.type) {
        case 'datetime': {
          if (t !== 'DATETIME') typeError('dateTime');
          const ms = parseDateTime(raw);
          if (ms === null)
            throw malformedQuery(located(soql, raw, `line 1:0 no viable alternative at character '${raw}'`));
          return { kind: 'scalar', v: ms };
        }
        case 'date': {
          if (t !== 'DATE') typeError('date');
          return { kind: 'scalar', v: Date.parse(`${parseDate(raw)}T00:00:00Z`) };
        }
        case 'boolean':
          if (t !== 'BOOLEAN') typeError('boolean');
          return { kind: 'scalar', v: raw.toUpperCase() === 'TRUE' };
        case 'double':
        case 'int':
        case 'percent':
        case 'currency':
          if (t !== 'INTEGER' && t !== 'DECIMAL' && t !== 'DECIMAL_WITH_PLUS' && t !== 'INTEGER_WITH_PLUS')
            typeError('double');
          return { kind: 'scalar', v: Number(raw) };
        case 'id':
        case 'reference': {
          if (t !== 'STRING') typeError('id');
          const id = toId18(unescapeSoql(raw));
          if (!id) {
            throw new SfError(
              400,
              'INVALID_QUERY_FILTER_OPERATOR',
              located(soql, cond.field!, `invalid ID field: ${unescapeSoql(raw)}`, 'WHERE'),
            );
          }
          return { kind: 'scalar', v: id };
        }
        default:
          if (t !== 'STRING') typeError('string');
          return { kind: 'scalar', v: unescapeSoql(raw).toLowerCase() };
      }
    };
    // Stored value → comparable (text is compared case-insensitively, dates as UTC midnight ms).
    const norm = (v: unknown): string | number | boolean | null => {
      if (v === null || v === undefined) return null;
      if (f.type === 'date') return Date.parse(`${v as string}T00:00:00Z`);
      if (typeof v === 'string' && f.type !== 'id' && f.type !== 'reference') return v.toLowerCase();
      return v as string | number | boolean;
    };
    const get = (rec: Rec) => norm(valueOf(path, rec));
    const eq = (v: ReturnType<typeof norm>, l: Lit): boolean => {
      if (l.kind === 'null') return v === null;
      if (v === null) return false;
      if (l.kind === 'range') return (v as number) >= l.s && (v as number) < l.e;
      return v === l.v;
    };

    if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
      if (op === 'INCLUDES' || op === 'EXCLUDES') unsupported(op);
      const lits = values.map((v, i) => literal(v, types[i], nVars[i]));
      const scalars = new Set(lits.filter((l) => l.kind === 'scalar').map((l) => (l as { v: string }).v));
      const others = lits.filter((l) => l.kind !== 'scalar');
      const isIn = (rec: Rec) => {
        const v = get(rec);
        return (v !== null && scalars.has(v as string)) || others.some((l) => eq(v, l));
      };
      return op === 'IN' ? isIn : (rec) => !isIn(rec);
    }
    if (op === 'LIKE') {
      if (
        !['string', 'textarea', 'combobox', 'picklist', 'email', 'phone', 'url', 'id', 'reference'].includes(
          f.type,
        )
      ) {
        throw new SfError(
          400,
          'INVALID_QUERY_FILTER_OPERATOR',
          located(soql, cond.field!, `invalid operator on ${f.type} field: LIKE`, 'WHERE'),
        );
      }
      const re = likeToRegExp(values[0]);
      return (rec) => {
        const v = valueOf(path, rec);
        return typeof v === 'string' && re.test(v);
      };
    }
    const l = literal(values[0], types[0], nVars[0]);
    switch (op) {
      case '=':
        return (rec) => eq(get(rec), l);
      case '!=':
      case '<>':
        return (rec) => !eq(get(rec), l);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (l.kind === 'null') return () => false;
        const [lo, hi] = l.kind === 'range' ? [l.s, l.e] : [l.v, l.v];
        return (rec) => {
          const v = get(rec);
          if (v === null) return false;
          if (l.kind === 'range') {
            const n = v as number;
            return op === '<'
              ? n < (lo as number)
              : op === '<='
                ? n < (hi as number)
                : op === '>'
                  ? n >= (hi as number)
                  : n >= (lo as number);
          }
          return op === '<' ? v < lo : op === '<=' ? v <= lo : op === '>' ? v > lo : v >= lo;
        };
      }
      default:
        return unsupported(op);
    }
  };
  const parseExpr = (): Pred => {
    const terms: Pred[] = [parseTerm()];
    let joiner: 'AND' | 'OR' | null = null;
    while (pos < tokens.length && (tokens[pos] === 'AND' || tokens[pos] === 'OR')) {
      const op = tokens[pos++] as 'AND' | 'OR';
      if (joiner && joiner !== op) {
        // SOQL requires parentheses when AND and OR are mixed.
        throw malformedQuery(located(soql, op, `unexpected token: ${op}`));
      }
      joiner = op;
      terms.push(parseTerm());
    }
    if (terms.length === 1) return terms[0];
    return joiner === 'AND' ? (r) => terms.every((t) => t(r)) : (r) => terms.some((t) => t(r));
  };
  const parseTerm = (): Pred => {
    const t = tokens[pos++];
    if (t === 'NOT') {
      const inner = parseTerm();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = parseExpr();
      if (tokens[pos++] !== ')') throw malformedQuery(located(soql, null, "unexpected token: ')'"));
      return inner;
    }
    if (t && typeof t === 'object') return compileCondition(t.cond);
    throw malformedQuery(located(soql, 'WHERE', 'unexpected token: WHERE'));
  };
  let predicate: Pred = () => true;
  let indexHint: CompiledQuery['indexHint'] = null;
  if (tokens.length) {
    predicate = parseExpr();
    if (pos !== tokens.length) throw malformedQuery(located(soql, null, "unexpected token: ')'"));
    // Index hint: a top-level AND chain (no parens, no OR/NOT) with `field = 'x'` or `field IN (...)`.
    if (tokens.every((t) => t === 'AND' || typeof t === 'object')) {
      for (const t of tokens) {
        if (typeof t !== 'object') continue;
        const c = t.cond as Condition & {
          field?: string;
          operator: string;
          value?: string | string[];
          literalType?: string;
        };
        if (!c.field || c.field.includes('.') || (c.operator !== '=' && c.operator.toUpperCase() !== 'IN'))
          continue;
        const f = object.fields.get(c.field.toLowerCase());
        if (!f || !opts.indexed(object, f) || c.literalType === 'NULL') continue;
        const vals = (Array.isArray(c.value) ? c.value : [c.value ?? '']).map(unescapeSoql);
        indexHint = { field: f.name, values: f.type === 'id' ? vals.map((v) => toId18(v) ?? v) : vals };
        break;
      }
    }
  }

  // --- ORDER BY ---------------------------------------------------------------------------
  let compare: CompiledQuery['compare'] = null;
  const orderBy = Array.isArray(q.orderBy) ? q.orderBy : q.orderBy ? [q.orderBy] : [];
  if (orderBy.length) {
    const keys = orderBy.map((o) => {
      const oc = o as { field?: string; fn?: unknown; order?: string; nulls?: string };
      if (!oc.field || oc.fn) unsupported('ORDER BY function');
      const path = resolvePath(oc.field!.split('.'), oc.field!, 'ORDER BY');
      const desc = (oc.order ?? 'ASC').toUpperCase() === 'DESC';
      const nullsFirst = oc.nulls ? oc.nulls.toUpperCase() === 'FIRST' : !desc;
      return { path, desc, nullsFirst };
    });
    compare = (a, b) => {
      for (const k of keys) {
        let va = valueOf(k.path, a);
        let vb = valueOf(k.path, b);
        if (va === vb) continue;
        if (va === null) return k.nullsFirst ? -1 : 1;
        if (vb === null) return k.nullsFirst ? 1 : -1;
        if (typeof va === 'string' && typeof vb === 'string' && k.path.fieldName !== 'Id') {
          va = va.toLowerCase();
          vb = vb.toLowerCase();
          if (va === vb) continue;
        }
        const c = (va as number) < (vb as number) ? -1 : 1;
        return k.desc ? -c : c;
      }
      return 0;
    };
  }

  const offset = q.offset ?? 0;
  if (offset > 2000) {
    throw new SfError(
      400,
      'NUMBER_OUTSIDE_VALID_RANGE',
      located(soql, 'OFFSET', 'Maximum SOQL offset allowed is 2000'),
    );
  }

  // --- projection ---------------------------------------------------------------------------
  const base = `/services/data/v${opts.apiVersion}/sobjects`;
  const attributes = (def: ObjectDef, rec: Rec) => ({
    type: def.name,
    url: `${base}/${def.name}/${rec.Id as string}`,
  });
  const project = (rec: Rec): Rec => {
    const out: Rec = { attributes: attributes(object, rec) };
    for (const p of selected) {
      if (p.hops.length === 0) {
        out[p.field!.name] = formatOutput(p.field!, rec[p.field!.name], rec);
        continue;
      }
      // Nest relationship values: {Call_Touchpoint__r: {attributes, Touchpoint_Key__c}} or null.
      let target = out;
      let cur: Rec | null = rec;
      for (const hop of p.hops) {
        const id: string | null = cur ? (cur[hop.field.name] as string | null) : null;
        const parent: { def: ObjectDef; rec: Rec } | undefined = id ? catalog.byId(id) : undefined;
        if (!parent) {
          if (!(hop.name in target)) target[hop.name] = null;
          cur = null;
          break;
        }
        if (!target[hop.name]) target[hop.name] = { attributes: attributes(parent.def, parent.rec) };
        target = target[hop.name] as Rec;
        cur = parent.rec;
      }
      if (cur) {
        const w = walk(p, rec);
        target[w ? w.field.name : p.fieldName] = w ? formatOutput(w.field, w.rec[w.field.name], w.rec) : null;
      }
    }
    for (const c of children) {
      const rows = catalog
        .runQuery(c.query)
        .filter((r) => r[c.field.name] === rec.Id)
        .slice(0, c.limit ?? undefined)
        .map(c.query.project);
      // A parent without children answers null, not an empty result (REST API "Query").
      out[c.name] = rows.length ? { totalSize: rows.length, done: true, records: rows } : null;
    }
    return out;
  };

  return {
    object,
    columns: selected,
    subqueries: children.map((c) => ({ name: c.name, query: c.query })),
    countOnly,
    aggregateCount,
    predicate,
    compare,
    limit: q.limit ?? null,
    offset,
    project,
    indexHint,
    includeDeleted: opts.includeDeleted,
  };
}
