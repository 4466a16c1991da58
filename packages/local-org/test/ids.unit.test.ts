import { caseSafeSuffix, makeId, toId18 } from '../src/ids';

describe('18-character ids', () => {
  test('the case-safe suffix matches published conversions', () => {
    // Examples published with the documented algorithm (chunks of 5, bit i set for A-Z at i).
    expect(toId18('a0D30000001n7Pi')).toBe('a0D30000001n7PiEAI');
    expect(toId18('0019000000B98de')).toBe('0019000000B98deAAB');
    expect(toId18('005G0000001vtoG')).toBe('005G0000001vtoGIAQ'); // a real user id seen in an org
    expect(toId18('001000000000001')).toBe('001000000000001AAA');
    expect(caseSafeSuffix('ABCDEABCDEABCDE')).toBe('555');
  });

  test('an 18-character id lowercased by a case-insensitive tool is restored from its suffix', () => {
    expect(toId18('a0d30000001n7pieai')).toBe('a0D30000001n7PiEAI');
    expect(toId18('A0D30000001N7PIEAI')).toBe('a0D30000001n7PiEAI');
  });

  test('malformed ids are rejected', () => {
    expect(toId18('abc')).toBeNull();
    expect(toId18('a0D30000001n7P!')).toBeNull();
    expect(toId18('a0D30000001n7Pi99')).toBeNull();
  });

  test('generated ids carry the key prefix and a valid suffix, and sort in creation order', () => {
    const ids = [1, 2, 61, 62, 1000, 250000].map((n) => makeId('00T', n));
    for (const id of ids) {
      expect(id).toMatch(/^00T[A-Za-z0-9]{15}$/);
      expect(toId18(id.slice(0, 15))).toBe(id);
    }
    expect([...ids].sort()).toEqual(ids);
  });
});
