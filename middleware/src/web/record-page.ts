import type { SalesforcePort } from '../salesforce/port';
import { soqlString } from '../salesforce/soql';
import { formatInstant } from './format';
import { html, type Html } from './html';
import { RECORD_ID } from './panel-data';

/**
 * /tasks/record/:id with the embedded local org, which has no record pages: the panel's "Open
 * touchpoint" and "Open web session" (panel-preview/stand-ins/navigation.js) show the record's fields
 * here, with links to its call and its web session (issue 27: they led to "No record page"). Only
 * these two objects are read; any other id keeps the "No record page" answer.
 */

interface RecordKind {
  label: string;
  /** Field → label, in the order shown. */
  fields: Record<string, string>;
  /** Fields holding a date/time (shown in the page's one time format). */
  instants: string[];
}

const KINDS: Record<string, RecordKind> = {
  Touchpoint__c: {
    label: 'Touchpoint',
    fields: {
      Name: 'Name',
      Touchpoint_Date__c: 'Date',
      Touchpoint_Type__c: 'Type',
      Position__c: 'Position',
      Channel__c: 'Channel',
      Subchannel__c: 'Subchannel',
      Source__c: 'Source',
      Medium__c: 'Medium',
      Campaign__c: 'Campaign',
      Ad_Content__c: 'Ad content',
      Keyword__c: 'Keyword',
      Landing_Page__c: 'Landing page',
      Referrer_Page__c: 'Referrer',
      Form_URL__c: 'Form page',
      First_Touch_Percent__c: 'First Touch %',
      Lead_Creation_Percent__c: 'Lead Creation %',
      U_Shaped_Percent__c: 'U-Shaped %',
      Merge_Status__c: 'Merge status',
      BizibleId__c: 'BizibleId (visitor)',
      Task_Id__c: 'Call (Task)',
      Web_Session__c: 'Web session',
    },
    instants: ['Touchpoint_Date__c'],
  },
  Web_Session__c: {
    label: 'Web session',
    fields: {
      Name: 'Name',
      Started_At__c: 'Started',
      Last_Activity_At__c: 'Last activity',
      Channel__c: 'Channel',
      Subchannel__c: 'Subchannel',
      Source__c: 'Source',
      Medium__c: 'Medium',
      Campaign__c: 'Campaign',
      Content__c: 'Content',
      Term__c: 'Term',
      Landing_Page__c: 'Landing page',
      Referrer_Page__c: 'Referrer',
      Page_Views__c: 'Page views',
      Form_Submits__c: 'Form submits',
      BizibleId__c: 'BizibleId (visitor)',
      Session_Key__c: 'Session key',
    },
    instants: ['Started_At__c', 'Last_Activity_At__c'],
  },
};

export interface RecordDetail {
  object: string;
  id: string;
  row: Record<string, unknown>;
}

/**
 * The record, read as the object the panel named (`object`), else as each known object in turn;
 * null when it is none of them (or not a record id).
 */
export async function loadRecordDetail(
  sf: SalesforcePort,
  id: string,
  object?: string,
): Promise<RecordDetail | null> {
  if (!RECORD_ID.test(id)) return null;
  const objects = object && KINDS[object] ? [object] : Object.keys(KINDS);
  for (const o of objects) {
    const rows = await sf.query<Record<string, unknown>>(
      `SELECT Id, ${Object.keys(KINDS[o].fields).join(', ')} FROM ${o} WHERE Id = ${soqlString(id)} LIMIT 1`,
    );
    if (rows[0]) return { object: o, id, row: rows[0] };
  }
  return null;
}

function valueCell(kind: RecordKind, field: string, value: unknown): Html | string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'Task_Id__c') return html`<a href="/tasks/${String(value)}">${String(value)}</a>`;
  if (field === 'Web_Session__c')
    return html`<a href="/tasks/record/${String(value)}?object=Web_Session__c">${String(value)}</a>`;
  if (kind.instants.includes(field)) return formatInstant(String(value));
  return String(value);
}

export function recordDetailBody(d: RecordDetail): Html {
  const kind = KINDS[d.object];
  const taskId = typeof d.row.Task_Id__c === 'string' ? d.row.Task_Id__c : null;
  return html`<p>
      ${taskId ? html`<a href="/tasks/${taskId}">← The call’s panel</a> · ` : ''}<a href="/tasks"
        >Recent calls</a
      >
    </p>
    <h1>${kind.label} <span class="mono">${d.id}</span></h1>
    <p class="muted">
      As stored in the org (${d.object}). The embedded local org has no record pages of its own; in Salesforce
      this link opens the record.
    </p>
    <table class="calls record">
      <tbody>
        ${Object.entries(kind.fields).map(
          ([field, label]) =>
            html`<tr>
              <th scope="row">${label}</th>
              <td>${valueCell(kind, field, d.row[field])}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
