"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.silentLogger = exports.redactPaths = void 0;
exports.createLogger = createLogger;
const pino_1 = __importDefault(require("pino"));
/**
 * Structured JSON logs (pino). Secrets never reach logs: known secret-bearing keys are redacted
 * wherever they appear one or two levels deep.
 */
const SECRET_KEYS = [
    'accessToken',
    'access_token',
    'authorization',
    'Authorization',
    'token',
    'secret',
    'clientSecret',
    'password',
    'signature',
    'signingKey',
];
exports.redactPaths = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'req.headers.authorization'];
function createLogger(options = {}) {
    return (0, pino_1.default)({
        name: options.name ?? 'call-touchpoints',
        level: options.level ?? process.env.LOG_LEVEL ?? 'info',
        redact: { paths: exports.redactPaths, censor: '[redacted]' },
        base: undefined,
        timestamp: pino_1.default.stdTimeFunctions.isoTime,
    }, pino_1.default.destination(2));
}
/** A logger that writes nothing: for tests and pure library use. */
exports.silentLogger = (0, pino_1.default)({ level: 'silent' });
//# sourceMappingURL=log.js.map