/**
 * Erasure of a person (issue 23, docs/privacy.md): by email, phone number or cookie, from the store
 * and the org, resumable, with a suppression list and an audit log. serve (admin API) and the CLI
 * (`call-touchpoints erase`) compose it; this file is its one door.
 */
export { parseSubject, type ErasureSubject } from './subject';
export {
  erase,
  ERASURE_STEPS,
  resumeErasures,
  runErasure,
  type DryRun,
  type ErasureDeps,
  type ErasureRequest,
  type ErasureResult,
} from './run';
export { joinReplanner } from './replan';
export { auditEntry, formatAudit, type AuditEntry } from './audit';
