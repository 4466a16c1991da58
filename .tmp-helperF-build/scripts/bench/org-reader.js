"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.localOrgUrlFrom = localOrgUrlFrom;
exports.connectLocalOrg = connectLocalOrg;
exports.soqlString = soqlString;
const connection_1 = require("../../middleware/src/salesforce/connection");
/** The embedded local org's URL from serve's banner ("org:   embedded local org http://…"). */
function localOrgUrlFrom(serveOutput) {
    const m = /local org (http:\/\/[^\s)]+)/.exec(serveOutput);
    return m ? m[1].replace(/\/+$/, '') : null;
}
async function connectLocalOrg(instanceUrl) {
    const res = await fetch(`${instanceUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench', client_secret: 'bench' }),
    });
    const body = (await res.json());
    if (!res.ok || !body.access_token) {
        throw new Error(`local org refused a token: HTTP ${res.status} ${body.error_description ?? ''}`);
    }
    const token = body.access_token;
    let sent = 0;
    return {
        instanceUrl,
        queriesSent: () => sent,
        async apiRequests() {
            const r = await fetch(`${instanceUrl}/_local/requests`, { headers: { authorization: `Bearer ${token}` } });
            if (!r.ok)
                throw new Error(`GET /_local/requests answered ${r.status}`);
            return (await r.json());
        },
        async query(soql) {
            sent++;
            const url = `${instanceUrl}/services/data/v${connection_1.API_VERSION}/query?q=${encodeURIComponent(soql)}`;
            const r = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
            const json = (await r.json());
            if (!r.ok || Array.isArray(json) || !json.records) {
                const err = Array.isArray(json) ? `${json[0]?.errorCode}: ${json[0]?.message}` : `HTTP ${r.status}`;
                throw new Error(`query failed (${err}): ${soql.slice(0, 120)}`);
            }
            return json.records;
        },
    };
}
/** A SOQL string literal (values are ours, but escape anyway). */
function soqlString(v) {
    return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
//# sourceMappingURL=org-reader.js.map