/**
 * How a parked outbox item is stored, for both databases: its next attempt is set to PARKED_AT, an
 * instant no clock reaches (year 287,000), so every "due" query passes it over without a schema
 * change, and a re-enqueue of its key (ON CONFLICT … next_attempt_at = now) makes it due again.
 * Parked items are calls the org refused for their own content (calls/parking.ts).
 */
export const PARKED_AT = 9_000_000_000_000_000;
