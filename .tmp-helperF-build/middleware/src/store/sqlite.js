"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SqliteStore = exports.SQLITE_FILE = void 0;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const better_sqlite3_1 = __importDefault(require("better-sqlite3"));
const incremental_1 = require("./incremental");
const migrations_1 = require("./migrations");
const rows_1 = require("./rows");
exports.SQLITE_FILE = 'call-touchpoints.sqlite';
/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, so each append
 * runs as one IMMEDIATE transaction (atomic, and serialized against other processes by the
 * busy timeout).
 */
class SqliteStore {
    file;
    kind = 'sqlite';
    description;
    db;
    stmts = null;
    constructor(file) {
        this.file = file;
        node_fs_1.default.mkdirSync(node_path_1.default.dirname(file), { recursive: true });
        this.db = new better_sqlite3_1.default(file);
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.pragma('busy_timeout = 5000');
        this.description = `SQLite ${file}`;
    }
    async migrate() {
        this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
        const applied = new Set(this.db.prepare('SELECT version FROM schema_migrations').all().map((r) => r.version));
        for (const m of migrations_1.sqliteMigrations) {
            if (applied.has(m.version))
                continue;
            this.db
                .transaction(() => {
                this.db.exec(m.sql);
                this.db
                    .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
                    .run(m.version, m.name, Date.now());
            })
                .immediate();
        }
    }
    async close() {
        if (this.db.open)
            this.db.close();
    }
    async ping() {
        this.db.prepare('SELECT 1').get();
    }
    /** Prepared once (after migrate, when the tables exist): preparing per call costs more than the insert. */
    statements() {
        if (this.stmts)
            return this.stmts;
        const db = this.db;
        const byIds = new Map();
        const stmts = {
            insertEvent: db.prepare(`INSERT OR IGNORE INTO events (event_id, visitor_id, type, url, referrer, received_at, client_time, email)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
            restart: db.prepare('SELECT started_at FROM sessions WHERE visitor_id = ? AND started_at < ? ORDER BY started_at DESC LIMIT 1'),
            tail: db.prepare('SELECT body FROM sessions WHERE visitor_id = ? AND started_at >= ?'),
            deleteSession: db.prepare('DELETE FROM sessions WHERE session_key = ?'),
            insertSession: db.prepare('INSERT INTO sessions (session_key, visitor_id, started_at, last_activity_at, body) VALUES (?, ?, ?, ?, ?)'),
            eventsByIds(ids) {
                const out = [];
                for (let i = 0; i < ids.length; i += 500) {
                    const chunk = ids.slice(i, i + 500);
                    let stmt = byIds.get(chunk.length);
                    if (!stmt) {
                        stmt = db.prepare(`SELECT * FROM events WHERE event_id IN (${chunk.map(() => '?').join(',')})`);
                        if (chunk.length <= 64)
                            byIds.set(chunk.length, stmt);
                    }
                    for (const r of stmt.all(...chunk))
                        out.push((0, rows_1.eventFromRow)(r));
                }
                return out;
            },
        };
        const append = db.transaction((events) => {
            let inserted = 0;
            const touched = [];
            for (const [visitorId, list] of (0, incremental_1.groupByVisitor)(events)) {
                const fresh = list.filter((e) => stmts.insertEvent.run(...(0, rows_1.eventValues)(e)).changes === 1);
                inserted += fresh.length;
                if (fresh.length === 0)
                    continue;
                touched.push(visitorId);
                const from = stmts.restart.get(visitorId, (0, incremental_1.restartBound)(fresh));
                const old = stmts.tail.all(visitorId, from ? from.started_at : Number.MIN_SAFE_INTEGER).map((r) => (0, rows_1.sessionFromBody)(r.body));
                const next = (0, incremental_1.resessionizeTail)(stmts.eventsByIds((0, incremental_1.eventIdsOf)(old)), fresh);
                for (const s of old)
                    stmts.deleteSession.run(s.sessionKey);
                for (const s of next) {
                    stmts.insertSession.run(s.sessionKey, s.visitorId, s.startedAt, s.lastActivityAt, JSON.stringify(s));
                }
            }
            return { inserted, duplicates: events.length - inserted, visitorsTouched: touched };
        });
        this.stmts = { append };
        return this.stmts;
    }
    async appendEvents(events) {
        return this.statements().append.immediate(events);
    }
    async sessionsForVisitors(visitorIds) {
        const out = new Map();
        const stmt = this.db.prepare('SELECT body FROM sessions WHERE visitor_id = ? ORDER BY started_at, session_key');
        for (const id of new Set(visitorIds)) {
            out.set(id, stmt.all(id).map((r) => (0, rows_1.sessionFromBody)(r.body)));
        }
        return out;
    }
    async sessionsForVisitor(visitorId, from, to) {
        const rows = this.db
            .prepare(`SELECT body FROM sessions WHERE visitor_id = ? AND last_activity_at >= ? AND started_at <= ?
         ORDER BY started_at, session_key`)
            .all(visitorId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER);
        return rows.map((r) => (0, rows_1.sessionFromBody)(r.body));
    }
    async countEvents() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM events').get().n;
    }
    async countSessions() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM sessions').get().n;
    }
    async getState(key) {
        const row = this.db.prepare('SELECT value FROM state WHERE key = ?').get(key);
        return row ? row.value : null;
    }
    async setState(key, value) {
        this.db
            .prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
            .run(key, value);
    }
    /**
     * Re-enqueueing a pending key replaces its payload under a NEW id (keeping createdAt and the
     * attempt history) and makes it due now: a worker still holding the old id then completes or
     * reschedules nothing, so the newer payload is never lost.
     */
    async enqueue(kind, key, payload, now) {
        return this.db
            .transaction(() => {
            const old = this.db.prepare('SELECT * FROM outbox WHERE kind = ? AND key = ?').get(kind, key);
            if (old)
                this.db.prepare('DELETE FROM outbox WHERE id = ?').run(old.id);
            const row = this.db
                .prepare(`INSERT INTO outbox (kind, key, payload, attempts, next_attempt_at, last_error, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`)
                .get(kind, key, payload, old ? old.attempts : 0, now, old ? old.last_error : null, old ? old.created_at : now);
            return (0, rows_1.outboxFromRow)(row);
        })
            .immediate();
    }
    async due(kind, now, limit) {
        const rows = this.db
            .prepare('SELECT * FROM outbox WHERE kind = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?')
            .all(kind, now, limit);
        return rows.map(rows_1.outboxFromRow);
    }
    async complete(id) {
        this.db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
    }
    async retryLater(id, error, nextAttemptAt) {
        this.db
            .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
            .run(error, nextAttemptAt, id);
    }
    async outboxDepth(kind) {
        const row = (kind === undefined
            ? this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()
            : this.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE kind = ?').get(kind));
        return row.n;
    }
}
exports.SqliteStore = SqliteStore;
//# sourceMappingURL=sqlite.js.map