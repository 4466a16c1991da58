import type { ErasureRecord } from '../store/types';
import type { ErasureResult } from './run';

/**
 * An erasure request as the audit log shows it (admin API, `erase --log`): who asked, when, the
 * subject's salted hash, where it is, counts per kind, the org requests it cost and whom to notify.
 * Built from the stored request without its plan: no cookie, number or email in it.
 */
export interface AuditEntry {
  id: string;
  requestedBy: string;
  requestedAt: string;
  subjectKind: ErasureRecord['subjectKind'];
  subjectHash: string;
  status: 'done' | 'in progress' | 'stopped';
  step: string;
  finishedAt: string | null;
  error: string | null;
  deleteTasks: boolean;
  keepPerson: boolean;
  counts: ErasureResult['counts'];
  orgRequests: Record<string, number>;
  recipients: string[];
  notes: string[];
}

export function auditEntry(r: ErasureRecord): AuditEntry {
  const result = JSON.parse(r.result) as ErasureResult;
  return {
    id: r.id,
    requestedBy: r.requestedBy,
    requestedAt: new Date(r.requestedAt).toISOString(),
    subjectKind: r.subjectKind,
    subjectHash: r.subjectHash,
    status: r.step === 'done' ? 'done' : r.error ? 'stopped' : 'in progress',
    step: r.step,
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
    error: r.error,
    deleteTasks: result.deleteTasks,
    keepPerson: result.keepPerson === true,
    counts: result.counts,
    orgRequests: result.orgRequests,
    recipients: result.recipients,
    notes: result.notes,
  };
}

/** Human lines for the CLI. */
export function formatAudit(e: AuditEntry): string[] {
  const s = e.counts.store;
  const o = e.counts.org;
  const requests = Object.entries(e.orgRequests);
  return [
    `${e.id}  ${e.status}${e.status === 'done' ? '' : ` (after step ${e.step})`}  requested ${e.requestedAt} by ${e.requestedBy}`,
    `  subject: ${e.subjectKind}, hash ${e.subjectHash.slice(0, 16)}…`,
    `  store: ${s.events} events, ${s.sessions} sessions, ${s.outboxItems} outbox items, ${s.ledgerRows} ledger rows, ${s.stateRows} other rows`,
    `  org: ${o.webSessions} Web_Session__c, ${o.touchpoints} Touchpoint__c, ${o.opportunityTouchpoints} Opportunity_Touchpoint__c deleted; ` +
      `${o.tasksCleared} Task(s) cleared, ${o.tasksDeleted} deleted; ${o.personsCleared ?? 0} Lead/Contact record(s) cleared, ${o.leadsDeleted ?? 0} converted Lead(s) deleted; ${o.purged} hard-deleted from the Recycle Bin`,
    `  suppressed: ${e.counts.suppressed} cookie(s)/number(s); Opportunities re-planned: ${e.counts.opportunitiesReplanned}`,
    `  org requests: ${requests.reduce((n, [, k]) => n + k, 0)}${requests.length ? ` (${requests.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
    ...(e.error ? [`  stopped on: ${e.error} — run \`call-touchpoints erase --resume\``] : []),
    ...e.notes.map((n) => `  note: ${n}`),
    ...(e.status === 'done' ? ['  notify (GDPR Art. 19):', ...e.recipients.map((r) => `    - ${r}`)] : []),
  ];
}
