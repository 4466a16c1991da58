import { envSchema, list, wholeNumber, yesNo } from '../env-setting';

/** Web tracking's settings (docs/tracking.md). */
export interface TrackingSettings {
  /** SITE_ORIGINS: origins allowed to post to /collect (CORS; empty: same origin only). */
  siteOrigins: string[];
  /** POST /collect rate limit and the privacy opt-out signals. */
  tracking: {
    /** COLLECT_RATE_LIMIT: requests per minute per client IP on /collect (default 300). */
    collectRateLimitPerMinute: number;
    /** TRACKING_HONOR_OPT_OUT: drop events sent with `Sec-GPC: 1` or `DNT: 1` (default true). */
    honorOptOut: boolean;
    /**
     * TRACKING_BOT_FILTER: drop events from automated browsers (crawlers, headless Chromium, curl;
     * default on). `off` tracks them too: for testing with automated browsers only.
     */
    botFilter: boolean;
    /** VISITOR_DAILY_EVENT_CAP: events kept per visitor per UTC day, per process (0: no cap). */
    visitorDailyEventCap: number;
    /** COLLECT_NEW_VISITORS_PER_MINUTE: distinct visitor ids per client address per minute (0: no limit). */
    newVisitorsPerMinute: number;
  };
}

/** VISITOR_DAILY_EVENT_CAP default: far above any person's page views in a day. */
export const DEFAULT_VISITOR_DAILY_EVENT_CAP = 1000;

/** COLLECT_NEW_VISITORS_PER_MINUTE default: a busy office or carrier NAT, not a script inventing ids. */
export const DEFAULT_NEW_VISITORS_PER_MINUTE = 120;

export const trackingSettings = envSchema(
  {
    SITE_ORIGINS: list(),
    COLLECT_RATE_LIMIT: wholeNumber('requests per minute', 1, 300),
    TRACKING_HONOR_OPT_OUT: yesNo(
      true,
      (name, value) => `${name} must be true or false (or on/off), got "${value}"`,
    ),
    TRACKING_BOT_FILTER: yesNo(
      true,
      (name, value) =>
        `${name} must be on or off (or true/false; off only for testing with automated browsers), got "${value}"`,
    ),
    VISITOR_DAILY_EVENT_CAP: wholeNumber(
      'events per visitor per day; 0 turns the cap off',
      0,
      DEFAULT_VISITOR_DAILY_EVENT_CAP,
    ),
    COLLECT_NEW_VISITORS_PER_MINUTE: wholeNumber(
      'visitor ids per client address per minute; 0 turns the limit off',
      0,
      DEFAULT_NEW_VISITORS_PER_MINUTE,
    ),
  },
  (s): TrackingSettings => ({
    siteOrigins: s.SITE_ORIGINS,
    tracking: {
      collectRateLimitPerMinute: s.COLLECT_RATE_LIMIT,
      honorOptOut: s.TRACKING_HONOR_OPT_OUT,
      botFilter: s.TRACKING_BOT_FILTER,
      visitorDailyEventCap: s.VISITOR_DAILY_EVENT_CAP,
      newVisitorsPerMinute: s.COLLECT_NEW_VISITORS_PER_MINUTE,
    },
  }),
);
