import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import { cdcEvents, cdcStreamErrors, taskDiscoveryMode } from '../../metrics';
import {
  avroType,
  PUBSUB_ERRORS,
  TASK_CHANGE_TOPIC,
  decodeReplayId,
  encodeReplayId,
} from '@call-touchpoints/pubsub-codec';
import type { KeyValueState } from '../../store/types';
import type { TaskRecord } from '../../domain';
import { BATCH_DELAY_MS, TASK_DATETIME_FIELDS, type JoinSummary, type JoinTrigger } from '../../join';
import {
  grpcCode,
  pubSubErrorCode,
  type FetchResponse,
  type PubSubClient,
  type SubscribeStream,
} from './pubsubClient';
import type { TaskDiscoveryStatus } from './discoveryStatus';
import type { OpportunityDiscovery } from './opportunityDiscovery';
import { replayStore } from './replayStore';
import { actionFor, decodeTaskChange, taskFromCreate } from './taskChangeEvent';

/**
 * How serve and `join --watch` learn about Tasks written by anyone (the vendor's own connector):
 * a Change Data Capture subscription to /data/TaskChangeEvent when the org offers it, else polling
 * at an interval that fits the API budget. Events that matter are batched for `batchMs` and joined;
 * the replay id of a batch is stored only after the join for its Tasks succeeded, so a restart
 * resumes from it (ReplayPreset.CUSTOM) and nothing is lost. An expired replay id costs one
 * catch-up run from the join's watermark. Pub/Sub streams do not count against the org's REST API
 * allowance; only the joins' own reads do.
 */
export interface TaskDiscoveryDeps {
  client: PubSubClient;
  store: KeyValueState;
  /** The join watch: runs the join for named Tasks, and polls when told to. */
  join: {
    trigger(what: JoinTrigger): Promise<JoinSummary>;
    setIntervalMs(ms: number | null): void;
  };
  /** Fields the join reads: an update touching none of them is not ours to act on. */
  joinInputFields: readonly string[];
  /**
   * The fields of the join's Task read (taskFields): a create event holding all of them is planned
   * from the event, without the read. Absent: every Task is read.
   */
  taskFields?: readonly string[];
  /** Re-authenticates (once per auth error) so the next call carries a fresh token. */
  refreshSession: () => Promise<void>;
  /** Polling interval while CDC is unavailable (default 60 s). */
  pollIntervalMs?: number;
  /** How long change events are collected into one join run (default: the webhook calls' 1 s window). */
  batchMs?: number;
  /** No message (event or keepalive) for this long = a stalled stream (Salesforce keepalive ≤ 270 s). */
  stallMs?: number;
  /** Reconnect backoff: first wait and cap. */
  backoffMs?: { initial: number; max: number };
  logger?: Logger;
}

export type { TaskDiscoveryStatus };

export const DEFAULT_POLL_INTERVAL_MS = 60_000;
/** How long after our own write a Task's change events are taken as ours (see ownWrite). */
export const OWN_WRITE_MS = 10_000;
const NUM_REQUESTED = 100;

/**
 * Why CDC is off when the integration user may not receive Task change events: Task has no View All
 * Records, so Salesforce requires View All Data (CDC Developer Guide, "Required Permissions for Change
 * Event Subscribers"); the Call_Touchpoints_Change_Events permission set grants it (docs/salesforce.md).
 */
export const NO_VIEW_ALL_DATA =
  'CDC off: the integration user lacks View All Data — assign it the Call_Touchpoints_Change_Events permission set (docs/salesforce.md), or keep polling';

export function formatDiscovery(s: TaskDiscoveryStatus): string {
  return s.mode === 'cdc' ? `cdc (${s.reason})` : `polling (${s.reason})`;
}

export class TaskDiscovery {
  private status_: TaskDiscoveryStatus = { mode: 'polling', reason: 'connecting to the Pub/Sub API' };
  private stopped = false;
  private stream: SubscribeStream | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  /** Set when we cancel a silent stream ourselves: its end is not a server close. */
  private stalled = false;
  private wakers = new Set<() => void>();
  private failures = 0;
  private authRefreshed = false;
  /** Tasks to join (to read by Id, or known whole from their create event) and the replay id to store once they are. */
  private batch: EventBatch = emptyBatch();
  private batchTimer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  private readonly replay: ReturnType<typeof replayStore>;
  private readonly inputs: Set<string>;
  private loop: Promise<void> | null = null;
  /** The Opportunity channels' discovery started beside it (startTaskDiscovery); stopped with it. */
  opportunities: OpportunityDiscovery | null = null;

