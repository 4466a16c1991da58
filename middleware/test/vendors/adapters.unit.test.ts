import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { parseCallRail } from '../../src/vendors/callrail';
import { parseCtm } from '../../src/vendors/calltrackingmetrics';
import { instant } from '../../src/vendors/fields';
import { parseMapped } from '../../src/vendors/generic';
import { parseInvoca } from '../../src/vendors/invoca';
import { PayloadError, type AdapterResult, type NormalizedCall } from '../../src/vendors/normalized-call';
import { DEFAULT_FIELD_MAP, DEFAULT_VENDOR_OPTIONS } from '../../src/vendors/options';
import { phoneSpellings, toE164 } from '../../src/vendors/phone';
import { decodeFields } from '../../src/vendors/router';
import { safeEqual, verifyCallRail, verifyCtm, verifySharedToken } from '../../src/vendors/signatures';
import { taskFields, taskSubject } from '../../src/calls/task-fields';

const FIXTURES = path.join(__dirname, 'fixtures');
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
const opts = DEFAULT_VENDOR_OPTIONS;

function callOf(result: AdapterResult): NormalizedCall {
  if (result.kind !== 'call') throw new Error(`expected a call, got ${JSON.stringify(result)}`);
  return result.call;
}

describe('phone normalization (each vendor spells numbers its own way)', () => {
  it.each([
    ['CallRail', '+15555550123', '+15555550123'],
    ['Invoca', '866-555-1234', '+18665551234'],
    ['CTM', '+1 (555) 555-0123', '+15555550123'],
    ['CTM formatted', '(555) 555-0123', '+15555550123'],
    ['DialogTech 10 digits', '5555550123', '+15555550123'],
    ['11 digits with trunk 1', '15555550123', '+15555550123'],
    ['dots', '555.555.0123', '+15555550123'],
    ['UK international', '+44 20 7946 0958', '+442079460958'],
    ['number type', 5555550123, '+15555550123'],
  ])('%s %p → %s', (_vendor, raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([['anonymous'], [''], ['123'], [null], ['Restricted']])('%p is no phone number', (raw) => {
    expect(toE164(raw)).toBeNull();
  });

  it('uses the configured default region for national numbers', () => {
    expect(toE164('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it('lists the spellings a user may have typed into Phone, so SOQL can match them exactly', () => {
    const s = phoneSpellings('+15555550123');
    for (const form of [
      '+15555550123',
      '5555550123',
      '(555) 555-0123',
      '555-555-0123',
      '+1 (555) 555-0123',
    ]) {
      expect(s).toContain(form);
    }
  });
});

describe('signatures', () => {
  const vector = fs.readFileSync(path.join(FIXTURES, 'callrail-docs-vector.txt'));

  it("CallRail's published test vector verifies (key 072e77…, signature UZAHbUdfm3GqL7qzilGozGzWV64=)", () => {
    expect(
      verifyCallRail(vector, 'UZAHbUdfm3GqL7qzilGozGzWV64=', '072e77e426f92738a72fe23c4d1953b4'),
    ).toEqual({
      ok: true,
    });
  });

  it('CallRail: one changed byte, a wrong key or no header is refused', () => {
    const tampered = Buffer.concat([vector, Buffer.from(' ')]);
    expect(
      verifyCallRail(tampered, 'UZAHbUdfm3GqL7qzilGozGzWV64=', '072e77e426f92738a72fe23c4d1953b4').ok,
    ).toBe(false);
    expect(verifyCallRail(vector, 'UZAHbUdfm3GqL7qzilGozGzWV64=', 'another-key').ok).toBe(false);
    expect(verifyCallRail(vector, undefined, '072e77e426f92738a72fe23c4d1953b4')).toMatchObject({
      ok: false,
      reason: 'signature_missing',
    });
  });

  it('CTM: signature over X-CTM-Time + body, inside the clock window only', () => {
    const body = Buffer.from('{"id":1}');
    const now = 1_773_155_700_000;
    const time = String(now / 1000);
    const sig = crypto.createHmac('sha1', 's3cret').update(time).update(body).digest('base64');
    expect(verifyCtm(body, sig, time, 's3cret', now).ok).toBe(true);
    expect(verifyCtm(body, sig, time, 's3cret', now + 299_000).ok).toBe(true);
    expect(verifyCtm(body, sig, time, 's3cret', now + 301_000)).toMatchObject({
      reason: 'timestamp_out_of_window',
    });
    // The time is covered by the signature: moving it forward breaks the signature.
    expect(verifyCtm(body, sig, String(now / 1000 + 600), 's3cret', now + 600_000)).toMatchObject({
      reason: 'signature_invalid',
    });
    expect(verifyCtm(body, sig, undefined, 's3cret', now)).toMatchObject({ reason: 'timestamp_missing' });
  });

  it('shared tokens and constant-time compare handle different lengths', () => {
    expect(verifySharedToken('abc', 'abc').ok).toBe(true);
    expect(verifySharedToken('abcd', 'abc')).toMatchObject({ reason: 'token_invalid' });
    expect(verifySharedToken(undefined, 'abc')).toMatchObject({ reason: 'token_missing' });
    expect(safeEqual('é', 'e')).toBe(false);
  });
});

describe('vendor adapters', () => {
  it('CallRail post-call → normalized call with the cookie from `custom`', () => {
    const call = callOf(parseCallRail(fixture('callrail-post-call.json'), opts));
    expect(call).toEqual({
      vendor: 'callrail',
      vendorCallId: 'callrail:CAL8154748ae6bd4e278a7cddd38a662f4f',
      startedAt: '2026-03-10T13:03:56.000Z',
      durationSeconds: 184,
      direction: 'inbound',
      outcome: 'answered',
      callerNumber: '+15555550123',
      trackingNumber: '+14045558514',
      source: 'Google Ads',
      campaign: 'Spring Promo',
      recordingUrl: expect.stringContaining('/recording?access_key=abc'),
      visitorId: '0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b',
    });
  });

  it("CallRail's docs vector body (legacy numeric id, voicemail) parses too", () => {
    const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'callrail-docs-vector.txt'), 'utf8'));
    const call = callOf(parseCallRail(body, opts));
    expect(call).toMatchObject({
      vendorCallId: 'callrail:766970532',
      outcome: 'voicemail',
      startedAt: '2018-02-19T18:41:00.236Z',
      durationSeconds: 13,
      callerNumber: '+12148654559',
      visitorId: null,
    });
  });

  it('CTM end-of-call → unix_time instant, cookie from custom_fields', () => {
    const call = callOf(parseCtm(fixture('calltrackingmetrics-end-call.json'), opts));
    expect(call).toMatchObject({
      vendorCallId: 'calltrackingmetrics:2184733102',
      startedAt: '2026-03-10T15:15:00.000Z',
      durationSeconds: 95,
      outcome: 'answered',
      callerNumber: '+15555550123',
      trackingNumber: '+18445550199',
      source: 'Bing Ads',
      campaign: 'Brand Search',
      visitorId: '9a8b7c6d5e4f30211203f4e5d6c7b8a9',
    });
  });

  it('CTM without unix_time reads called_at with its offset; text messages are ignored', () => {
    const f = { ...fixture('calltrackingmetrics-end-call.json'), unix_time: undefined };
    expect(callOf(parseCtm(f, opts)).startedAt).toBe('2026-03-10T15:15:00.000Z');
    expect(parseCtm({ id: 5, direction: 'msg_inbound' }, opts)).toEqual({
      kind: 'ignored',
      reason: 'not a call (msg_inbound)',
    });
  });

  it('Invoca keys the call by complete_call_id, so a correction is the same call', () => {
    const first = callOf(parseInvoca(fixture('invoca-post-call.json'), opts));
    const correction = callOf(parseInvoca(fixture('invoca-correction.json'), opts));
    expect(first.vendorCallId).toBe('invoca:3B81-6BEEE19C255F');
    expect(correction.vendorCallId).toBe(first.vendorCallId);
    expect(first).toMatchObject({
      startedAt: '2026-03-10T15:04:14.945Z',
      callerNumber: '+18665551234',
      trackingNumber: '+18888160592',
      source: 'google',
      campaign: 'Summer Sale',
      visitorId: '1234567890abcdef1234567890abcdef',
    });
    expect(correction.durationSeconds).toBe(240);
  });

  it('Invoca without complete_call_id is a 400 naming that field', () => {
    const f = { ...fixture('invoca-post-call.json'), complete_call_id: '' };
    expect(() => parseInvoca(f, opts)).toThrow(PayloadError);
    try {
      parseInvoca(f, opts);
    } catch (e) {
      expect((e as PayloadError).field).toBe('complete_call_id');
    }
  });

  it('DialogTech/generic: the field map names the parameters; upper-case cookie is case-folded', () => {
    const form = fixture('dialogtech-post-call-action.json').form as Record<string, unknown>;
    const call = callOf(parseMapped('dialogtech', form, DEFAULT_FIELD_MAP, opts));
    expect(call).toMatchObject({
      vendorCallId: 'dialogtech:DT-20260310-000417',
      outcome: 'voicemail',
      callerNumber: '+15555550123',
      visitorId: 'abcdef0123456789abcdef0123456789',
    });
    const mapped = callOf(
      parseMapped(
        'dialogtech',
        { CallID: 'x1', CallDate: '2026-03-10 11:20:05', Caller: '5555550123' },
        {
          ...DEFAULT_FIELD_MAP,
          callId: 'CallID',
          startTime: 'CallDate',
          callerNumber: 'Caller',
          startTimeOffset: '-05:00',
        },
        opts,
      ),
    );
    expect(mapped).toMatchObject({ vendorCallId: 'dialogtech:x1', startedAt: '2026-03-10T16:20:05.000Z' });
  });

  it('a malformed visitor id is dropped with a note; the call still counts', () => {
    const result = parseMapped('generic', fixture('generic-call.json'), DEFAULT_FIELD_MAP, opts);
    expect(result.kind).toBe('call');
    if (result.kind !== 'call') return;
    expect(result.call).toMatchObject({ visitorId: null, outcome: 'missed', callerNumber: '+442079460958' });
    expect(result.notes.join()).toMatch(/visitor_id: dropped malformed visitor id "not-a-cookie"/);
  });

  it.each([
    [{ start_time: '2026-03-10T16:20:05Z' }, 'call_id'],
    [{ call_id: 'a' }, 'start_time'],
    [{ call_id: 'a', start_time: '2026-03-10 16:20:05' }, 'start_time'],
    [{ call_id: 'a b/c', start_time: '2026-03-10T16:20:05Z' }, 'call_id'],
    [{ call_id: 'a', start_time: '2026-03-10T16:20:05Z', duration: 'long' }, 'duration'],
    [{ call_id: 'a', start_time: '2026-03-10T16:20:05Z', direction: 'sideways' }, 'direction'],
    [{ call_id: 'a', start_time: '2026-03-10T16:20:05Z', outcome: 'maybe' }, 'outcome'],
  ])('generic %p → PayloadError on %s', (fields, field) => {
    try {
      parseMapped('generic', fields, DEFAULT_FIELD_MAP, opts);
      throw new Error('expected a PayloadError');
    } catch (e) {
      expect(e).toBeInstanceOf(PayloadError);
      expect((e as PayloadError).field).toBe(field);
    }
  });

  it('instants: ISO offsets, AM/PM with offset, epoch seconds and milliseconds all become UTC', () => {
    expect(instant('2026-03-10T09:03:56.000-04:00', 'f')).toBe('2026-03-10T13:03:56.000Z');
    expect(instant('2026-03-10 10:15 PM -05:00', 'f')).toBe('2026-03-11T03:15:00.000Z');
    expect(instant('2026-03-10 12:05 AM +0100', 'f')).toBe('2026-03-09T23:05:00.000Z');
    expect(instant(1773155700, 'f')).toBe('2026-03-10T15:15:00.000Z');
    expect(instant('1773155054945', 'f')).toBe('2026-03-10T15:04:14.945Z');
    expect(() => instant(0, 'start_time')).toThrow(/start_time: is not a plausible Unix time/);
  });
});

describe('request decoding', () => {
  const delivery = (body: string, query: Record<string, string> = {}) => ({
    rawBody: Buffer.from(body),
    headers: {},
    query,
    nowMs: 0,
  });

  it('form bodies nest bracket keys one level and query parameters fill in (token excluded)', () => {
    const f = decodeFields(
      delivery('call_id=1&custom_fields%5B_biz_uid%5D=abc', { token: 'secret', start_time: '1773155700' }),
      'application/x-www-form-urlencoded',
      true,
    );
    expect(f).toEqual({ call_id: '1', custom_fields: { _biz_uid: 'abc' }, start_time: '1773155700' });
  });

  it('a JSON array or broken JSON is a payload error on "body"', () => {
    expect(() => decodeFields(delivery('[1]'), 'application/json', false)).toThrow(
      /body: must be a JSON object/,
    );
    expect(() => decodeFields(delivery('{oops'), 'application/json', false)).toThrow(
      /body: is not valid JSON/,
    );
  });
});

describe('options', () => {
  const vendorOptions = (env: NodeJS.ProcessEnv) => loadConfig(env).vendors;

  it('reads field maps and the phone region from the environment, naming the variable on errors', () => {
    const o = vendorOptions({ DIALOGTECH_FIELD_MAP: '{"callId":"CallID"}', PHONE_DEFAULT_REGION: 'gb' });
    expect(o.dialogtechFieldMap.callId).toBe('CallID');
    expect(o.dialogtechFieldMap.startTime).toBe('start_time');
    expect(o.phoneRegion).toBe('GB');
    expect(() => vendorOptions({ GENERIC_FIELD_MAP: '{"callid":"x"}' })).toThrow(
      /GENERIC_FIELD_MAP: unknown key "callid"/,
    );
    expect(() => vendorOptions({ GENERIC_FIELD_MAP: 'nope' })).toThrow(ConfigError);
    expect(() => vendorOptions({ PHONE_DEFAULT_REGION: 'XX' })).toThrow(/PHONE_DEFAULT_REGION/);
    expect(vendorOptions({ CALL_TOUCHPOINTS_DATA_DIR: 'x' }).callTaskOwnerId).toBeNull();
    expect(vendorOptions({ CALL_TASK_OWNER_ID: '005000000000001AAA' }).callTaskOwnerId).toBe(
      '005000000000001AAA',
    );
    expect(() => vendorOptions({ CALL_TASK_OWNER_ID: '00Q000000000001' })).toThrow(
      /CALL_TASK_OWNER_ID must be a User id/,
    );
  });
});

describe('Task fields', () => {
  const call = callOf(parseCallRail(fixture('callrail-post-call.json'), opts));

  it('subject names the caller and the source; TaskSubtype and OwnerId only on create', () => {
    expect(taskSubject(call)).toBe('Call from +1 555 555 0123 (Google Ads)');
    const { create, update } = taskFields(call, {
      bizibleIdField: 'bizible2__BizibleId__c',
      ownerId: '005000000000001AAA',
    });
    expect(create).toMatchObject({
      TaskSubtype: 'Call',
      OwnerId: '005000000000001AAA',
      Vendor_Call_Id__c: 'callrail:CAL8154748ae6bd4e278a7cddd38a662f4f',
      bizible2__BizibleId__c: '0f8e2c4a6b1d4e3f9a7c5b3d1e2f4a6b',
      ActivityDate: '2026-03-10',
      CallType: 'Inbound',
      CallDisposition: 'answered',
    });
    expect(update).not.toHaveProperty('TaskSubtype');
    expect(update).not.toHaveProperty('OwnerId');
    expect(update.Description).toContain('Recording: https://app.callrail.com/calls/');
  });

  it('a call without visitor id does not touch the BizibleId field (never clears one)', () => {
    const { update } = taskFields({ ...call, visitorId: null }, { bizibleIdField: 'BizibleId__c' });
    expect(update).not.toHaveProperty('BizibleId__c');
  });
});
