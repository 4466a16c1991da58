/**
 * convertLead() of the SOAP API (Partner WSDL, /services/Soap/u/{version}) as the SOAP API Developer Guide
 * describes it: a Lead becomes an Account (or merges into `accountId`), a Contact (or merges into
 * `contactId`, which needs `accountId`) and, unless `doNotCreateOpportunity`, an Opportunity; the Lead gets
 * IsConverted, Status = `convertedStatus`, ConvertedAccountId / ConvertedContactId / ConvertedOpportunityId
 * and ConvertedDate. Each LeadConvert succeeds or fails on its own (LeadConvertResult with errors[]); one
 * failing undoes only its own writes.
 *
 * Where an org decides by its setup, a new org's defaults: the converted status is the LeadStatus with
 * IsConverted = true ("Closed - Converted"); the new Opportunity is named after opportunityName, else the
 * Lead's Company, at the first stage of the sales process ("Prospecting"), CloseDate the conversion day
 * (UTC); the converted Contact becomes the Opportunity's primary contact role (Salesforce Help, "Convert
 * Leads": the contact is added as the primary contact role on the opportunity).
 */
import type { OrgData } from './data';
import { SfError } from './errors';
import type { Rec } from './soql';
import { toId18 } from './ids';

export const CONVERTED_STATUSES = new Set(['Closed - Converted']);

export interface LeadConvert {
  leadId: string;
  convertedStatus: string;
  accountId?: string | null;
  contactId?: string | null;
  doNotCreateOpportunity?: boolean;
  opportunityName?: string | null;
}

export interface LeadConvertResult {
  leadId: string;
  accountId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function existing(data: OrgData, id: string | null | undefined, object: string, field: string): Rec | null {
  if (!id) return null;
  const hit = data.byId(toId18(id) ?? id);
  if (!hit || hit.def.name !== object || hit.rec.IsDeleted)
    throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field]);
  return hit.rec;
}

function convertOne(
  data: OrgData,
  lc: LeadConvert,
  now: number,
): Omit<LeadConvertResult, 'success' | 'errors'> {
  const leadDef = data.object('Lead')!;
  const lead = existing(data, lc.leadId, 'Lead', 'leadId');
  if (!lead)
    throw new SfError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [leadId]', ['leadId']);
  if (lead.IsConverted === true)
    throw new SfError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', ['leadId']);
  if (!CONVERTED_STATUSES.has(lc.convertedStatus))
    throw new SfError(400, 'INVALID_STATUS', `invalid convertedStatus: ${lc.convertedStatus}`, [
      'convertedStatus',
    ]);
  if (lc.contactId && !lc.accountId)
    throw new SfError(400, 'REQUIRED_FIELD_MISSING', 'accountId is required when contactId is given', [
      'accountId',
    ]);
  const save = (object: string, rec: Rec) => data.save(data.object(object)!, rec, undefined, now).id;

  const account = existing(data, lc.accountId, 'Account', 'accountId');
  const accountId = account ? (account.Id as string) : save('Account', { Name: lead.Company });
  const contact = existing(data, lc.contactId, 'Contact', 'contactId');
  if (contact && contact.AccountId !== accountId)
    throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', 'the contact is not on the given account', [
      'contactId',
    ]);
  const contactId = contact
    ? (contact.Id as string)
    : save('Contact', {
        FirstName: lead.FirstName,
        LastName: lead.LastName,
        Email: lead.Email,
        Phone: lead.Phone,
        LeadSource: lead.LeadSource,
        AccountId: accountId,
      });
  let opportunityId: string | null = null;
  if (!lc.doNotCreateOpportunity) {
    opportunityId = save('Opportunity', {
      Name: lc.opportunityName || lead.Company,
      AccountId: accountId,
      StageName: 'Prospecting',
      CloseDate: dayOf(now),
      LeadSource: lead.LeadSource,
    });
    save('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, IsPrimary: true });
  }
  data.systemUpdate(
    leadDef,
    lead,
    {
      IsConverted: true,
      Status: lc.convertedStatus,
      ConvertedAccountId: accountId,
      ConvertedContactId: contactId,
      ConvertedOpportunityId: opportunityId,
      ConvertedDate: dayOf(now),
    },
    now,
  );
  return { leadId: lead.Id as string, accountId, contactId, opportunityId };
}

/** Converts each LeadConvert in its own savepoint: a failure is that item's result, the others go on. */
export function convertLeads(data: OrgData, converts: LeadConvert[], now: number): LeadConvertResult[] {
  return data.transaction(() =>
    converts.map((lc) => {
      const point = data.savepoint();
      try {
        return { ...convertOne(data, lc, now), success: true, errors: [] };
      } catch (e) {
        if (!(e instanceof SfError)) throw e;
        data.rollbackTo(point);
        return {
          leadId: lc.leadId,
          accountId: null,
          contactId: null,
          opportunityId: null,
          success: false,
          errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }],
        };
      }
    }),
  );
}
