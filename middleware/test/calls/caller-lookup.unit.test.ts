import { MAX_SOQL_LENGTH } from '../../../packages/local-org/src/soql';
import { callerLookupQueries, matchCallers, MAX_LOOKUP_NUMBERS } from '../../src/calls/caller-lookup';

/** The batched caller lookup (calls/caller-lookup.ts): one statement per object for a whole batch. */
describe('caller lookup', () => {
  const numbers = Array.from(
    { length: MAX_LOOKUP_NUMBERS },
    (_, i) => `+1415555${String(i).padStart(4, '0')}`,
  );

  it('a full batch of numbers stays within the SOQL statement limit', () => {
    const [lead, contact] = callerLookupQueries(numbers);
    expect(lead.length).toBeLessThan(MAX_SOQL_LENGTH);
    expect(contact.length).toBeLessThan(MAX_SOQL_LENGTH);
    expect(lead).toContain("'(415) 555-0042'");
    expect(lead).toContain('IsConverted = false');
    expect(() => callerLookupQueries([...numbers, '+14155559999'])).toThrow(/1 to 100 numbers/);
  });

  it('links a number to the record that has it in any spelling; several: a Contact first (R20); none: nothing', () => {
    const match = matchCallers(
      ['+14155550001', '+14155550002', '+14155550003'],
      [
        { Id: '00Q000000000001AAA', Phone: '(415) 555-0001', MobilePhone: null },
        { Id: '00Q000000000002AAA', Phone: null, MobilePhone: '415.555.0002' },
        { Id: '003000000000002AAA', Phone: '+1 415-555-0002', MobilePhone: null },
      ],
    );
    expect(match.get('+14155550001')).toEqual({ whoId: '00Q000000000001AAA', matches: 1, outcome: null });
    // R23: why the Contact won is kept for the Task's reason and detail.
    expect(match.get('+14155550002')).toEqual({
      whoId: '003000000000002AAA',
      matches: 2,
      outcome: { kind: 'several', matches: 2, picked: 'Contact', why: 'only-contact' },
    });
    expect(match.get('+14155550003')).toEqual({ whoId: null, matches: 0, outcome: null });
  });

  it('several of one kind: the most recently modified, then the lowest Id (R20, decided)', () => {
    const rows = [
      { Id: '00Q000000000003AAA', Phone: '+14155550009', LastModifiedDate: '2026-03-01T10:00:00.000+0000' },
      { Id: '00Q000000000001AAA', Phone: '+14155550009', LastModifiedDate: '2026-03-05T10:00:00.000+0000' },
      { Id: '00Q000000000002AAA', Phone: '+14155550009', LastModifiedDate: '2026-03-05T10:00:00.000+0000' },
    ];
    expect(matchCallers(['+14155550009'], rows).get('+14155550009')).toEqual({
      whoId: '00Q000000000001AAA',
      matches: 3,
      outcome: { kind: 'several', matches: 3, picked: 'Lead', why: 'lowest-id' },
    });
    const newest = [{ ...rows[0], LastModifiedDate: '2026-03-09T10:00:00.000+0000' }, ...rows.slice(1)];
    expect(matchCallers(['+14155550009'], newest).get('+14155550009')?.outcome).toEqual({
      kind: 'several',
      matches: 3,
      picked: 'Lead',
      why: 'most-recent',
    });
    const contacts = [
      ...rows,
      { Id: '003000000000009AAA', Phone: '(415) 555-0009', LastModifiedDate: '2020-01-01T00:00:00.000+0000' },
    ];
    expect(matchCallers(['+14155550009'], contacts).get('+14155550009')?.whoId).toBe('003000000000009AAA');
  });
});
