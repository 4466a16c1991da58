import { DEFAULT_OPPORTUNITY_MAPPING, OPPORTUNITY_MAPPINGS, type OpportunityMapping } from '../domain';
import { choice, envSchema, integer, setting } from '../env-setting';

/** How the join keeps Opportunity touchpoints current (R13–R17, docs/configuration.md). */
export interface OpportunitySettings {
  /** OPPORTUNITY_MAPPING (R13): which people's touchpoints reach an Opportunity. */
  opportunityMapping: OpportunityMapping;
  /**
   * OPPORTUNITY_POLL_SECONDS: how often `serve` and `join --watch` ask the org for Opportunity changes
   * (one request a round: 288 a day at the default 300 s).
   */
  opportunityPollSeconds: number;
}

export const DEFAULT_OPPORTUNITY_POLL_SECONDS = 300;

/** OPPORTUNITY_MAPPING, or `simulate --opportunity-mapping` (the message names the flag). */
export const opportunityMapping = choice(
  Object.fromEntries(OPPORTUNITY_MAPPINGS.map((m) => [m, m])) as Record<
    OpportunityMapping,
    OpportunityMapping
  >,
  DEFAULT_OPPORTUNITY_MAPPING,
  (name, value) =>
    `${name} must be ${OPPORTUNITY_MAPPINGS.join(', ')} (got "${value}"): account (the default) credits ` +
    "an Opportunity with the touchpoints of its Account's Contacts, contact-roles with those of its " +
    'contact roles, primary-contact-role with those of its primary contact role only',
);

export const opportunitySettings = envSchema(
  {
    OPPORTUNITY_MAPPING: opportunityMapping,
    OPPORTUNITY_POLL_SECONDS: setting(
      integer(1, 86_400),
      DEFAULT_OPPORTUNITY_POLL_SECONDS,
      (name, value) =>
        `${name} must be a whole number of seconds from 1 to 86400 (got "${value}"); the default 300 ` +
        'costs 288 requests a day',
    ),
  },
  (s): OpportunitySettings => ({
    opportunityMapping: s.OPPORTUNITY_MAPPING,
    opportunityPollSeconds: s.OPPORTUNITY_POLL_SECONDS,
  }),
);
