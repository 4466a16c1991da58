"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.lineToEvent = lineToEvent;
exports.register = register;
const node_fs_1 = __importDefault(require("node:fs"));
const node_readline_1 = __importDefault(require("node:readline"));
const config_1 = require("../../config");
const domain_1 = require("../../domain");
const log_1 = require("../../log");
const store_1 = require("../../store");
/**
 * `import-events FILE.ndjson`: loads tracked events (the same lines `simulate --events` reads)
 * into the store, where `join` finds the sessions. Until the tracking snippet feeds the store,
 * this is how sessions get there. Idempotent: events are stored by eventId (derived from the
 * content when a line has none), so importing a file twice adds nothing.
 *
 * TODO(domain): simulate.ts parses the same line format with a private schema; once the domain
 * exports its event-line parser this file should use it instead of lineToEvent below.
 */
const BATCH = 1000;
const MAX_ERRORS = 20;
function isHttpUrl(v) {
    if (typeof v !== 'string')
        return false;
    try {
        return /^https?:$/.test(new URL(v).protocol);
    }
    catch {
        return false;
    }
}
/** One NDJSON line → event, or the reason it is rejected (names the field and the fix). */
function lineToEvent(value) {
    if (!value || typeof value !== 'object' || Array.isArray(value))
        return 'expected one JSON object per line';
    const l = value;
    if (l.type !== 'page_view' && l.type !== 'form_submit')
        return 'type must be "page_view" or "form_submit"';
    if (typeof l.visitorId !== 'string' || l.visitorId.trim() === '')
        return 'visitorId must be a non-empty string (the _biz_uid cookie value)';
    if (!isHttpUrl(l.url))
        return 'url must be an absolute http(s) URL, e.g. https://www.example.com/pricing';
    if (l.referrer !== undefined && l.referrer !== null && typeof l.referrer !== 'string')
        return 'referrer must be a string or null';
    const receivedAt = (0, domain_1.parseInstant)(l.receivedAt);
    if (receivedAt === null)
        return 'receivedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z';
    let clientTime = null;
    if (l.clientTime !== undefined && l.clientTime !== null) {
        clientTime = (0, domain_1.parseInstant)(l.clientTime);
        if (clientTime === null)
            return 'clientTime must be an ISO 8601 date-time with a time zone, or null';
    }
    if (l.email !== undefined && l.email !== null && typeof l.email !== 'string')
        return 'email must be a string or null';
    if (l.eventId !== undefined && (typeof l.eventId !== 'string' || l.eventId === ''))
        return 'eventId must be a non-empty string';
    const e = {
        type: l.type,
        visitorId: l.visitorId.trim().toLowerCase(),
        url: l.url,
        referrer: l.referrer ?? null,
        receivedAt,
        clientTime,
        email: l.email ?? null,
    };
    return { ...e, eventId: l.eventId ?? (0, domain_1.eventIdFor)(e) };
}
function register(program) {
    program
        .command('import-events')
        .description('Load tracked events from an NDJSON file (the lines `simulate --events` reads) into the store, so\n' +
        '`join` finds their sessions. Re-importing the same file adds nothing.')
        .argument('<file>', 'NDJSON: one {"type","visitorId","url","referrer","receivedAt",...} object per line')
        .action(async (file) => {
        if (!node_fs_1.default.existsSync(file)) {
            process.stderr.write(`import-events: ${file}: no such file (give the path of an NDJSON events file)\n`);
            process.exitCode = 1;
            return;
        }
        // Validate the whole file first: nothing half-imported.
        const events = [];
        const errors = [];
        const lines = node_readline_1.default.createInterface({ input: node_fs_1.default.createReadStream(file, 'utf8'), crlfDelay: Infinity });
        let n = 0;
        for await (const raw of lines) {
            n++;
            const line = raw.trim();
            if (line === '')
                continue;
            let value;
            try {
                value = JSON.parse(line);
            }
            catch (err) {
                errors.push(`${file} line ${n}: not valid JSON (${err.message})`);
                continue;
            }
            const e = lineToEvent(value);
            if (typeof e === 'string')
                errors.push(`${file} line ${n}: ${e}`);
            else
                events.push(e);
        }
        if (errors.length > 0) {
            const shown = errors.slice(0, MAX_ERRORS);
            if (errors.length > shown.length)
                shown.push(`... and ${errors.length - shown.length} more problems`);
            process.stderr.write(`${shown.join('\n')}\nNothing imported.\n`);
            process.exitCode = 1;
            return;
        }
        const config = (0, config_1.loadConfig)();
        const store = await (0, store_1.createStore)({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: (0, log_1.createLogger)({ level: 'warn' }) });
        try {
            let inserted = 0;
            let duplicates = 0;
            const visitors = new Set();
            for (let i = 0; i < events.length; i += BATCH) {
                const r = await store.appendEvents(events.slice(i, i + BATCH));
                inserted += r.inserted;
                duplicates += r.duplicates;
                for (const v of r.visitorsTouched)
                    visitors.add(v);
            }
            process.stdout.write(`Imported ${inserted} event(s) into ${store.description} (${duplicates} already there), ${visitors.size} visitor(s) re-sessionized.\n`);
        }
        finally {
            await store.close();
        }
    });
}
//# sourceMappingURL=import-events.js.map