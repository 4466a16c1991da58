import { opportunityEventAction } from '../../src/salesforce/cdc/opportunityChangeEvent';
import type { TaskChange } from '../../src/salesforce/cdc/taskChangeEvent';

/** Which Opportunity, OpportunityContactRole and Lead change events re-plan which Opportunities. */
const change = (
  changeType: string,
  recordIds: string[],
  changedFields: string[] = [],
  body: Record<string, unknown> = {},
): TaskChange => ({
  changeType,
  recordIds,
  skippedIds: [],
  changedFields,
  commitUser: '005000000000001AAA',
  commitTimestamp: null,
  body,
});
const OPP = '006000000000001AAA';
const ROLE = '00K000000000001AAA';
const LEAD = '00Q000000000001AAA';
const CONTACT = '003000000000001AAA';

describe('opportunityEventAction', () => {
  it('re-plans an Opportunity created, deleted, undeleted or changed in a field the plan reads', () => {
    for (const t of ['CREATE', 'DELETE', 'UNDELETE', 'GAP_UPDATE', 'GAP_DELETE'])
      expect(opportunityEventAction('Opportunity', change(t, [OPP]))).toEqual({
        kind: 'replan',
        events: { opportunityIds: [OPP] },
      });
    for (const f of ['Amount', 'StageName', 'CloseDate', 'AccountId', 'IsClosed', 'IsWon'])
      expect(
        opportunityEventAction('Opportunity', change('UPDATE', [OPP], [f, 'LastModifiedDate'])).kind,
      ).toBe('replan');
    expect(opportunityEventAction('Opportunity', change('UPDATE', [OPP], ['Description', 'Name']))).toEqual({
      kind: 'ignore',
    });
    expect(opportunityEventAction('Opportunity', change('GAP_OVERFLOW', []))).toEqual({ kind: 'catch-up' });
    expect(opportunityEventAction('Opportunity', change('SHRED', [OPP]))).toEqual({ kind: 'unknown' });
  });

  it("takes a new role's Opportunity from the event; a removed or changed role's is looked up", () => {
    expect(
      opportunityEventAction('OpportunityContactRole', change('CREATE', [ROLE], [], { OpportunityId: OPP })),
    ).toEqual({ kind: 'replan', events: { opportunityIds: [OPP] } });
    for (const c of [
      change('DELETE', [ROLE]),
      change('UPDATE', [ROLE], ['IsPrimary']),
      change('GAP_CREATE', [ROLE]),
    ])
      expect(opportunityEventAction('OpportunityContactRole', c)).toEqual({
        kind: 'replan',
        events: { roleIds: [ROLE] },
      });
    expect(opportunityEventAction('OpportunityContactRole', change('UPDATE', [ROLE], ['Role']))).toEqual({
      kind: 'ignore',
    });
  });

  it('re-plans a Lead conversion (its Contact and new Opportunity); other Lead changes do not', () => {
    const converted = change(
      'UPDATE',
      [LEAD],
      ['Status', 'IsConverted', 'ConvertedDate', 'ConvertedContactId', 'ConvertedOpportunityId'],
      { IsConverted: true, ConvertedContactId: CONTACT, ConvertedOpportunityId: OPP },
    );
    expect(opportunityEventAction('Lead', converted)).toEqual({
      kind: 'replan',
      events: { conversions: [{ leadId: LEAD, contactId: CONTACT }], opportunityIds: [OPP] },
    });
    expect(opportunityEventAction('Lead', change('UPDATE', [LEAD], ['Company']))).toEqual({ kind: 'ignore' });
    expect(opportunityEventAction('Lead', change('CREATE', [LEAD]))).toEqual({ kind: 'ignore' });
    expect(opportunityEventAction('Lead', change('GAP_UPDATE', [LEAD]))).toEqual({ kind: 'catch-up' });
  });
});
