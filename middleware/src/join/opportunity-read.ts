import type {
  ContactFacts,
  ContactRoleFacts,
  LeadConversion,
  OpportunityFacts,
  OpportunityReads,
  ReadTouchpoint,
} from '../domain';
import { COMPOSITE_COLLECTIONS } from '../salesforce/composite-limits';
import type { SalesforcePort } from '../salesforce/port';
import { soqlList } from '../salesforce/soql';
import { IN_CHUNK } from './read';

/**
 * The join's read step for Opportunities (R13–R17): what planOpportunity needs for some Opportunities,
 * in three rounds of Composite requests (up to 5 queries each, one API request per 5 statements):
 *   1. the Opportunities (Amount, StageName, CloseDate, IsClosed, IsWon, AccountId, CreatedDate) with
 *      their OpportunityContactRoles (a child subquery: no request of its own);
 *   2. the Contacts of their Accounts and of their roles (Id, AccountId; a deleted Contact is absent);
 *   3. the Touchpoint__c of those Contacts and of the Leads converted to them (Lead__r: conversion
 *      facts, R14, in the same statement), then of those touchpoints' visitors (their web visits).
 * Only the Opportunities asked for (or all: a backfill) — never a whole object otherwise.
 */

export const OPPORTUNITY_FIELDS =
  'Id, AccountId, Amount, StageName, CloseDate, IsClosed, IsWon, CreatedDate, ' +
  '(SELECT ContactId, IsPrimary FROM OpportunityContactRoles)';
const TOUCHPOINT_FIELDS =
  'Touchpoint_Key__c, BizibleId__c, Lead__c, Contact__c, Touchpoint_Date__c, Position__c, Channel__c, ' +
  'Touchpoint_Type__c, Lead__r.IsConverted, Lead__r.ConvertedContactId';

/** An Opportunity row as `SELECT ${OPPORTUNITY_FIELDS}` answers it (also simulate's input line). */
export interface OpportunityRow {
  Id: string;
  AccountId: string | null;
  Amount: number | null;
  CloseDate: string | null;
  IsClosed: boolean;
  CreatedDate: string;
  OpportunityContactRoles?: { records: { ContactId: string; IsPrimary: boolean }[] } | null;
}
interface TouchpointRow {
  Touchpoint_Key__c: string;
  BizibleId__c: string | null;
  Lead__c: string | null;
  Contact__c: string | null;
  Touchpoint_Date__c: string;
  Position__c: string | null;
  Channel__c: string | null;
  Touchpoint_Type__c: string | null;
  Lead__r?: { IsConverted?: boolean; ConvertedContactId?: string | null } | null;
}

/** Statements in Composite requests of up to 5; rows per statement, in order. */
export async function queryAll<T>(
  gw: SalesforcePort,
  soqls: readonly string[],
  signal?: AbortSignal,
): Promise<T[][]> {
  const out: T[][] = [];
  for (let i = 0; i < soqls.length; i += COMPOSITE_COLLECTIONS)
    out.push(...(await gw.queries<T>(soqls.slice(i, i + COMPOSITE_COLLECTIONS), { signal })));
  return out;
}

/** `<prefix> IN (…)` statements, IN_CHUNK values each. */
export function inStatements(
  values: Iterable<string | null | undefined>,
  statement: (list: string) => string,
): string[] {
  // An empty reference (a role whose Contact is gone) names nothing.
  const all = [...new Set(values)].filter((v): v is string => typeof v === 'string' && v !== '').sort();
  const out: string[] = [];
  for (let i = 0; i < all.length; i += IN_CHUNK) out.push(statement(soqlList(all.slice(i, i + IN_CHUNK))));
  return out;
}

/** One Opportunity row → its facts and its contact roles (the join's read and simulate's input). */
export function opportunityRowFacts(r: OpportunityRow): {
  facts: OpportunityFacts;
  roles: ContactRoleFacts[];
} {
  return {
    facts: opportunityFacts(r),
    roles: (r.OpportunityContactRoles?.records ?? []).map((c) => ({
      contactId: c.ContactId,
      isPrimary: !!c.IsPrimary,
    })),
  };
}

