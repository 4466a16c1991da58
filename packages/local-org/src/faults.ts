/**
 * Fault injection for reliability tests. Random choices come from a seeded PRNG (mulberry32) so a
 * test that sets `seed` sees the same sequence of faults on every run.
 */
import { mulberry32 } from './prng';

export interface FaultConfig {
  /** Share of API requests answered 503 SERVER_UNAVAILABLE (0..1). */
  errorRate503: number;
  /** Every API request answers 403 REQUEST_LIMIT_EXCEEDED while true. */
  requestLimitExceeded: boolean;
  /** Share of sObject-collection items failing UNABLE_TO_LOCK_ROW (0..1). */
  lockRowRate: number;
  /** The next API request answers INVALID_SESSION_ID and its token stops working. */
  expireSessionOnce: boolean;
  /** Added delay before every API answer, in milliseconds. */
  latencyMs: number;
  /**
   * A write request (POST/PATCH/PUT: sObject, sObject Collections, Composite, Composite Graph) whose
   * JSON body contains this text is refused as a whole — HTTP 400 JSON_PARSER_ERROR, nothing in it
   * runs — as Salesforce answers a body it cannot deserialize (e.g. 2147483648 for an `int` field):
   * "400 The request couldn't be understood, usually because the JSON or XML body contains an error"
   * (REST API Developer Guide, Status Codes and Error Responses,
   * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
   * Empty: off.
   */
  refuseBodiesContaining: string;
  seed: number;
}

export const NO_FAULTS: FaultConfig = {
  errorRate503: 0,
  requestLimitExceeded: false,
  lockRowRate: 0,
  expireSessionOnce: false,
  latencyMs: 0,
  refuseBodiesContaining: '',
  seed: 1,
};

/** Reject anything that is not a FaultConfig field of the right type and range. */
export function parseFaults(input: unknown): Partial<FaultConfig> {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new Error('body must be a JSON object');
  const out: Partial<FaultConfig> = {};
  for (const [k, v] of Object.entries(input)) {
    switch (k) {
      case 'errorRate503':
      case 'lockRowRate':
        if (typeof v !== 'number' || v < 0 || v > 1) throw new Error(`${k} must be a number from 0 to 1`);
        out[k] = v;
        break;
      case 'latencyMs':
      case 'seed':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
          throw new Error(`${k} must be a whole number >= 0`);
        out[k] = v;
        break;
      case 'refuseBodiesContaining':
        if (typeof v !== 'string' || v.length > 1000)
          throw new Error(`${k} must be a string of at most 1000 characters`);
        out[k] = v;
        break;
      case 'requestLimitExceeded':
      case 'expireSessionOnce':
        if (typeof v !== 'boolean') throw new Error(`${k} must be true or false`);
        out[k] = v;
        break;
      default:
        throw new Error(`unknown fault "${k}" (known: ${Object.keys(NO_FAULTS).join(', ')})`);
    }
  }
  return out;
}

export class Faults {
  private config: FaultConfig = { ...NO_FAULTS };
  private random = mulberry32(NO_FAULTS.seed);

  get current(): FaultConfig {
    return { ...this.config };
  }

  set(f: Partial<FaultConfig>): void {
    this.config = { ...this.config, ...f };
    // Restart the sequence on every change so the same settings give the same failures.
    this.random = mulberry32(this.config.seed);
  }

  clear(): void {
    this.config = { ...NO_FAULTS };
    this.random = mulberry32(NO_FAULTS.seed);
  }

  chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  /** The whole-request refusal for a write body holding refuseBodiesContaining, if any. */
  refusedBody(method: string, body: unknown): { errorCode: string; message: string } | null {
    const marker = this.config.refuseBodiesContaining;
    if (!marker || !['POST', 'PATCH', 'PUT'].includes(method.toUpperCase()) || body === undefined)
      return null;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const at = text.indexOf(marker);
    if (at < 0) return null;
    return {
      errorCode: 'JSON_PARSER_ERROR',
      message: `Cannot deserialize the request body: value not accepted at character ${at + 1} (injected fault refuseBodiesContaining)`,
    };
  }

  /** True once after expireSessionOnce was set. */
  takeSessionExpiry(): boolean {
    if (!this.config.expireSessionOnce) return false;
    this.config.expireSessionOnce = false;
    return true;
  }
}