  constructor(private deps: TaskDiscoveryDeps) {
    this.log = deps.logger ?? silentLogger;
    this.replay = replayStore(deps.store);
    this.inputs = new Set(deps.joinInputFields);
  }

  status(): TaskDiscoveryStatus {
    return this.status_;
  }

  /** Tasks our own calls pipeline wrote (and joined), id → when. */
  private ownWrites = new Map<string, number>();

  /**
   * A Task the calls pipeline writes itself (calls/pipeline.ts): it creates the Task, then writes
   * its WhoId and join fields, and joins it — its change events (one or two, in one event batch or
   * two) need no join run. Events for it are ignored for OWN_WRITE_MS after the mark, which is set
   * as soon as the Task is created, before the event batch (200 ms) is flushed; when the order is
   * otherwise, the cost is one redundant run, never a missed Task.
   */
  ownWrite(taskId: string): void {
    const now = Date.now();
    this.ownWrites.delete(taskId);
    this.ownWrites.set(taskId, now);
    for (const [id, at] of this.ownWrites) {
      if (now - at < OWN_WRITE_MS) break; // insertion order = time order
      this.ownWrites.delete(id);
    }
  }

  private isOwnWrite(taskId: string): boolean {
    const at = this.ownWrites.get(taskId);
    return at !== undefined && Date.now() - at < OWN_WRITE_MS;
  }

  private settledResolve: (() => void) | null = null;
  private readonly settledPromise = new Promise<void>((r) => (this.settledResolve = r));

  /** Resolves once the first subscription attempt has an outcome (or after timeoutMs): for the banner. */
  settled(timeoutMs = 5000): Promise<TaskDiscoveryStatus> {
    return Promise.race([
      this.settledPromise,
      new Promise<void>((r) => setTimeout(r, timeoutMs).unref?.()),
    ]).then(() => this.status_);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    await this.opportunities?.stop();
    this.stopped = true;
    this.clearTimers();
    for (const wake of [...this.wakers]) wake();
    this.stream?.cancel();
    await this.loop;
    await this.chain.catch(() => undefined);
    this.deps.client.close();
  }

  private clearTimers(): void {
    for (const t of [this.stallTimer, this.batchTimer]) if (t) clearTimeout(t);
    this.stallTimer = this.batchTimer = null;
  }

