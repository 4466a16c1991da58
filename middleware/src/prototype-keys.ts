import querystring from 'node:querystring';

/**
 * Untrusted keys (query parameters, JSON and form fields, path segments) must never reach an
 * object's prototype chain (a `__proto__[x]=…` query once polluted Object.prototype and
 * crashed serve). Every decoded value is a null-prototype object without these keys, and lookups by
 * an untrusted key check own properties only.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `__proto__`, `constructor`, `prototype`, also as one part of a bracketed/dotted key ("a[__proto__]"). */
export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key) || key.split(/[[\].]+/).some((part) => PROTOTYPE_KEYS.has(part));
}

/** A fresh object with no prototype: reading a missing key gives undefined, never an inherited member. */
export function bareObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** obj[key] when it is the object's own property (never `toString`, `constructor`, … from the chain). */
export function ownValue<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * JSON.parse reviver: drops prototype keys and turns every object into a null-prototype copy.
 * (JSON.parse itself defines "__proto__" as a plain own key, but a later merge or spread of that
 * object into another could still reach the prototype; dropping it ends that.)
 */
export function safeReviver(key: string, value: unknown): unknown {
  if (isPrototypeKey(key)) return undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.assign(bareObject(), value);
  }
  return value;
}

/** JSON.parse with safeReviver; throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, safeReviver);
}

/**
 * Express "query parser" (app.set('query parser', parseQuery)). Express 5's default ("simple") is
 * node:querystring, which already returns a null-prototype object of flat strings; this keeps that and
 * also drops prototype keys, so no later decoding of "a[b]" keys can be steered into the prototype.
 * Never switch to "extended" (qs): body-parser and express pass qs `allowPrototypes: true`.
 */
export function parseQuery(text: string): Record<string, string | string[]> {
  const out = bareObject<string | string[]>();
  for (const [k, v] of Object.entries(querystring.parse(text))) {
    if (v !== undefined && !isPrototypeKey(k)) out[k] = v;
  }
  return out;
}
