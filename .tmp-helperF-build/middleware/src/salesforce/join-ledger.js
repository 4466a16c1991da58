"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.JoinLedger = exports.WATERMARK_KEY = void 0;
exports.recordHash = recordHash;
const node_crypto_1 = require("node:crypto");
/**
 * What the join last wrote, kept in the store's key/value state so a re-run writes nothing (R11)
 * and the join's own Task updates (which bump SystemModstamp) do not make it loop:
 *  - `join.watermark`: SystemModstamp up to which every Task was fully processed;
 *  - `join.task.<TaskId>`: the Task's visitor, a hash of the fields the join reads (`in`) and of
 *    the update last written to it (`out`);
 *  - `join.visitor.<BizibleId>`: the visitor's Task ids and, per record key, the hash and Salesforce
 *    Id of the Web_Session__c / Touchpoint__c last written (the Id lets a record that dropped out
 *    of the plan be deleted).
 */
exports.WATERMARK_KEY = 'join.watermark';
/** Stable JSON (sorted keys) → short sha256: equal records hash equal whatever their key order. */
function recordHash(value) {
    const stable = (v) => {
        if (Array.isArray(v))
            return v.map(stable);
        if (v && typeof v === 'object') {
            return Object.fromEntries(Object.keys(v)
                .sort()
                .map((k) => [k, stable(v[k])]));
        }
        return v === undefined ? null : v;
    };
    return (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(stable(value))).digest('hex').slice(0, 24);
}
async function readJson(store, key) {
    const raw = await store.getState(key);
    if (raw === null)
        return null;
    try {
        return JSON.parse(raw);
    }
    catch {
        return null; // a damaged entry only costs a rewrite
    }
}
class JoinLedger {
    store;
    constructor(store) {
        this.store = store;
    }
    getWatermark() {
        return this.store.getState(exports.WATERMARK_KEY);
    }
    setWatermark(iso) {
        return this.store.setState(exports.WATERMARK_KEY, iso);
    }
    task(id) {
        return readJson(this.store, `join.task.${id}`);
    }
    setTask(id, entry) {
        return this.store.setState(`join.task.${id}`, JSON.stringify(entry));
    }
    async visitor(bizibleId) {
        return (await readJson(this.store, `join.visitor.${bizibleId}`)) ?? { tasks: [], records: {} };
    }
    setVisitor(bizibleId, entry) {
        return this.store.setState(`join.visitor.${bizibleId}`, JSON.stringify(entry));
    }
}
exports.JoinLedger = JoinLedger;
//# sourceMappingURL=join-ledger.js.map