import type { TaskRecord } from '../domain';
import { callTaskCondition, inputHash, taskFields } from '../join';
import type { CallOptions, SalesforcePort, SfRecord } from '../salesforce/port';
import { soqlList, soqlName, soqlString } from '../salesforce/soql';
import type { ErasureStore } from '../store/types';
import { phoneSpellings, toE164 } from '../vendors/phone';
import type { ErasureSubject } from './subject';
import { personClearing, taskClearing, type ErasurePlan } from './targets';

/**
 * Who and what a subject is (issue 23): read only, in as few Composite requests as the answers
 * allow (5 queries each). Deleted records still in the Recycle Bin are read too (queryAll): an
 * earlier delete of the join left them there, holding the cookie, until they are emptied.
 *
 * - phone: Leads (converted ones too) and Contacts whose Phone or MobilePhone is any spelling of the
 *   number, and call Tasks whose Subject holds one (ours say "Call from +1 415-555-1234").
 * - email: Leads and Contacts with that Email, and cookies whose form submits carried it.
 * - cookie: that cookie only. It is NOT widened to the Lead/Contact its calls link to: whoever holds
 *   a browser's cookie is not thereby the person, so erasing the person takes a verified email or
 *   number (docs/privacy.md).
 * Unless `keepPerson`: the subject's number (or email) is taken out of the person's live Contacts and
 * open Leads, and their converted Leads — read-only in Salesforce — are deleted (docs/privacy.md).
 * Then: the persons' call Tasks (WhoId), every cookie on those Tasks and on the persons'
 * touchpoints, and the records of those cookies and Tasks: Web_Session__c, Touchpoint__c and the
 * Opportunity_Touchpoint__c of those touchpoints.
 */

/** Ids per `IN (…)`: keeps each statement far under SOQL's 100,000 characters. */
const IN_CHUNK = 200;
const PER_COMPOSITE = 5;

type Row = SfRecord & { Id: string };

/** Runs statements 5 to a Composite request (queryAll), rows of all of them together, per statement. */
async function readAll(gw: SalesforcePort, soqls: readonly string[], opts: CallOptions): Promise<Row[][]> {
  const out: Row[][] = [];
  for (let i = 0; i < soqls.length; i += PER_COMPOSITE) {
    const res = await gw.createAndQuery<Row>(
      { queries: soqls.slice(i, i + PER_COMPOSITE), includeDeleted: true },
      opts,
    );
    out.push(...res.rows);
  }
  return out;
}

