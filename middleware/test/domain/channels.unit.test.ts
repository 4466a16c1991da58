import { readFileSync } from 'node:fs';
import {
  ChannelSheetError,
  classify,
  classifyActivity,
  defaultChannelRules,
  defaultChannelSheetPath,
  parseArrival,
  parseChannelSheet,
} from '../../src/domain';

const channelOf = (url: string, referrer: string | null = null, sheet = defaultChannelRules()) =>
  classify(parseArrival(url, referrer), sheet);

describe('parseArrival', () => {
  test('UTM parameters and the first click id from the landing URL; empty values count as absent', () => {
    const a = parseArrival(
      'https://www.example.com/p?UTM_Source=Google&utm_medium=cpc&utm_campaign=&msclkid=m1&gclid=g1#top',
      'https://www.bing.com/search?q=x',
    );
    expect(a).toEqual({
      landingPage:
        'https://www.example.com/p?UTM_Source=Google&utm_medium=cpc&utm_campaign=&msclkid=m1&gclid=g1',
      referrerPage: 'https://www.bing.com/search?q=x',
      referrerDomain: 'bing.com',
      utmSource: 'Google',
      utmMedium: 'cpc',
      utmCampaign: null,
      utmContent: null,
      utmTerm: null,
      clickId: 'gclid=g1',
    });
  });

  test('referrer on the same registrable domain is no external referrer', () => {
    expect(parseArrival('https://www.example.co.uk/a', 'https://shop.example.co.uk/b')).toMatchObject({
      referrerPage: null,
      referrerDomain: null,
    });
  });
});

describe('default channel sheet (R12)', () => {
  test.each([
    ['https://www.example.com/?gclid=abc', 'https://www.google.com/', 'Paid Search', 'Google Ads'],
    ['https://www.example.com/?msclkid=abc', 'https://www.bing.com/', 'Paid Search', 'Microsoft Ads'],
    ['https://www.example.com/?utm_source=bing&utm_medium=cpc', null, 'Paid Search', 'Microsoft Ads'],
    [
      'https://www.example.com/?utm_source=facebook&utm_medium=paid-social',
      null,
      'Paid Social',
      'Facebook Ads',
    ],
    ['https://www.example.com/?li_fat_id=1', 'https://www.linkedin.com/', 'Paid Social', 'LinkedIn Ads'],
    ['https://www.example.com/', 'https://www.google.co.uk/', 'Organic Search', 'Google'],
    ['https://www.example.com/', 'https://duckduckgo.com/', 'Organic Search', 'DuckDuckGo'],
    ['https://www.example.com/', 'https://l.facebook.com/l.php?u=x', 'Organic Social', 'Facebook'],
    ['https://www.example.com/', 'https://t.co/abc', 'Organic Social', 'X'],
    ['https://www.example.com/?utm_source=newsletter&utm_medium=email', null, 'Email', null],
    ['https://www.example.com/', 'https://mail.google.com/', 'Email', 'Webmail'],
    ['https://www.example.com/?utm_medium=display&utm_source=gdn', null, 'Display', null],
    ['https://www.example.com/', 'https://news.ycombinator.com/item?id=1', 'Referral', null],
    ['https://www.example.com/?utm_source=partner-x', null, 'Other', null],
    ['https://www.example.com/pricing', null, 'Direct', null],
  ])('%s from %s → %s / %s', (url, referrer, channel, subchannel) => {
    expect(channelOf(url, referrer)).toEqual({ channel, subchannel });
  });

  test('referrer matching uses the registrable domain: google.co.uk and www.google.de are Google', () => {
    const sheet = parseChannelSheet(
      'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website\nSearch,G,,,,,google.*\n',
    );
    expect(channelOf('https://www.example.com/', 'https://www.google.co.uk/search', sheet).channel).toBe(
      'Search',
    );
    expect(channelOf('https://www.example.com/', 'https://www.google.de/', sheet).channel).toBe('Search');
    expect(channelOf('https://www.example.com/', 'https://notgoogle.com/', sheet).channel).toBe('Other');
    // Same-site referrers never match a Referring Website rule.
    const internal = parseChannelSheet(
      'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website\nSelf,,,,,,*example.com*\n',
    );
    expect(channelOf('https://www.example.com/', 'https://www.example.com/blog', internal).channel).toBe(
      'Other',
    );
  });

  test('the default sheet is our CSV file shipped next to the code', () => {
    expect(readFileSync(defaultChannelSheetPath(), 'utf8')).toMatch(
      /^Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website/,
    );
  });

  test('standalone calls use offline rows (Source "CRM Activity"), default "Other" (R8)', () => {
    expect(classifyActivity('Call', defaultChannelRules())).toEqual({ channel: 'Other', subchannel: null });
    const sheet = parseChannelSheet(
      'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website\n' +
        'Other,,,,*,,\nPhone,Inbound,,Call;Phone Call,CRM Activity,,\nDirect,,,,,,\n',
    );
    expect(classifyActivity('Phone Call', sheet)).toEqual({ channel: 'Phone', subchannel: 'Inbound' });
    expect(classifyActivity('Meeting', sheet)).toEqual({ channel: 'Other', subchannel: null });
  });
});

