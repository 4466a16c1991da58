/**
 * How a change subscription finds its records now: Change Data Capture, or polling and why. Its own
 * file so the subscriptions (Task, Opportunity) and their shared stream share it without an import loop.
 */
export interface TaskDiscoveryStatus {
  mode: 'cdc' | 'polling';
  reason: string;
}