function opportunityFacts(r: OpportunityRow): OpportunityFacts {
  return {
    id: r.Id,
    accountId: r.AccountId ?? null,
    amount: typeof r.Amount === 'number' ? r.Amount : null,
    createdAt: Date.parse(r.CreatedDate),
    closeDate: r.CloseDate ?? null,
    isClosed: r.IsClosed === true,
  };
}

function touchpointOf(r: TouchpointRow): ReadTouchpoint {
  return {
    key: r.Touchpoint_Key__c,
    visitorId: r.BizibleId__c ?? null,
    leadId: r.Lead__c ?? null,
    contactId: r.Contact__c ?? null,
    date: Date.parse(r.Touchpoint_Date__c),
    personPosition: r.Position__c ?? null,
    channel: r.Channel__c ?? null,
    type: r.Touchpoint_Type__c ?? '',
  };
}

/** `ids` null: every Opportunity (a backfill). */
export async function readOpportunities(
  gw: SalesforcePort,
  ids: readonly string[] | null,
  signal?: AbortSignal,
): Promise<OpportunityReads> {
  // 1. Opportunities and their roles.
  const oppSoqls =
    ids === null
      ? [`SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity ORDER BY Id`]
      : inStatements(ids, (l) => `SELECT ${OPPORTUNITY_FIELDS} FROM Opportunity WHERE Id IN (${l})`);
  const oppRows = (await queryAll<OpportunityRow>(gw, oppSoqls, signal)).flat().map(opportunityRowFacts);
  const opportunities = oppRows.map((r) => r.facts);
  const contactRoles = new Map<string, ContactRoleFacts[]>(oppRows.map((r) => [r.facts.id, r.roles]));

  // 2. Contacts of their Accounts and roles.
  const accounts = opportunities.flatMap((o) => (o.accountId ? [o.accountId] : []));
  const roleContacts = [...contactRoles.values()].flat().map((r) => r.contactId);
  const contactRows = (
    await queryAll<{ Id: string; AccountId: string | null }>(
      gw,
      [
        ...inStatements(accounts, (l) => `SELECT Id, AccountId FROM Contact WHERE AccountId IN (${l})`),
        ...inStatements(roleContacts, (l) => `SELECT Id, AccountId FROM Contact WHERE Id IN (${l})`),
      ],
      signal,
    )
  ).flat();
  const contacts = [
    ...new Map<string, ContactFacts>(
      contactRows.map((c) => [c.Id, { id: c.Id, accountId: c.AccountId ?? null }]),
    ).values(),
  ];

  // 3. Their touchpoints (with the Leads converted to them), then their visitors' other touchpoints.
  const contactIds = contacts.map((c) => c.id);
  const tpRows = (
    await queryAll<TouchpointRow>(
      gw,
      inStatements(
        contactIds,
        (l) =>
          `SELECT ${TOUCHPOINT_FIELDS} FROM Touchpoint__c WHERE Contact__c IN (${l}) OR Lead__r.ConvertedContactId IN (${l})`,
      ),
      signal,
    )
  ).flat();
  const byKey = new Map(tpRows.map((r) => [r.Touchpoint_Key__c, r]));
  const visitors = tpRows.flatMap((r) => (r.BizibleId__c ? [r.BizibleId__c] : []));
  const webRows = (
    await queryAll<TouchpointRow>(
      gw,
      inStatements(
        visitors,
        (l) =>
          `SELECT ${TOUCHPOINT_FIELDS} FROM Touchpoint__c WHERE BizibleId__c IN (${l}) AND Lead__c = null AND Contact__c = null`,
      ),
      signal,
    )
  ).flat();
  for (const r of webRows) byKey.set(r.Touchpoint_Key__c, r);
  const conversions = new Map<string, LeadConversion>();
  for (const r of tpRows)
    if (r.Lead__c && r.Lead__r?.IsConverted && r.Lead__r.ConvertedContactId)
      conversions.set(r.Lead__c, { leadId: r.Lead__c, contactId: r.Lead__r.ConvertedContactId });
  return {
    opportunities,
    contactRoles,
    contacts,
    conversions: [...conversions.values()],
    touchpoints: [...byKey.values()].map(touchpointOf),
  };
}
