import { maskPersonalData } from '../src/log-mask';

describe('maskPersonalData: what a log line may keep', () => {
  it.each([
    ['Call from +1 415-555-0167 (Google Ads)', 'Call from +• •••-•••-••67 (Google Ads)'],
    ["Phone IN ('+14155550167','(415) 555-0167')", "Phone IN ('+•••••••••67','(•••) •••-••67')"],
    ['+44 20 7946 0958', '+•• •• •••• ••58'],
    ['from jane.doe@acme.example', 'from j•••@acme.example'],
    [
      'GET http://org.example/services/data/v62.0/query?q=SELECT+Id failed',
      'GET http://org.example/services/data/v62.0/query?[query removed] failed',
    ],
  ])('masks %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    '2026-03-10T12:00:00.000Z and 2026-03-10',
    'callrail:CAL8154748ae6bd4e278a7cddd38a662f4f',
    'invoca:12345678901',
    'Task 00T5g000001234567 took 1.2345678 s',
  ])('leaves ids, timestamps and decimals alone: %s', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});