  private setMode(mode: 'cdc' | 'polling', reason: string): void {
    const changed = this.status_.mode !== mode || this.status_.reason !== reason;
    this.status_ = { mode, reason };
    this.settledResolve?.();
    taskDiscoveryMode.set(mode === 'cdc' ? 1 : 0);
    this.deps.join.setIntervalMs(
      mode === 'cdc' ? null : (this.deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS),
    );
    if (!changed) return;
    if (mode === 'cdc')
      this.log.info({ taskDiscovery: reason }, 'Task discovery: Change Data Capture (no Task polling)');
    else this.log.warn({ taskDiscovery: reason }, 'Task discovery: polling for Tasks');
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const ended = await this.subscribeOnce().catch((err: unknown) => this.onFailure(err));
      if (this.stopped) break;
      await this.sleep(ended === 'now' ? 0 : this.backoff());
    }
  }

  private backoff(): number {
    const { initial, max } = this.deps.backoffMs ?? { initial: 1000, max: 60_000 };
    return Math.min(max, initial * 2 ** Math.min(this.failures, 16));
  }

  /** A wait that stop() ends at once. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      this.wakers.add(done);
    });
  }

  /** One subscription, from GetTopic to the stream's end; resolves 'now' to resubscribe at once. */
  private async subscribeOnce(): Promise<'now' | 'later'> {
    const topic = await this.deps.client.getTopic(TASK_CHANGE_TOPIC);
    if (topic.can_subscribe === false) {
      // Subscribing would be refused (PUBSUB_ERRORS.cannotSubscribe): say why and poll.
      cdcStreamErrors.inc({ reason: 'no-view-all-data' });
      this.failures++;
      this.setMode('polling', NO_VIEW_ALL_DATA);
      return 'later';
    }
    // The schema changes when fields are deployed: fetch it for every (re)subscription.
    const schema = await this.deps.client.getSchema(topic.schema_id);
    avroType(schema.schema_id, schema.schema_json);
    const from = await this.replay.get();
    if (this.stopped) return 'later'; // stop() came while we were connecting
    const stream = this.deps.client.subscribe();
    this.stream = stream;
    this.stalled = false;
    stream.write({
      topic_name: TASK_CHANGE_TOPIC,
      replay_preset: from === null ? 'LATEST' : 'CUSTOM',
      ...(from === null ? {} : { replay_id: encodeReplayId(from) }),
      num_requested: NUM_REQUESTED,
    });
    this.setMode(
      'cdc',
      from === null
        ? 'subscribed to /data/TaskChangeEvent'
        : `resumed /data/TaskChangeEvent from replay id ${from}`,
    );
    this.armStall();
    return new Promise((resolve, reject) => {
      stream.on('data', (res: FetchResponse) => {
        this.failures = 0;
        this.authRefreshed = false;
        this.armStall();
        this.onResponse(res);
        if (res.pending_num_requested <= 0 && res.events.length)
          stream.write({ topic_name: TASK_CHANGE_TOPIC, num_requested: NUM_REQUESTED });
      });
      stream.on('error', (err) => reject(err));
      stream.on('end', () => {
        if (this.stopped) return resolve('later');
        if (this.stalled) return resolve('now');
        cdcStreamErrors.inc({ reason: 'closed' });
        this.failures++;
        this.log.warn('Pub/Sub stream closed by the server; resubscribing');
        resolve('later');
      });
    }).finally(() => {
      if (this.stallTimer) clearTimeout(this.stallTimer);
      this.stream = null;
    }) as Promise<'now' | 'later'>;
  }

  private armStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    const ms = this.deps.stallMs ?? 300_000;
    this.stallTimer = setTimeout(() => {
      cdcStreamErrors.inc({ reason: 'stalled' });
      this.log.warn({ ms }, 'Pub/Sub stream stalled (no event or keepalive); reconnecting');
      this.stalled = true;
      this.stream?.cancel();
    }, ms);
    this.stallTimer.unref?.();
  }

  private async onFailure(err: unknown): Promise<'now' | 'later'> {
    if (this.stopped) return 'later';
    const code = grpcCode(err);
    const sfCode = pubSubErrorCode(err);
    const message = (err as Error).message ?? String(err);
    if (code === grpc.status.CANCELLED) return 'now'; // our own cancel after a stall
    this.failures++;
    if (sfCode === PUBSUB_ERRORS.cannotSubscribe) {
      cdcStreamErrors.inc({ reason: 'no-view-all-data' });
      this.setMode('polling', NO_VIEW_ALL_DATA);
      return 'later';
    }
    if (sfCode === PUBSUB_ERRORS.auth || code === grpc.status.UNAUTHENTICATED) {
      cdcStreamErrors.inc({ reason: 'auth' });
      if (!this.authRefreshed) {
        this.authRefreshed = true;
        this.log.info('Pub/Sub API rejected the session; re-authenticating once and resubscribing');
        try {
          await this.deps.refreshSession();
          return 'now';
        } catch (e) {
          this.log.warn({ err: (e as Error).message }, 're-authentication failed');
        }
      }
      this.setMode(
        'polling',
        "the Pub/Sub API rejects our session: check the integration user's credentials (SF_* variables or --target-org)",
      );
      return 'later';
    }
    if (sfCode === PUBSUB_ERRORS.replayCorrupted || sfCode === PUBSUB_ERRORS.replayValidation) {
      cdcStreamErrors.inc({ reason: 'replay-expired' });
      this.log.warn(
        { code: sfCode },
        'stored replay id expired or invalid: one catch-up run from the join watermark, then streaming from now',
      );
      // Subscribe from LATEST first, then catch up: changes in between are in either one.
      await this.replay.set(null);
      this.enqueue(new Set(), null, true);
      return 'now';
    }
    if (code === grpc.status.NOT_FOUND || code === grpc.status.PERMISSION_DENIED) {
      cdcStreamErrors.inc({ reason: 'not-selected' });
      this.setMode(
        'polling',
        'Task is not selected for Change Data Capture: run `call-touchpoints deploy` (or Setup → Change Data Capture → add Task)',
      );
      return 'later';
    }
    cdcStreamErrors.inc({ reason: 'unavailable' });
    this.setMode(
      'polling',
      `Pub/Sub API unreachable (${message.split('\n')[0].slice(0, 120)}); retrying with backoff`,
    );
    return 'later';
  }

  private onResponse(res: FetchResponse): void {
    for (const e of res.events) {
      const replayId = decodeReplayId(e.replay_id);
      let outcome: string;
      try {
        const type = avroType(e.event.schema_id);
        const change = decodeTaskChange(type, e.event.payload);
        if (change.skippedIds.length)
          this.log.warn(
            { skipped: change.skippedIds.slice(0, 5).map((i) => i.slice(0, 40)), replayId: String(replayId) },
            'TaskChangeEvent names record ids that are not Salesforce ids: those skipped, the rest joined',
          );
        outcome = actionFor(change, this.inputs);
        const whole =
          outcome === 'join' && this.deps.taskFields
            ? taskFromCreate(change, this.deps.taskFields, TASK_DATETIME_FIELDS)
            : null;
        if (whole) this.enqueue(new Set(), replayId, false, whole);
        else if (outcome === 'join') this.enqueue(new Set(change.recordIds), replayId, false);
        else if (outcome === 'catch-up') this.enqueue(new Set(), replayId, true);
        else {
          if (outcome === 'unknown')
            this.log.warn(
              { changeType: change.changeType, replayId: String(replayId) },
              'TaskChangeEvent with an unknown change type: skipped',
            );
          this.enqueue(new Set(), replayId, false);
        }
      } catch (err) {
        outcome = 'malformed';
        this.log.warn(
          { err: (err as Error).message, replayId: String(replayId) },
          'malformed TaskChangeEvent skipped; a catch-up run from the watermark covers its Task',
        );
        this.enqueue(new Set(), replayId, true);
      }
      cdcEvents.inc({ outcome });
    }
  }

  private enqueue(ids: Set<string>, replayId: bigint | null, catchUp: boolean, whole?: TaskRecord): void {
    for (const id of ids) this.batch.ids.add(id);
    if (whole) this.batch.tasks.set(whole.Id, whole);
    if (replayId !== null) this.batch.replayId = replayId;
    this.batch.catchUp ||= catchUp;
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = null;
      const b = this.batch;
      this.batch = emptyBatch();
      this.chain = this.chain.then(() => this.process(b));
    }, this.deps.batchMs ?? BATCH_DELAY_MS);
    this.batchTimer.unref?.();
  }

  /**
   * Join a batch's Tasks, then store its replay id; a failed join is retried before moving on. A Task
   * named by a later update as well as by its create is read (the update's values are newer).
   */
  private async process(b: EventBatch): Promise<void> {
    const taskIds = [...b.ids].filter((id) => !this.isOwnWrite(id));
    const tasks = [...b.tasks.values()].filter((t) => !b.ids.has(t.Id) && !this.isOwnWrite(t.Id));
    const all = [...taskIds, ...tasks.map((t) => t.Id)];
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        if (all.length || b.catchUp) {
          // A catch-up reads by the watermark anyway: every Task of the batch is read with it.
          const what: JoinTrigger = b.catchUp ? { taskIds: all } : { taskIds, tasks };
          const s = await this.deps.join.trigger(what);
          const failed = new Set(s.failed.filter((f) => f.sobject === 'Task').map((f) => f.key));
          if (s.aborted || all.some((id) => failed.has(id)))
            throw new Error('the join did not write every Task of the batch');
        }
        if (b.replayId !== null) await this.replay.set(b.replayId);
        return;
      } catch (err) {
        const wait = Math.min(60_000, 1000 * 2 ** attempt);
        this.log.warn(
          { err: (err as Error).message, tasks: all.length, retryInMs: wait },
          'join for changed Tasks failed; retrying (replay id not stored)',
        );
        await this.sleep(wait);
      }
    }
  }
}

interface EventBatch {
  ids: Set<string>;
  tasks: Map<string, TaskRecord>;
  replayId: bigint | null;
  catchUp: boolean;
}

function emptyBatch(): EventBatch {
  return { ids: new Set(), tasks: new Map(), replayId: null, catchUp: false };
}
