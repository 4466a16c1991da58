import { DEFAULT_BIZIBLE_ID_FIELD } from '../domain';
import { choice, envSchema, matching, text, wholeNumber, type Setting } from '../env-setting';

/** The org: how to sign in, what we may spend, how Tasks are discovered (docs/salesforce.md). */
export interface SalesforceSettings {
  /**
   * SF_DAILY_REQUEST_BUDGET: org API requests this middleware may spend per rolling 24 h before it
   * defers work that can wait (null: 10% of the org's daily limit, salesforce/budget.ts).
   */
  dailyRequestBudget: number | null;
  salesforce: {
    instanceUrl: string | null;
    accessToken: string | null;
    loginUrl: string | null;
    clientId: string | null;
    clientSecret: string | null;
    username: string | null;
    jwtKeyFile: string | null;
  };
  /** Task discovery: Change Data Capture over the Pub/Sub API, or polling. */
  taskDiscovery?: {
    /** TASK_DISCOVERY: cdc (default; falls back to polling when unavailable) or polling. */
    mode: 'cdc' | 'polling';
    /** SF_PUBSUB_ENDPOINT: host:port (default Salesforce's api.pubsub.salesforce.com:7443). */
    pubsubEndpoint: string | null;
    /** SF_PUBSUB_CA_FILE: PEM to trust for that endpoint (the local org's pubsub-cert.pem). */
    pubsubCaFile: string | null;
  };
}

/** An org's base URL: scheme and host, nothing after (jsforce appends /services/data/…). */
const orgUrl = matching(
  /^https?:\/\/[^\s/?#]+\/?$/i,
  null,
  (name, value) =>
    `${name} must be the org's URL with its scheme, such as https://yourcompany.my.salesforce.com ` +
    `(or the local org's http://127.0.0.1:PORT that \`call-touchpoints local-org\` prints), got "${value}"`,
);

export const salesforceSettings = envSchema(
  {
    SF_INSTANCE_URL: orgUrl,
    SF_ACCESS_TOKEN: text(),
    SF_LOGIN_URL: orgUrl,
    SF_CLIENT_ID: text(),
    SF_CLIENT_SECRET: text(),
    SF_USERNAME: text(),
    SF_JWT_KEY_FILE: text(),
    SF_DAILY_REQUEST_BUDGET: wholeNumber('API requests per 24 hours', 1, null),
    TASK_DISCOVERY: choice(
      { cdc: 'cdc', polling: 'polling' } as const,
      'cdc',
      (name, value) => `${name} must be cdc or polling, got "${value}"`,
    ),
    SF_PUBSUB_ENDPOINT: matching(
      /^[\w.-]+:\d+$|^\[[\da-f:]+\]:\d+$/i,
      null,
      (name, value) => `${name} must be host:port (e.g. api.pubsub.salesforce.com:7443), got "${value}"`,
    ),
    SF_PUBSUB_CA_FILE: text(),
  },
  (s): SalesforceSettings => ({
    dailyRequestBudget: s.SF_DAILY_REQUEST_BUDGET,
    salesforce: {
      instanceUrl: s.SF_INSTANCE_URL,
      accessToken: s.SF_ACCESS_TOKEN,
      loginUrl: s.SF_LOGIN_URL,
      clientId: s.SF_CLIENT_ID,
      clientSecret: s.SF_CLIENT_SECRET,
      username: s.SF_USERNAME,
      jwtKeyFile: s.SF_JWT_KEY_FILE,
    },
    taskDiscovery: {
      mode: s.TASK_DISCOVERY,
      pubsubEndpoint: s.SF_PUBSUB_ENDPOINT,
      pubsubCaFile: s.SF_PUBSUB_CA_FILE,
    },
  }),
);

/** A Task field API name (BIZIBLE_ID_FIELD, simulate --bizible-id-field): BizibleId__c, bizible2__BizibleId__c. */
export const TASK_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(__c)?$/;

/** The Task field holding the cookie id (R1); also read by `simulate`, as a variable or its flag. */
export const taskField: Setting<string> = matching(
  TASK_FIELD_NAME,
  DEFAULT_BIZIBLE_ID_FIELD,
  (name, value) =>
    `${name} must be a Task field API name such as ${DEFAULT_BIZIBLE_ID_FIELD} or ` +
    `bizible2__${DEFAULT_BIZIBLE_ID_FIELD}, got "${value}"`,
);

export interface BizibleIdSettings {
  /** BIZIBLE_ID_FIELD (R1): BizibleId__c, or bizible2__BizibleId__c in orgs with the managed package. */
  bizibleIdField: string;
}

export const bizibleIdSettings = envSchema({ BIZIBLE_ID_FIELD: taskField }, (s): BizibleIdSettings => ({
  bizibleIdField: s.BIZIBLE_ID_FIELD,
}));
