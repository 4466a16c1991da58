import type { NormalizedCall } from '../../src/vendors/normalized-call';
import { until } from '../until';

/** A generic vendor's answered call, started a minute ago, as the outbox stores it (the parking tests). */
export function outboxCall(id: string, extra: Partial<NormalizedCall> = {}): NormalizedCall {
  return {
    vendor: 'generic',
    vendorCallId: `generic:${id}`,
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    durationSeconds: 30,
    direction: 'inbound',
    outcome: 'answered',
    callerNumber: null,
    trackingNumber: null,
    source: 'Google Ads',
    campaign: null,
    recordingUrl: null,
    visitorId: null,
    ...extra,
  };
}

/** Waits (polling every 50 ms) until `check` answers true, or fails naming `what`. */
export async function untilTrue(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  await until(what, ms, async () => ((await check()) ? true : null), 50);
}
