"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_VENDOR_OPTIONS = exports.DEFAULT_FIELD_MAP = void 0;
exports.loadVendorOptions = loadVendorOptions;
const libphonenumber_js_1 = require("libphonenumber-js");
const config_1 = require("../config");
const signatures_1 = require("./signatures");
const phone_1 = require("./phone");
exports.DEFAULT_FIELD_MAP = {
    callId: 'call_id',
    startTime: 'start_time',
    duration: 'duration',
    callerNumber: 'caller_number',
    trackingNumber: 'tracking_number',
    direction: 'direction',
    outcome: 'outcome',
    source: 'source',
    campaign: 'campaign',
    recordingUrl: 'recording_url',
    visitorId: 'visitor_id',
    startTimeOffset: null,
};
exports.DEFAULT_VENDOR_OPTIONS = {
    phoneRegion: phone_1.DEFAULT_PHONE_REGION,
    ctmClockWindowSeconds: signatures_1.CTM_CLOCK_WINDOW_SECONDS,
    visitorIdKey: '_biz_uid',
    dialogtechFieldMap: exports.DEFAULT_FIELD_MAP,
    genericFieldMap: exports.DEFAULT_FIELD_MAP,
    callTaskOwnerId: null,
};
function fieldMap(env, name) {
    const raw = env[name]?.trim();
    if (!raw)
        return exports.DEFAULT_FIELD_MAP;
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        throw new config_1.ConfigError(`${name} must be a JSON object such as {"callId":"CallID","startTime":"CallDate"}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new config_1.ConfigError(`${name} must be a JSON object mapping our field names to your parameter names`);
    }
    const out = { ...exports.DEFAULT_FIELD_MAP };
    for (const [k, v] of Object.entries(parsed)) {
        if (!(k in exports.DEFAULT_FIELD_MAP)) {
            throw new config_1.ConfigError(`${name}: unknown key "${k}"; known keys: ${Object.keys(exports.DEFAULT_FIELD_MAP).join(', ')}`);
        }
        if (k === 'startTimeOffset') {
            if (v !== null && (typeof v !== 'string' || !/^[+-]\d{2}:\d{2}$/.test(v))) {
                throw new config_1.ConfigError(`${name}: startTimeOffset must look like "-05:00" or "+01:00"`);
            }
            out.startTimeOffset = v;
        }
        else {
            if (typeof v !== 'string' || v.trim() === '')
                throw new config_1.ConfigError(`${name}: "${k}" must name a parameter`);
            out[k] = v.trim();
        }
    }
    return out;
}
function loadVendorOptions(env = process.env) {
    const region = (env.PHONE_DEFAULT_REGION?.trim() || phone_1.DEFAULT_PHONE_REGION).toUpperCase();
    if (!(0, libphonenumber_js_1.getCountries)().includes(region)) {
        throw new config_1.ConfigError(`PHONE_DEFAULT_REGION must be a two-letter country code such as US or GB, got "${region}"`);
    }
    const windowText = env.CTM_SIGNATURE_WINDOW_SECONDS?.trim();
    const window = windowText ? Number(windowText) : signatures_1.CTM_CLOCK_WINDOW_SECONDS;
    if (!Number.isInteger(window) || window < 1 || window > 3600) {
        throw new config_1.ConfigError('CTM_SIGNATURE_WINDOW_SECONDS must be a whole number of seconds from 1 to 3600');
    }
    const key = env.VISITOR_ID_KEY?.trim() || '_biz_uid';
    const owner = env.CALL_TASK_OWNER_ID?.trim() || null;
    if (owner && !/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(owner)) {
        throw new config_1.ConfigError(`CALL_TASK_OWNER_ID must be a User id (15 or 18 characters starting with 005), got "${owner}"`);
    }
    return {
        phoneRegion: region,
        ctmClockWindowSeconds: window,
        visitorIdKey: key,
        dialogtechFieldMap: fieldMap(env, 'DIALOGTECH_FIELD_MAP'),
        genericFieldMap: fieldMap(env, 'GENERIC_FIELD_MAP'),
        callTaskOwnerId: owner,
    };
}
//# sourceMappingURL=options.js.map