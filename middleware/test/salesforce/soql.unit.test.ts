import { soqlDateTime, soqlList, soqlName, soqlString } from '../../src/salesforce/soql';

describe('SOQL literals', () => {
  it('escapes backslash before quote, so a value cannot end the literal', () => {
    expect(soqlString("O'Brien")).toBe("'O\\'Brien'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    // A trailing backslash must not escape the closing quote.
    expect(soqlString("x\\' OR Name != '")).toBe("'x\\\\\\' OR Name != \\''");
  });

  it('joins IN lists with each value escaped', () => {
    expect(soqlList(['a', "b'c"])).toBe("'a','b\\'c'");
  });

  it('writes datetimes in UTC with Z, never +0000', () => {
    expect(soqlDateTime('2026-03-10T13:07:00.000+0000')).toBe('2026-03-10T13:07:00.000Z');
    expect(soqlDateTime('2026-03-10T14:07:00+01:00')).toBe('2026-03-10T13:07:00.000Z');
    expect(soqlDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05.000Z');
    expect(() => soqlDateTime('yesterday')).toThrow(/not a date/);
  });

  it('accepts only API names where names are spliced in', () => {
    expect(soqlName('bizible2__BizibleId__c')).toBe('bizible2__BizibleId__c');
    expect(() => soqlName('Id FROM User--')).toThrow(/API name/);
  });
});
