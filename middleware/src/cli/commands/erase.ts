import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import {
  auditEntry,
  erase,
  formatAudit,
  joinReplanner,
  parseSubject,
  resumeErasures,
  type DryRun,
  type ErasureDeps,
} from '../../erasure';
import { createLogger } from '../../log';
import { hasOrgConfig, SF_ENV_HELP } from '../../salesforce';
import { openRuntime } from '../../server/runtime';
import type { Store } from '../../store/types';
import { privacySalt } from '../../tracking/suppression';
import { UserError } from '../../user-error';
import { reportingErrors } from '../errors';
import { openConfiguredStore } from '../open-store';

/**
 * `erase --email X | --phone X | --cookie X [--dry-run] [--delete-tasks] [--keep-person]`, `erase --resume` and
 * `erase --log` (issue 23, docs/privacy.md): a person's data out of the store and the org, durable
 * and resumable, with its audit entry.
 */

interface EraseFlags {
  email?: string;
  phone?: string;
  cookie?: string;
  dryRun?: boolean;
  deleteTasks?: boolean;
  keepPerson?: boolean;
  resume?: boolean;
  log?: boolean;
  json?: boolean;
  operator?: string;
  targetOrg?: string;
}

const LOG_LIMIT = 1000;

async function printLog(json: boolean): Promise<void> {
  const store = await openConfiguredStore();
  try {
    const entries = (await store.erasures({ limit: LOG_LIMIT })).map(auditEntry);
    if (json) {
      for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
      return;
    }
    if (!entries.length) process.stdout.write('No erasure requests.\n');
    for (const e of entries) process.stdout.write(`${formatAudit(e).join('\n')}\n`);
  } finally {
    await store.close();
  }
}

function checkFlags(opts: EraseFlags): void {
  const subjects = [opts.email, opts.phone, opts.cookie].filter((v) => v !== undefined).length;
  if (opts.log && (subjects || opts.resume || opts.dryRun))
    throw new UserError('--log lists the erasure requests; give it alone (with --json if you like)', 2);
  if (opts.resume && (subjects || opts.dryRun))
    throw new UserError('--resume finishes the requests that stopped; give it without a subject', 2);
}

async function run(opts: EraseFlags): Promise<void> {
  const config = loadConfig();
  if (!hasOrgConfig(config, opts.targetOrg)) throw new UserError(SF_ENV_HELP);
  const subject = opts.resume ? null : parseSubject(opts);
  const logger = createLogger({ name: 'erase', level: process.env.LOG_LEVEL ?? 'warn' });
  let store: Store | null = null;
  try {
    const runtime = await openRuntime(config, { targetOrg: opts.targetOrg, logger, purpose: 'erase' });
    store = runtime.store;
    const salt = await privacySalt(store, config.privacySalt);
    const deps: ErasureDeps = {
      store,
      gw: runtime.gateway,
      salt,
      bizibleIdField: config.bizibleIdField,
      replanOpportunities: joinReplanner({
        gateway: runtime.gateway.for('erase'),
        store,
        rules: runtime.rules,
        bizibleIdField: config.bizibleIdField,
        privacySalt: salt,
        logger,
        opportunities: { mapping: config.opportunityMapping },
      }),
      onStep: (step) => {
        if (!opts.json) process.stdout.write(`  step ${step} done\n`);
      },
    };
    // Requests a crash or an error stopped are finished first, in the order they were made.
    const resumed = await resumeErasures(deps);
    for (const r of resumed) printEntry(auditEntry(r), opts.json);
    if (!subject) {
      if (!resumed.length && !opts.json) process.stdout.write('No erasure request was waiting.\n');
      return;
    }
    const out = await erase(deps, {
      subject,
      requestedBy: `cli:${opts.operator ?? os.userInfo().username}`,
      deleteTasks: !!opts.deleteTasks,
      keepPerson: !!opts.keepPerson,
      dryRun: !!opts.dryRun,
    });
    if ('dryRun' in out) {
      if (opts.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else printDryRun(out);
      return;
    }
    printEntry(auditEntry(out), opts.json);
  } finally {
    await store?.close();
  }
}

function printEntry(e: ReturnType<typeof auditEntry>, json?: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(e)}\n` : `${formatAudit(e).join('\n')}\n`);
}

function printDryRun(d: DryRun): void {
  const s = d.counts.store;
  const o = d.counts.org;
  process.stdout.write(
    [
      'Dry run: nothing was erased. Would erase:',
      `  store: ${s.events} events, ${s.sessions} sessions, ${s.outboxItems} outbox items, ${s.ledgerRows} ledger rows, ${s.stateRows} other rows`,
      `  org: ${o.webSessions} Web_Session__c, ${o.touchpoints} Touchpoint__c, ${o.opportunityTouchpoints} Opportunity_Touchpoint__c; ` +
        `${o.tasksCleared} Task(s) cleared, ${o.tasksDeleted} deleted; ${o.personsCleared} Lead/Contact record(s) without the ${d.subjectKind === 'email' ? 'email' : 'number'}, ${o.leadsDeleted} converted Lead(s) deleted; ${o.purged} record(s) hard-deleted from the Recycle Bin`,
      `  suppress: ${d.counts.suppressed} cookie(s)/number(s); re-plan ${d.counts.opportunitiesReplanned} Opportunity(ies)`,
      'Then notify (GDPR Art. 19):',
      ...d.recipients.map((r) => `  - ${r}`),
    ].join('\n') + '\n',
  );
}

export function register(program: Command): void {
  program
    .command('erase')
    .description(
      "Erase a person — by email, phone number or cookie — from the store and the org (Web Sessions, Touchpoints, Opportunity touchpoints, our Task fields), then from the org's Recycle Bin; resumable, audited (docs/privacy.md).",
    )
    .option(
      '--email <address>',
      "the person's email (their Leads and Contacts, and form submits that carried it)",
    )
    .option('--phone <number>', 'the caller number, in any spelling: "(415) 555-1234", +14155551234, …')
    .option(
      '--cookie <_biz_uid>',
      'one browser cookie (erases that cookie only, not the person it is linked to)',
    )
    .option('--dry-run', 'list what would be erased, by kind and count, and erase nothing')
    .option(
      '--delete-tasks',
      "delete the person's call Tasks too (default: keep them, with our fields cleared)",
    )
    .option(
      '--keep-person',
      "leave the person's Leads and Contacts as they are (default: the number or email is removed from them, converted Leads deleted)",
    )
    .option('--resume', 'finish erasure requests a crash or an error stopped')
    .option('--log', 'list the erasure requests (audit log: no personal data)')
    .option('--json', 'one JSON object per line')
    .option('--operator <name>', 'who asks, for the audit log (default: your user name)')
    .option(
      '--target-org <alias>',
      'use an org the Salesforce CLI (sf) is logged in to instead of SF_* variables',
    )
    .action(
      reportingErrors('erase', async (opts: EraseFlags) => {
        checkFlags(opts);
        if (opts.log) return printLog(!!opts.json);
        return run(opts);
      }),
    );
}
