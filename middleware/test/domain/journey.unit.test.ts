import { assignPositions, type JourneyTouchpoint } from '../../src/domain';

const tp = (key: string, orderAt: number, conversionAt: number | null): JourneyTouchpoint => ({
  key,
  orderAt,
  conversionAt,
  position: null,
  firstTouchPercent: 0,
  leadCreationPercent: 0,
  uShapedPercent: 0,
});
const summary = (tps: JourneyTouchpoint[]) =>
  tps.map((t) => [t.key, t.position, t.firstTouchPercent, t.leadCreationPercent, t.uShapedPercent]);

describe('positions and attribution (R9, R10)', () => {
  test('FT and LC on the same touchpoint: "FT, LC" with 100 % in every model', () => {
    const tps = [tp('a', 1, 5), tp('b', 10, 12)];
    assignPositions(tps);
    expect(summary(tps)).toEqual([
      ['a', 'FT, LC', 100, 100, 100],
      ['b', 'PostLC', 0, 0, 0],
    ]);
  });

  test('nothing between FT and LC: U-shaped 50/50', () => {
    const tps = [tp('lc', 10, 12), tp('ft', 1, null)];
    assignPositions(tps);
    expect(summary(tps)).toEqual([
      ['ft', 'FT', 100, 0, 50],
      ['lc', 'LC', 0, 100, 50],
    ]);
  });

  test('touchpoints between FT and LC share 20 %, in hundredths that sum to exactly 100', () => {
    const tps = [
      tp('ft', 0, null),
      tp('m1', 1, null),
      tp('m2', 2, null),
      tp('m3', 3, null),
      tp('lc', 4, 4),
      tp('post', 5, 5),
    ];
    assignPositions(tps);
    expect(summary(tps)).toEqual([
      ['ft', 'FT', 100, 0, 40],
      ['m1', null, 0, 0, 6.67],
      ['m2', null, 0, 0, 6.67],
      ['m3', null, 0, 0, 6.66],
      ['lc', 'LC', 0, 100, 40],
      ['post', 'PostLC', 0, 0, 0],
    ]);
    expect(Math.round(tps.reduce((s, t) => s + t.uShapedPercent * 100, 0))).toBe(10000);
  });
});
