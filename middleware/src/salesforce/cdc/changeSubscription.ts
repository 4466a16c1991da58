import * as grpc from '@grpc/grpc-js';
import { avroType, PUBSUB_ERRORS, decodeReplayId, encodeReplayId } from '@call-touchpoints/pubsub-codec';
import type { Logger } from '../../log';
import {
  grpcCode,
  pubSubErrorCode,
  type FetchResponse,
  type PubSubClient,
  type SubscribeStream,
} from './pubsubClient';
import { decodeTaskChange, type TaskChange } from './taskChangeEvent';
import type { TaskDiscoveryStatus } from './discoveryStatus';

/**
 * One change event channel (/data/<Entity>ChangeEvent) over the Pub/Sub API: GetTopic, GetSchema,
 * Subscribe from the stored replay id (else LATEST), flow control of 100 events, reconnect with
 * backoff, a stalled stream (no event or keepalive within stallMs; Salesforce sends one within 270 s)
 * cancelled and resubscribed. Events are decoded and handed on with their replay id; the owner
 * stores the replay id once it acted on them (opportunityDiscovery.ts). The Task channel has its own,
 * richer loop (taskDiscovery.ts: own writes, create events planned whole).
 */
export interface ChangeSubscriptionDeps {
  client: PubSubClient;
  topic: string;
  /** The replay id to resume from (null: LATEST). */
  replayFrom(): Promise<bigint | null>;
  /** A decoded event (null: its payload could not be decoded). */
  onEvent(replayId: bigint, change: TaskChange | null): void;
  /** The stored replay id was refused (expired): the owner catches up some other way and forgets it. */
  onReplayLost(): Promise<void>;
  onStatus(status: TaskDiscoveryStatus): void;
  refreshSession(): Promise<void>;
  backoffMs?: { initial: number; max: number };
  stallMs?: number;
  logger: Logger;
}

const NUM_REQUESTED = 100;

export class ChangeSubscription {
  private status_: TaskDiscoveryStatus = { mode: 'polling', reason: 'connecting to the Pub/Sub API' };
  private stopped = false;
  private stream: SubscribeStream | null = null;
  private failures = 0;
  private authRefreshed = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly deps: ChangeSubscriptionDeps) {}

  status(): TaskDiscoveryStatus {
    return this.status_;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.stream?.cancel();
    await this.loop;
  }

  private setStatus(mode: 'cdc' | 'polling', reason: string): void {
    this.status_ = { mode, reason };
    this.deps.onStatus(this.status_);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const ended = await this.subscribeOnce().catch((err: unknown) => this.onFailure(err));
      if (this.stopped) break;
      const { initial, max } = this.deps.backoffMs ?? { initial: 1000, max: 300_000 };
      const ms = ended === 'now' ? 0 : Math.min(max, initial * 2 ** Math.min(this.failures, 16));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        t.unref?.();
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private async subscribeOnce(): Promise<'now' | 'later'> {
    const { client, topic } = this.deps;
    const info = await client.getTopic(topic);
    if (info.can_subscribe === false) return this.refused('the integration user lacks View All Data');
    const schema = await client.getSchema(info.schema_id);
    avroType(schema.schema_id, schema.schema_json);
    const from = await this.deps.replayFrom();
    if (this.stopped) return 'later';
    const stream = client.subscribe();
    this.stream = stream;
    let stalled = false;
    let stall: NodeJS.Timeout | null = null;
    const arm = () => {
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => {
        stalled = true;
        stream.cancel();
      }, this.deps.stallMs ?? 300_000);
      stall.unref?.();
    };
    stream.write({
      topic_name: topic,
      replay_preset: from === null ? 'LATEST' : 'CUSTOM',
      ...(from === null ? {} : { replay_id: encodeReplayId(from) }),
      num_requested: NUM_REQUESTED,
    });
    this.setStatus(
      'cdc',
      from === null ? `subscribed to ${topic}` : `resumed ${topic} from replay id ${from}`,
    );
    arm();
    return new Promise<'now' | 'later'>((resolve, reject) => {
      stream.on('data', (res: FetchResponse) => {
        this.failures = 0;
        this.authRefreshed = false;
        arm();
        for (const e of res.events) this.deliver(decodeReplayId(e.replay_id)!, e.event);
        if (res.pending_num_requested <= 0 && res.events.length)
          stream.write({ topic_name: topic, num_requested: NUM_REQUESTED });
      });
      stream.on('error', (err) => (stalled ? resolve('now') : reject(err)));
      stream.on('end', () => {
        if (this.stopped || stalled) return resolve(stalled ? 'now' : 'later');
        this.failures++;
        resolve('later');
      });
    }).finally(() => {
      if (stall) clearTimeout(stall);
      this.stream = null;
    });
  }

  private deliver(replayId: bigint, event: { schema_id: string; payload: Buffer }): void {
    let change: TaskChange | null = null;
    try {
      change = decodeTaskChange(avroType(event.schema_id), event.payload);
    } catch (err) {
      this.deps.logger.warn(
        { err: (err as Error).message, topic: this.deps.topic, replayId: String(replayId) },
        'malformed change event',
      );
    }
    this.deps.onEvent(replayId, change);
  }

  private refused(why: string): 'later' {
    this.failures++;
    this.setStatus('polling', `${this.deps.topic}: ${why}`);
    return 'later';
  }

  private async onFailure(err: unknown): Promise<'now' | 'later'> {
    if (this.stopped) return 'later';
    const code = grpcCode(err);
    const sfCode = pubSubErrorCode(err);
    if (code === grpc.status.CANCELLED) return 'now';
    if (sfCode === PUBSUB_ERRORS.cannotSubscribe)
      return this.refused('the integration user lacks View All Data');
    if (sfCode === PUBSUB_ERRORS.auth || code === grpc.status.UNAUTHENTICATED) {
      if (!this.authRefreshed) {
        this.authRefreshed = true;
        await this.deps.refreshSession().catch(() => undefined);
        return 'now';
      }
      return this.refused('the Pub/Sub API rejects our session');
    }
    if (sfCode === PUBSUB_ERRORS.replayCorrupted || sfCode === PUBSUB_ERRORS.replayValidation) {
      this.deps.logger.warn({ topic: this.deps.topic }, 'stored replay id expired: one catch-up poll round');
      await this.deps.onReplayLost();
      return 'now';
    }
    if (code === grpc.status.NOT_FOUND || code === grpc.status.PERMISSION_DENIED)
      return this.refused('not selected for Change Data Capture (Setup → Change Data Capture)');
    const message = (err as Error).message ?? String(err);
    return this.refused(`Pub/Sub API unreachable (${message.split('\n')[0].slice(0, 120)})`);
  }
}
