/**
 * Numbered schema migrations, one list per dialect. A migration is applied once and recorded in
 * `schema_migrations`; never edit an applied migration, add the next number instead.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Times are epoch milliseconds (UTC instants). A session's full shape is kept as JSON in `body`. */
export const sqliteMigrations: Migration[] = [
  {
    version: 1,
    name: 'events, sessions, state, outbox',
    sql: `
      CREATE TABLE events (
        event_id    TEXT PRIMARY KEY,
        visitor_id  TEXT NOT NULL,
        type        TEXT NOT NULL,
        url         TEXT NOT NULL,
        referrer    TEXT,
        received_at INTEGER NOT NULL,
        client_time INTEGER,
        email       TEXT
      );
      CREATE INDEX events_visitor_time ON events (visitor_id, received_at);
      CREATE TABLE sessions (
        session_key      TEXT PRIMARY KEY,
        visitor_id       TEXT NOT NULL,
        started_at       INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL,
        body             TEXT NOT NULL
      );
      CREATE INDEX sessions_visitor_start ON sessions (visitor_id, started_at);
      CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        kind            TEXT NOT NULL,
        key             TEXT NOT NULL,
        payload         TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        UNIQUE (kind, key)
      );
      CREATE INDEX outbox_due ON outbox (kind, next_attempt_at, id);
    `,
  },
  {
    version: 2,
    name: 'dirty_visitors: visitors with events not yet sessionized',
    // Deferred sessionization (sessionizer.ts): an append marks each visitor it gave new events,
    // in the same transaction, with the rowid of the first one. Events are never deleted and
    // SQLite has one writer at a time, so rowids grow in commit order: the visitor's events from
    // `from_rowid` on are exactly the ones its sessions do not hold yet. One row per visitor,
    // not per event: a per-event mark costs a second random index insert per event.
    sql: `
      CREATE TABLE dirty_visitors (
        visitor_id TEXT PRIMARY KEY,
        from_rowid INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'sessions.sealed: sessions kept as a summary after retention deleted their events',
    // Retention (retention.ts) deletes old events; a sealed session keeps its summary (the join
    // reads only summaries) and is never re-sessionized. The index finds expired sessions.
    // dirty_visitors (version 2) still holds: a new row gets the largest rowid + 1, and retention
    // never deletes an event that is not sessionized yet.
    sql: `
      ALTER TABLE sessions ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX sessions_expiry ON sessions (sealed, last_activity_at);
    `,
  },
  {
    version: 4,
    name: 'join ledger tables (join_tasks, join_visitor_tasks, join_visitor_records, join_watermark)',
    // The join's ledger (join/ledger.ts), until now JSON under `join.*` state keys,
    // which migrate() moves here once (join-ledger-legacy.ts). One row per Task, per Task of a
    // visitor (in plan order) and per record last written for a visitor. `updated_at` drives the
    // ledger's retention (pruneJoinLedger); the visitor indexes serve retention's "is this
    // visitor in the ledger" test and the reads by visitor.
    sql: `
      CREATE TABLE join_tasks (
        task_id    TEXT NOT NULL PRIMARY KEY,
        visitor_id TEXT,
        in_hash    TEXT,
        out_hash   TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX join_tasks_visitor ON join_tasks (visitor_id);
      CREATE INDEX join_tasks_updated ON join_tasks (updated_at);
      CREATE TABLE join_visitor_tasks (
        visitor_id TEXT NOT NULL,
        task_id    TEXT NOT NULL,
        position   INTEGER NOT NULL,
        PRIMARY KEY (visitor_id, task_id)
      ) WITHOUT ROWID;
      CREATE TABLE join_visitor_records (
        visitor_id TEXT NOT NULL,
        record_key TEXT NOT NULL,
        hash       TEXT NOT NULL,
        sf_id      TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (visitor_id, record_key)
      ) WITHOUT ROWID;
      CREATE INDEX join_visitor_records_updated ON join_visitor_records (updated_at);
      CREATE TABLE join_watermark (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'erasure_requests and suppressions (issue 23)',
    // A person's erasure (erasure/): the request with the step it reached, so a crash resumes it,
    // and afterwards its audit entry (plan cleared). Suppressions hold salted hashes only.
    sql: `
      CREATE TABLE erasure_requests (
        id           TEXT PRIMARY KEY,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_hash TEXT NOT NULL,
        step         TEXT NOT NULL,
        plan         TEXT,
        result       TEXT NOT NULL,
        finished_at  INTEGER,
        error        TEXT
      );
      CREATE INDEX erasure_requests_time ON erasure_requests (requested_at);
      CREATE TABLE suppressions (
        hash       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        reason     TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'join_tasks.who_id: the person (WhoId) each call Task named (R21)',
    // Journeys per person (R21): a batch that plans one cookie of a person must plan the person's
    // other cookies too; the index finds them by the WhoId their Tasks named, from the store, at no
    // org request. Rows written before this version have no WhoId until their Task is planned again.
    sql: `
      ALTER TABLE join_tasks ADD COLUMN who_id TEXT;
      CREATE INDEX join_tasks_who ON join_tasks (who_id);
    `,
  },
];

export const postgresMigrations: Migration[] = [
  {
    version: 1,
    name: 'events, sessions, state, outbox',
    sql: `
      CREATE TABLE events (
        event_id    TEXT PRIMARY KEY,
        visitor_id  TEXT NOT NULL,
        type        TEXT NOT NULL,
        url         TEXT NOT NULL,
        referrer    TEXT,
        received_at BIGINT NOT NULL,
        client_time BIGINT,
        email       TEXT
      );
      CREATE INDEX events_visitor_time ON events (visitor_id, received_at);
      CREATE TABLE sessions (
        session_key      TEXT PRIMARY KEY,
        visitor_id       TEXT NOT NULL,
        started_at       BIGINT NOT NULL,
        last_activity_at BIGINT NOT NULL,
        body             TEXT NOT NULL
      );
      CREATE INDEX sessions_visitor_start ON sessions (visitor_id, started_at);
      CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE outbox (
        id              BIGSERIAL PRIMARY KEY,
        kind            TEXT NOT NULL,
        key             TEXT NOT NULL,
        payload         TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error      TEXT,
        created_at      BIGINT NOT NULL,
        UNIQUE (kind, key)
      );
      CREATE INDEX outbox_due ON outbox (kind, next_attempt_at, id);
    `,
  },
  {
    version: 2,
    name: 'pending_events: appended events not yet sessionized',
    // PostgreSQL ids are not commit-ordered, so each new event is marked (sessionizer.ts).
    sql: `
      CREATE TABLE pending_events (
        visitor_id TEXT NOT NULL,
        event_id   TEXT NOT NULL,
        PRIMARY KEY (visitor_id, event_id)
      );
    `,
  },
  {
    version: 3,
    name: 'sessions.sealed: sessions kept as a summary after retention deleted their events',
    sql: `
      ALTER TABLE sessions ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;
      CREATE INDEX sessions_expiry ON sessions (sealed, last_activity_at);
    `,
  },
  {
    version: 4,
    name: 'join ledger tables (join_tasks, join_visitor_tasks, join_visitor_records, join_watermark)',
    // As SQLite's version 4.
    sql: `
      CREATE TABLE join_tasks (
        task_id    TEXT NOT NULL PRIMARY KEY,
        visitor_id TEXT,
        in_hash    TEXT,
        out_hash   TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX join_tasks_visitor ON join_tasks (visitor_id);
      CREATE INDEX join_tasks_updated ON join_tasks (updated_at);
      CREATE TABLE join_visitor_tasks (
        visitor_id TEXT NOT NULL,
        task_id    TEXT NOT NULL,
        position   INTEGER NOT NULL,
        PRIMARY KEY (visitor_id, task_id)
      );
      CREATE TABLE join_visitor_records (
        visitor_id TEXT NOT NULL,
        record_key TEXT NOT NULL,
        hash       TEXT NOT NULL,
        sf_id      TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (visitor_id, record_key)
      );
      CREATE INDEX join_visitor_records_updated ON join_visitor_records (updated_at);
      CREATE TABLE join_watermark (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'erasure_requests and suppressions (issue 23)',
    // As SQLite's version 5.
    sql: `
      CREATE TABLE erasure_requests (
        id           TEXT PRIMARY KEY,
        requested_by TEXT NOT NULL,
        requested_at BIGINT NOT NULL,
        subject_kind TEXT NOT NULL,
        subject_hash TEXT NOT NULL,
        step         TEXT NOT NULL,
        plan         TEXT,
        result       TEXT NOT NULL,
        finished_at  BIGINT,
        error        TEXT
      );
      CREATE INDEX erasure_requests_time ON erasure_requests (requested_at);
      CREATE TABLE suppressions (
        hash       TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        reason     TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'join_tasks.who_id: the person (WhoId) each call Task named (R21)',
    // As SQLite's version 6.
    sql: `
      ALTER TABLE join_tasks ADD COLUMN who_id TEXT;
      CREATE INDEX join_tasks_who ON join_tasks (who_id);
    `,
  },
];
