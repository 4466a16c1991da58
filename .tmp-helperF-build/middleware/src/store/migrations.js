"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.postgresMigrations = exports.sqliteMigrations = void 0;
/** Times are epoch milliseconds (UTC instants). A session's full shape is kept as JSON in `body`. */
exports.sqliteMigrations = [
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
];
exports.postgresMigrations = [
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
];
//# sourceMappingURL=migrations.js.map