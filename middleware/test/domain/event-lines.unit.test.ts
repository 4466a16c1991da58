import { EventLinesError, eventIdFor, parseEventLines } from '../../src/domain';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    type: 'page_view',
    visitorId: 'A1F3C9E07B2D4C5E8F9A0B1C2D3E4F50',
    url: 'https://www.example.com/pricing',
    referrer: null,
    receivedAt: '2026-03-10T12:07:00Z',
    ...o,
  });

function problemsOf(text: string): string[] {
  try {
    parseEventLines(text, 'EVENTS.ndjson');
  } catch (err) {
    if (err instanceof EventLinesError) return err.problems;
    throw err;
  }
  throw new Error('expected an EventLinesError');
}

describe('event lines (simulate --events, import-events)', () => {
  test('valid lines become events: lower-case visitor, UTC instants, a content-derived id when none', () => {
    const [a, b] = parseEventLines(
      `${line({})}\r\n\n${line({ eventId: 'ev-2', clientTime: '2026-03-10T13:06:30+0100', email: 'x@y.org' })}\n`,
      'EVENTS.ndjson',
    );
    expect(a).toMatchObject({
      visitorId: 'a1f3c9e07b2d4c5e8f9a0b1c2d3e4f50',
      receivedAt: Date.parse('2026-03-10T12:07:00Z'),
      clientTime: null,
      email: null,
    });
    const { eventId, ...content } = a;
    expect(eventId).toBe(eventIdFor(content));
    expect(b).toMatchObject({
      eventId: 'ev-2',
      clientTime: Date.parse('2026-03-10T12:06:30Z'),
      email: 'x@y.org',
    });
  });

  test('every bad line is named with its number and the fix; nothing is returned', () => {
    const text = [
      line({}),
      line({ type: 'click' }),
      '',
      '{"type":',
      '[1,2]',
      line({ receivedAt: '2026-03-10 12:07' }),
      line({ url: '/pricing' }),
      line({ visitorId: '  ' }),
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'EVENTS.ndjson line 2: type must be "page_view" or "form_submit"',
      expect.stringMatching(/^EVENTS.ndjson line 4: not valid JSON/),
      'EVENTS.ndjson line 5: expected one JSON object per line',
      'EVENTS.ndjson line 6: receivedAt must be an ISO 8601 date-time with a time zone, e.g. 2026-03-10T12:07:00Z',
      'EVENTS.ndjson line 7: url must be an absolute http(s) URL, e.g. https://www.example.com/pricing',
      'EVENTS.ndjson line 8: visitorId must not be empty (the _biz_uid cookie value)',
    ]);
  });

  test('the message lists the first 20 problems and counts the rest', () => {
    const text = Array.from({ length: 25 }, () => line({ type: 'click' })).join('\n');
    expect(() => parseEventLines(text, 'big.ndjson')).toThrow(EventLinesError);
    try {
      parseEventLines(text, 'big.ndjson');
    } catch (err) {
      const lines = (err as Error).message.split('\n');
      expect(lines).toHaveLength(21);
      expect(lines[19]).toBe('big.ndjson line 20: type must be "page_view" or "form_submit"');
      expect(lines[20]).toBe('... and 5 more problems');
    }
  });
});
