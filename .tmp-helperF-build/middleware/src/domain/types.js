"use strict";
/**
 * Plain data shapes shared by the domain (pure) and the edges (store, tracking, Salesforce).
 * Times are UTC instants in epoch milliseconds inside the domain; ISO strings only at the edges.
 */
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=types.js.map