describe('a Marketo-Measure-style sheet loads as is', () => {
  const sheet = [
    '\ufeffCHANNEL,SubChannel,campaign,Medium,Source,landing page,Referring Website',
    'Paid Search,Google,,cpc;ppc,google,,',
    'Paid Search,Bing,,cpc;ppc,bing,,',
    'Paid Search,Google,,,,*gclid=*,',
    'Paid Social,LinkedIn,,,linkedin,,',
    'Social,Facebook,,,,,*facebook.com*',
    'Organic Search,Google,,,,,*google.*',
    'Email,"Newsletter, monthly",*newsletter*,,,,',
    'Event,Trade Show,*tradeshow*;*expo*,,,,',
    'Landing,Pricing,,,,*/pricing,',
    'Other,,,,,,',
    '',
  ].join('\r\n');

  test('header case, BOM, CRLF, quoted commas, wildcards and alternatives', () => {
    const rules = parseChannelSheet(sheet);
    expect(rules.rules).toHaveLength(10);
    expect(channelOf('https://www.example.com/?utm_source=Google&utm_medium=PPC', null, rules)).toEqual({
      channel: 'Paid Search',
      subchannel: 'Google',
    });
    expect(channelOf('https://www.example.com/?gclid=1', null, rules).subchannel).toBe('Google');
    expect(channelOf('https://www.example.com/', 'https://m.facebook.com/', rules).channel).toBe('Social');
    expect(channelOf('https://www.example.com/?utm_campaign=March-Newsletter', null, rules)).toEqual({
      channel: 'Email',
      subchannel: 'Newsletter, monthly',
    });
    expect(channelOf('https://www.example.com/?utm_campaign=spring-expo', null, rules).channel).toBe('Event');
    expect(channelOf('https://www.example.com/pricing', null, rules).channel).toBe('Landing');
    expect(channelOf('https://www.example.com/', null, rules).channel).toBe('Other');
  });

  test('first match wins top-down', () => {
    const rules = parseChannelSheet(sheet);
    // utm_source=google & cpc matches row 2 before the gclid row 4 would.
    expect(
      channelOf(
        'https://www.example.com/?utm_source=google&utm_medium=cpc&gclid=1',
        'https://www.google.com/',
        rules,
      ),
    ).toEqual({
      channel: 'Paid Search',
      subchannel: 'Google',
    });
  });
});

describe('bad sheets are rejected with row and column', () => {
  const header = 'Channel,Subchannel,Campaign,Medium,Source,Landing Page,Referring Website';
  const expectError = (csv: string, row: number, column: string, message: RegExp) => {
    let caught: unknown;
    try {
      parseChannelSheet(csv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ChannelSheetError);
    const e = caught as ChannelSheetError;
    expect([e.row, e.column]).toEqual([row, column]);
    expect(e.message).toContain(`row ${row}`);
    expect(e.message).toContain(column);
    expect(e.message).toMatch(message);
  };

  test('a missing column in the header', () => {
    expectError(
      'Channel,Subchannel,Campaign,Medium,Source,Landing Page\nA,,,,,\n',
      1,
      'Referring Website',
      /header row must name/,
    );
  });
  test('an empty channel name', () => {
    expectError(`${header}\nPaid Search,,,cpc,,,\n,,,email,,,\n`, 3, 'Channel', /needs a channel name/);
  });
  test('an empty ";" alternative', () => {
    expectError(`${header}\nPaid Search,,,cpc;;ppc,,,\n`, 2, 'Medium', /alternative 2 .* is empty/);
  });
  test('more cells than columns', () => {
    expectError(`${header}\nPaid Search,,,cpc,,,,google\n`, 2, '#8', /double quotes/);
  });
  test('a channel name longer than Salesforce allows', () => {
    expectError(`${header}\n${'x'.repeat(81)},,,,,,\n`, 2, 'Channel', /at most 80/);
  });
  test('broken CSV quoting', () => {
    expect(() => parseChannelSheet(`${header}\nPaid Search,"Google,,,,,\n`)).toThrow(ChannelSheetError);
  });
});
