"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseInstant = exports.standaloneDetail = exports.mergedDetail = exports.MISSING_BIZIBLE_ID_DETAIL = exports.JOIN_DETAIL_MAX = exports.FIELD_MAX = exports.truncate = exports.toTouchpointRecord = exports.toWebSessionRecord = exports.WEB_FORM = exports.WEB_VISIT = exports.callTouchpointKey = exports.sessionTouchpointKey = exports.planJoin = exports.POSITION_POST_LC = exports.POSITION_LC = exports.POSITION_FT = exports.assignPositions = exports.DEFAULT_JOIN_OPTIONS = exports.matchCall = exports.DEFAULT_BIZIBLE_ID_FIELD = exports.whoOf = exports.taskTypeOf = exports.isCallTask = exports.callTimeWithBasis = exports.callTime = exports.bizibleIdOf = exports.defaultChannelSheetPath = exports.defaultChannelRules = exports.DEFAULT_OFFLINE_CHANNEL = exports.CRM_ACTIVITY_SOURCE = exports.SHEET_COLUMNS = exports.ChannelSheetError = exports.classifyActivity = exports.classify = exports.parseChannelSheet = exports.DEFAULT_SESSIONIZE_OPTIONS = exports.eventTime = exports.sessionize = exports.sessionKeyFor = exports.eventIdFor = exports.CLICK_ID_PARAMS = exports.isExternalArrival = exports.registrableDomain = exports.parseArrival = void 0;
/**
 * The join engine's public API (pure: plain data in, plain data out; rules R1–R12 of the design).
 * Read in this order: arrival → sessionize (R4) → channels (R12) → calls (R1–R3) → match (R5) →
 * journey (R9, R10) → join (R6–R8, R11) → records / detail.
 */
