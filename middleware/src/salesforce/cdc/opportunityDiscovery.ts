import type { Logger } from '../../log';
import type { KeyValueState } from '../../store/types';
import {
  BATCH_DELAY_MS,
  emptyOpportunityEvents,
  hasOpportunityEvents,
  mergeOpportunityEvents,
  type JoinWatch,
  type OpportunityEvents,
} from '../../join';
import { ChangeSubscription } from './changeSubscription';
import {
  OPPORTUNITY_CDC_ENTITIES,
  changeTopic,
  opportunityEventAction,
  type OpportunityCdcEntity,
} from './opportunityChangeEvent';
import type { PubSubClient } from './pubsubClient';
import { replayStore } from './replayStore';
import type { TaskDiscoveryStatus } from './discoveryStatus';

/**
 * Keeps Opportunity touchpoints current by Change Data Capture where the admin selected Opportunity,
 * OpportunityContactRole and Lead (with Task: 4 of the org's 5 entity selections, docs/salesforce.md):
 * one subscription per channel; the events of a batch window name the Opportunities to re-plan
 * (opportunityChangeEvent.ts), one join run re-plans only those, and then each channel's replay id
 * is stored. While every channel streams, the Opportunity poll is off (idle: 0 requests); while any
 * does not, the poll round runs as without CDC (it covers every entity, so nothing is missed).
 * A gap overflow, a Lead gap, an undecodable event or an expired replay id: one poll round.
 */
export interface OpportunityDiscoveryDeps {
  client: PubSubClient;
  store: KeyValueState;
  join: Pick<JoinWatch, 'trigger' | 'opportunityPolling'>;
  refreshSession(): Promise<void>;
  /** How long events are collected into one join run. */
  batchMs?: number;
  backoffMs?: { initial: number; max: number };
  logger: Logger;
}

interface Batch {
  events: OpportunityEvents;
  catchUp: boolean;
  replay: Map<OpportunityCdcEntity, bigint>;
}
const emptyBatch = (): Batch => ({ events: emptyOpportunityEvents(), catchUp: false, replay: new Map() });

export class OpportunityDiscovery {
  private readonly subs = new Map<OpportunityCdcEntity, ChangeSubscription>();
  private batch = emptyBatch();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private streaming: boolean | null = null;
  /** Ends the retry wait at once (stop()). */
  private wake: () => void = () => undefined;

  constructor(private readonly deps: OpportunityDiscoveryDeps) {
    for (const entity of OPPORTUNITY_CDC_ENTITIES) {
      const replay = replayStore(deps.store, `${entity}ChangeEvent`);
      this.subs.set(
        entity,
        new ChangeSubscription({
          client: deps.client,
          topic: changeTopic(entity),
          replayFrom: () => replay.get(),
          onEvent: (id, change) => this.onEvent(entity, id, change),
          onReplayLost: async () => {
            await replay.set(null);
            this.add({ catchUp: true });
          },
          onStatus: () => this.onStatus(),
          refreshSession: deps.refreshSession,
          backoffMs: deps.backoffMs,
          logger: deps.logger,
        }),
      );
    }
  }

  /** cdc when every channel streams; else polling, naming the channels that do not. */
  status(): TaskDiscoveryStatus {
    const off = [...this.subs.values()].map((s) => s.status()).filter((s) => s.mode !== 'cdc');
    // Channels still connecting give the same reason: say it once.
    return off.length
      ? { mode: 'polling', reason: [...new Set(off.map((s) => s.reason))].join('; ') }
      : { mode: 'cdc', reason: `streaming ${OPPORTUNITY_CDC_ENTITIES.map(changeTopic).join(', ')}` };
  }

  start(): void {
    for (const s of this.subs.values()) s.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake();
    await Promise.all([...this.subs.values()].map((s) => s.stop()));
    await this.chain.catch(() => undefined);
    this.deps.client.close();
  }

  private onStatus(): void {
    const streaming = this.status().mode === 'cdc';
    if (streaming === this.streaming) return;
    this.streaming = streaming;
    this.deps.join.opportunityPolling(!streaming);
    if (streaming)
      this.deps.logger.info('Opportunity touchpoints: Change Data Capture (no Opportunity poll)');
    else
      this.deps.logger.info(
        { reason: this.status().reason },
        'Opportunity touchpoints: poll round (not every entity streams)',
      );
  }

  private onEvent(
    entity: OpportunityCdcEntity,
    replayId: bigint,
    change: Parameters<typeof opportunityEventAction>[1] | null,
  ): void {
    const action = change ? opportunityEventAction(entity, change) : { kind: 'catch-up' as const };
    if (action.kind === 'unknown')
      this.deps.logger.warn(
        { entity, changeType: change?.changeType },
        'change event of an unknown type: skipped',
      );
    this.add({
      events: action.kind === 'replan' ? action.events : undefined,
      catchUp: action.kind === 'catch-up',
      replay: [entity, replayId],
    });
  }

  private add(what: {
    events?: Partial<OpportunityEvents>;
    catchUp?: boolean;
    replay?: [OpportunityCdcEntity, bigint];
  }): void {
    if (what.events) this.batch.events = mergeOpportunityEvents(this.batch.events, what.events);
    if (what.catchUp) this.batch.catchUp = true;
    if (what.replay) this.batch.replay.set(...what.replay);
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const b = this.batch;
      this.batch = emptyBatch();
      this.chain = this.chain.then(() => this.process(b));
    }, this.deps.batchMs ?? BATCH_DELAY_MS);
    this.timer.unref?.();
  }

  /** One join run for the batch, retried until it writes everything; then the replay ids are stored. */
  private async process(b: Batch): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (b.catchUp || hasOpportunityEvents(b.events)) {
          const s = await this.deps.join.trigger({
            opportunityEvents: b.events,
            pollOpportunities: b.catchUp,
          });
          if (
            s.aborted ||
            s.opportunities.skipped ||
            s.failed.some((f) => f.sobject === 'Opportunity_Touchpoint__c')
          )
            throw new Error('the join did not write every Opportunity touchpoint of the batch');
        }
        for (const [entity, id] of b.replay)
          await replayStore(this.deps.store, `${entity}ChangeEvent`).set(id);
        return;
      } catch (err) {
        // Up to the default poll interval: a refused read is retried no more often than a poll round.
        const wait = Math.min(300_000, 1000 * 2 ** attempt);
        this.deps.logger.warn(
          { err: (err as Error).message, retryInMs: wait },
          'join for changed Opportunities failed; retrying (replay ids not stored)',
        );
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
  }
}