/** One statement per chunk of `ids` (none for no ids). */
function chunked(ids: readonly string[], soql: (list: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(soql(soqlList(ids.slice(i, i + IN_CHUNK))));
  return out;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const uniq = (xs: Iterable<string | null | undefined>): string[] =>
  [...new Set([...xs].filter((x): x is string => !!x))].sort();

export interface ResolveDeps {
  gw: SalesforcePort;
  store: Pick<ErasureStore, 'visitorsOf'>;
  bizibleIdField: string;
  deleteTasks: boolean;
  /** Leave the person's Leads and Contacts as they are (`--keep-person`). */
  keepPerson?: boolean;
  signal?: AbortSignal;
}

/** Persons (Lead/Contact ids), their numbers and the Tasks found by number. */
async function findPersons(
  deps: ResolveDeps,
  subject: ErasureSubject,
): Promise<{ persons: string[]; numbers: string[]; emails: string[]; people: Row[] }> {
  const opts = { signal: deps.signal };
  if (subject.kind === 'cookie') return { persons: [], numbers: [], emails: [], people: [] };
  const where =
    subject.kind === 'email'
      ? `Email = ${soqlString(subject.value)}`
      : (() => {
          const list = soqlList(phoneSpellings(subject.value));
          return `Phone IN (${list}) OR MobilePhone IN (${list})`;
        })();
  const [leads, contacts] = await readAll(
    deps.gw,
    [
      `SELECT Id, IsDeleted, Phone, MobilePhone, Email, IsConverted, ConvertedContactId FROM Lead WHERE ${where}`,
      `SELECT Id, IsDeleted, Phone, MobilePhone, Email FROM Contact WHERE ${where}`,
    ],
    opts,
  );
  const people = [...leads, ...contacts];
  // A converted Lead's Contact is the same person (its number may have been edited since).
  const converted = uniq(leads.map((l) => str(l.ConvertedContactId))).filter(
    (id) => !contacts.some((c) => c.Id === id),
  );
  if (converted.length) {
    const [more] = await readAll(
      deps.gw,
      [`SELECT Id, IsDeleted, Phone, MobilePhone, Email FROM Contact WHERE Id IN (${soqlList(converted)})`],
      opts,
    );
    people.push(...more);
  }
  const numbers = uniq([
    subject.kind === 'phone' ? subject.value : null,
    ...people.flatMap((p) => [toE164(p.Phone), toE164(p.MobilePhone)]),
  ]);
  const emails = uniq([
    subject.kind === 'email' ? subject.value : null,
    ...people.map((p) => str(p.Email)?.toLowerCase()),
  ]);
  return { persons: uniq(people.map((p) => p.Id)), numbers, emails, people };
}

/** Everything the subject's erasure touches (a plan kept in the request until it is done). */
export async function resolveErasure(deps: ResolveDeps, subject: ErasureSubject): Promise<ErasurePlan> {
  const opts = { signal: deps.signal };
  const biz = soqlName(deps.bizibleIdField);
  const fields = [...taskFields(biz), 'Subject', 'Description'];
  const { persons, numbers, emails, people } = await findPersons(deps, subject);
  const cookies0 = uniq([
    subject.kind === 'cookie' ? subject.value : null,
    ...(await deps.store.visitorsOf({ emails, callerNumbers: numbers })),
  ]);

  // Round 1: call Tasks of the persons, of the numbers (Subject) and of the cookies; the persons' touchpoints.
  const callish = callTaskCondition(biz);
  const subjectLike = numbers
    .flatMap(phoneSpellings)
    .map((s) => `Subject LIKE ${soqlString(`%${s.replace(/[%_\\]/g, '\\$&')}%`)}`);
  const select = `SELECT ${fields.join(', ')}, IsDeleted FROM Task WHERE ${callish} AND `;
  const round1 = [
    ...chunked(persons, (l) => `${select}WhoId IN (${l})`),
    ...chunked(cookies0, (l) => `${select}${biz} IN (${l})`),
    ...(subjectLike.length ? [`${select}(${subjectLike.join(' OR ')})`] : []),
    ...chunked(
      persons,
      (l) => `SELECT Id, BizibleId__c FROM Touchpoint__c WHERE Lead__c IN (${l}) OR Contact__c IN (${l})`,
    ),
  ];
  const rows1 = (await readAll(deps.gw, round1, opts)).flat();
  const tasks = new Map<string, Row>();
  for (const r of rows1) if (String(r.Id).startsWith('00T')) tasks.set(r.Id, r);
  const cookies = uniq([
    ...cookies0,
    ...[...tasks.values()].map((t) => str(t[biz])),
    ...rows1.filter((r) => !String(r.Id).startsWith('00T')).map((r) => str(r.BizibleId__c)),
  ]);
  const taskIds = uniq(tasks.keys());

  // Round 2: the cookies' and Tasks' records (deleted ones still in the Recycle Bin included).
  const rows2 = await readAll(
    deps.gw,
    [
      ...chunked(cookies, (l) => `SELECT Id, IsDeleted FROM Web_Session__c WHERE BizibleId__c IN (${l})`),
      ...chunked(cookies, (l) => `SELECT Id, IsDeleted FROM Touchpoint__c WHERE BizibleId__c IN (${l})`),
      ...chunked(taskIds, (l) => `SELECT Id, IsDeleted FROM Touchpoint__c WHERE Task_Id__c IN (${l})`),
      ...chunked(
        persons,
        (l) => `SELECT Id, IsDeleted FROM Touchpoint__c WHERE Lead__c IN (${l}) OR Contact__c IN (${l})`,
      ),
    ],
    opts,
  );
  const records = rows2.flat();
  const touchpoints = uniq(
    records.filter((r) => String(r.attributes?.type) === 'Touchpoint__c').map((r) => r.Id),
  );
  // Round 3: Opportunity touchpoints of those touchpoints, and of the person's Contacts.
  const otps = (
    await readAll(
      deps.gw,
      [
        ...chunked(
          touchpoints,
          (l) =>
            `SELECT Id, IsDeleted, Opportunity__c FROM Opportunity_Touchpoint__c WHERE Touchpoint__c IN (${l})`,
        ),
        ...chunked(
          persons.filter((p) => p.startsWith('003')),
          (l) =>
            `SELECT Id, IsDeleted, Opportunity__c FROM Opportunity_Touchpoint__c WHERE Contact__c IN (${l})`,
        ),
      ],
      opts,
    )
  ).flat();

  return buildPlan({
    subject,
    deps,
    persons,
    people,
    numbers,
    cookies,
    tasks: [...tasks.values()],
    records,
    otps,
    fields,
  });
}

function buildPlan(a: {
  subject: ErasureSubject;
  deps: ResolveDeps;
  persons: string[];
  people: Row[];
  numbers: string[];
  cookies: string[];
  tasks: Row[];
  records: Row[];
  otps: Row[];
  fields: string[];
}): ErasurePlan {
  const biz = soqlName(a.deps.bizibleIdField);
  const live = (rows: Row[], type: string) =>
    uniq(rows.filter((r) => String(r.attributes?.type) === type && r.IsDeleted !== true).map((r) => r.Id));
  const liveTasks = a.tasks.filter((t) => t.IsDeleted !== true);
  const kept = a.deps.deleteTasks ? [] : liveTasks;
  const clearing = kept.map((t) => taskClearing(t, biz, a.numbers));
  const persons = personChanges(a.people, a.subject, a.deps.keepPerson === true);
  const all = [...a.records, ...a.otps, ...a.tasks, ...persons.purged];
  return {
    subjectKind: a.subject.kind,
    cookies: a.cookies,
    callerNumbers: a.numbers,
    persons: a.persons,
    personUpdates: persons.updates,
    taskIds: uniq(a.tasks.map((t) => t.Id)),
    taskUpdates: clearing.filter((c) => c !== null),
    keptTasks: kept.map((t) => ({
      taskId: t.Id,
      inHash: inputHash({ ...t, [biz]: null } as TaskRecord, a.fields.slice(0, -2)),
    })),
    deletes: [
      { sobject: 'Opportunity_Touchpoint__c', ids: live(a.otps, 'Opportunity_Touchpoint__c') },
      { sobject: 'Touchpoint__c', ids: live(a.records, 'Touchpoint__c') },
      { sobject: 'Web_Session__c', ids: live(a.records, 'Web_Session__c') },
      { sobject: 'Task', ids: a.deps.deleteTasks ? uniq(liveTasks.map((t) => t.Id)) : [] },
      { sobject: 'Lead', ids: persons.deletedLeads },
    ],
    purge: PURGED.map((sobject) => ({
      sobject,
      ids: uniq(
        all
          .filter((r) => String(r.attributes?.type) === sobject)
          .filter((r) => r.IsDeleted === true || sobject !== 'Task' || a.deps.deleteTasks)
          .filter((r) => !PERSON_TYPES.has(sobject) || persons.purged.includes(r))
          .map((r) => r.Id),
      ),
    })),
    opportunities: uniq(a.otps.map((o) => str(o.Opportunity__c))),
  };
}

const PURGED = ['Opportunity_Touchpoint__c', 'Touchpoint__c', 'Web_Session__c', 'Task', 'Lead', 'Contact'];
const PERSON_TYPES: ReadonlySet<string> = new Set(['Lead', 'Contact']);

/**
 * What happens to the person's own records (unless `keepPerson`): live Contacts and open Leads lose
 * the subject (targets.ts personClearing); converted Leads are deleted, since Salesforce refuses any
 * update of a converted Lead (CANNOT_UPDATE_CONVERTED_LEAD, "cannot reference converted lead":
 * https://help.salesforce.com/s/articleView?id=000384333&type=1 — only users with "View and Edit
 * Converted Leads" may edit them, https://help.salesforce.com/s/articleView?id=sales.leads_view_edit_converted.htm&type=5)
 * and their data lives on in the Contact they became; both they and records already in the Recycle
 * Bin holding the subject are hard-deleted afterwards.
 */
function personChanges(
  people: readonly Row[],
  subject: ErasureSubject,
  keepPerson: boolean,
): { updates: SfRecord[]; deletedLeads: string[]; purged: Row[] } {
  if (keepPerson) return { updates: [], deletedLeads: [], purged: [] };
  const type = (r: Row) => String(r.attributes?.type);
  const converted = people.filter((p) => type(p) === 'Lead' && p.IsConverted === true);
  const binned = people.filter((p) => p.IsDeleted === true && personClearing(p, subject) !== null);
  const updates = people
    .filter((p) => p.IsDeleted !== true && !converted.includes(p))
    .map((p) => personClearing(p, subject))
    .filter((u) => u !== null);
  const deletedLeads = uniq(converted.filter((p) => p.IsDeleted !== true).map((p) => p.Id));
  return { updates, deletedLeads, purged: [...converted, ...binned] };
}