__exportStar(require("./types"), exports);
var arrival_1 = require("./arrival");
Object.defineProperty(exports, "parseArrival", { enumerable: true, get: function () { return arrival_1.parseArrival; } });
Object.defineProperty(exports, "registrableDomain", { enumerable: true, get: function () { return arrival_1.registrableDomain; } });
Object.defineProperty(exports, "isExternalArrival", { enumerable: true, get: function () { return arrival_1.isExternalArrival; } });
Object.defineProperty(exports, "CLICK_ID_PARAMS", { enumerable: true, get: function () { return arrival_1.CLICK_ID_PARAMS; } });
var event_id_1 = require("./event-id");
Object.defineProperty(exports, "eventIdFor", { enumerable: true, get: function () { return event_id_1.eventIdFor; } });
Object.defineProperty(exports, "sessionKeyFor", { enumerable: true, get: function () { return event_id_1.sessionKeyFor; } });
var sessionize_1 = require("./sessionize");
Object.defineProperty(exports, "sessionize", { enumerable: true, get: function () { return sessionize_1.sessionize; } });
Object.defineProperty(exports, "eventTime", { enumerable: true, get: function () { return sessionize_1.eventTime; } });
Object.defineProperty(exports, "DEFAULT_SESSIONIZE_OPTIONS", { enumerable: true, get: function () { return sessionize_1.DEFAULT_SESSIONIZE_OPTIONS; } });
var channels_1 = require("./channels");
Object.defineProperty(exports, "parseChannelSheet", { enumerable: true, get: function () { return channels_1.parseChannelSheet; } });
Object.defineProperty(exports, "classify", { enumerable: true, get: function () { return channels_1.classify; } });
Object.defineProperty(exports, "classifyActivity", { enumerable: true, get: function () { return channels_1.classifyActivity; } });
Object.defineProperty(exports, "ChannelSheetError", { enumerable: true, get: function () { return channels_1.ChannelSheetError; } });
Object.defineProperty(exports, "SHEET_COLUMNS", { enumerable: true, get: function () { return channels_1.SHEET_COLUMNS; } });
Object.defineProperty(exports, "CRM_ACTIVITY_SOURCE", { enumerable: true, get: function () { return channels_1.CRM_ACTIVITY_SOURCE; } });
Object.defineProperty(exports, "DEFAULT_OFFLINE_CHANNEL", { enumerable: true, get: function () { return channels_1.DEFAULT_OFFLINE_CHANNEL; } });
var default_channels_1 = require("./default-channels");
Object.defineProperty(exports, "defaultChannelRules", { enumerable: true, get: function () { return default_channels_1.defaultChannelRules; } });
Object.defineProperty(exports, "defaultChannelSheetPath", { enumerable: true, get: function () { return default_channels_1.defaultChannelSheetPath; } });
var calls_1 = require("./calls");
Object.defineProperty(exports, "bizibleIdOf", { enumerable: true, get: function () { return calls_1.bizibleIdOf; } });
Object.defineProperty(exports, "callTime", { enumerable: true, get: function () { return calls_1.callTime; } });
Object.defineProperty(exports, "callTimeWithBasis", { enumerable: true, get: function () { return calls_1.callTimeWithBasis; } });
Object.defineProperty(exports, "isCallTask", { enumerable: true, get: function () { return calls_1.isCallTask; } });
Object.defineProperty(exports, "taskTypeOf", { enumerable: true, get: function () { return calls_1.taskTypeOf; } });
Object.defineProperty(exports, "whoOf", { enumerable: true, get: function () { return calls_1.whoOf; } });
Object.defineProperty(exports, "DEFAULT_BIZIBLE_ID_FIELD", { enumerable: true, get: function () { return calls_1.DEFAULT_BIZIBLE_ID_FIELD; } });
var match_1 = require("./match");
Object.defineProperty(exports, "matchCall", { enumerable: true, get: function () { return match_1.matchCall; } });
Object.defineProperty(exports, "DEFAULT_JOIN_OPTIONS", { enumerable: true, get: function () { return match_1.DEFAULT_JOIN_OPTIONS; } });
var journey_1 = require("./journey");
Object.defineProperty(exports, "assignPositions", { enumerable: true, get: function () { return journey_1.assignPositions; } });
Object.defineProperty(exports, "POSITION_FT", { enumerable: true, get: function () { return journey_1.POSITION_FT; } });
Object.defineProperty(exports, "POSITION_LC", { enumerable: true, get: function () { return journey_1.POSITION_LC; } });
Object.defineProperty(exports, "POSITION_POST_LC", { enumerable: true, get: function () { return journey_1.POSITION_POST_LC; } });
var join_1 = require("./join");
Object.defineProperty(exports, "planJoin", { enumerable: true, get: function () { return join_1.planJoin; } });
Object.defineProperty(exports, "sessionTouchpointKey", { enumerable: true, get: function () { return join_1.sessionTouchpointKey; } });
Object.defineProperty(exports, "callTouchpointKey", { enumerable: true, get: function () { return join_1.callTouchpointKey; } });
Object.defineProperty(exports, "WEB_VISIT", { enumerable: true, get: function () { return join_1.WEB_VISIT; } });
Object.defineProperty(exports, "WEB_FORM", { enumerable: true, get: function () { return join_1.WEB_FORM; } });
var records_1 = require("./records");
Object.defineProperty(exports, "toWebSessionRecord", { enumerable: true, get: function () { return records_1.toWebSessionRecord; } });
Object.defineProperty(exports, "toTouchpointRecord", { enumerable: true, get: function () { return records_1.toTouchpointRecord; } });
Object.defineProperty(exports, "truncate", { enumerable: true, get: function () { return records_1.truncate; } });
Object.defineProperty(exports, "FIELD_MAX", { enumerable: true, get: function () { return records_1.FIELD_MAX; } });
var detail_1 = require("./detail");
Object.defineProperty(exports, "JOIN_DETAIL_MAX", { enumerable: true, get: function () { return detail_1.JOIN_DETAIL_MAX; } });
Object.defineProperty(exports, "MISSING_BIZIBLE_ID_DETAIL", { enumerable: true, get: function () { return detail_1.MISSING_BIZIBLE_ID_DETAIL; } });
Object.defineProperty(exports, "mergedDetail", { enumerable: true, get: function () { return detail_1.mergedDetail; } });
Object.defineProperty(exports, "standaloneDetail", { enumerable: true, get: function () { return detail_1.standaloneDetail; } });
var time_1 = require("./time");
Object.defineProperty(exports, "parseInstant", { enumerable: true, get: function () { return time_1.parseInstant; } });
//# sourceMappingURL=index.js.map