"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createStore = createStore;
const node_path_1 = __importDefault(require("node:path"));
const postgres_1 = require("./postgres");
const sqlite_1 = require("./sqlite");
/**
 * Opens the store and brings its schema up to date: PostgreSQL when `databaseUrl` is set
 * (DATABASE_URL), otherwise SQLite at `<dataDir>/call-touchpoints.sqlite` (WAL mode).
 */
async function createStore(opts) {
    const store = opts.databaseUrl
        ? new postgres_1.PostgresStore(opts.databaseUrl)
        : new sqlite_1.SqliteStore(node_path_1.default.join(opts.dataDir, sqlite_1.SQLITE_FILE));
    try {
        await store.migrate();
    }
    catch (err) {
        await store.close().catch(() => undefined);
        throw err;
    }
    opts.logger?.info({ store: store.description }, 'store ready');
    return store;
}
//# sourceMappingURL=index.js.map