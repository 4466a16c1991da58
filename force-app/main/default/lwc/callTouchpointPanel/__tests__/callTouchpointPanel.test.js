import CallTouchpointPanel from 'c/callTouchpointPanel';
import getPanel from '@salesforce/apex/CallTouchpointController.getPanel';
import { refreshApex } from '@salesforce/apex';
import { mockNavigateCalls } from 'lightning/navigation';
import { all, flushPromises, mount, text } from 'test/lwc';

const MERGED = require('./data/merged.json');
const STANDALONE = require('./data/standalone.json');
const MISSING_BIZIBLE_ID = require('./data/missingBizibleId.json');
const NO_ACCESS = require('./data/noAccess.json');
const PENDING = require('./data/pending.json');
const APEX_ERROR = require('./data/apexError.json');
const MISSING_BIZIBLE_ID_LINKED = require('./data/missingBizibleIdLinked.json');
const BOT_TRAFFIC_NOT_LINKED = require('./data/botTrafficNotLinked.json');

// The Apex method as a wire adapter the test drives (lwc-recipes convention).
jest.mock(
  '@salesforce/apex/CallTouchpointController.getPanel',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true },
);

// refreshApex asks the server again; here the "server" answers through the test wire adapter.
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

/** Each refreshApex call makes the server answer the next of these panels. */
function serverAnswers(...panels) {
  refreshApex.mockImplementation(() => {
    getPanel.emit(panels.length > 1 ? panels.shift() : panels[0]);
    return Promise.resolve();
  });
}

// sfdx-lwc-jest's navigation stub ignores Navigate calls; this one records them.
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const calls = [];
  const NavigationMixin = (Base) =>
    class extends Base {
      [Navigate](pageReference, replace) {
        calls.push({ pageReference, replace });
      }
      [GenerateUrl]() {
        return Promise.resolve('https://example.lightning.force.com/');
      }
    };
  NavigationMixin.Navigate = Navigate;
  NavigationMixin.GenerateUrl = GenerateUrl;
  return { NavigationMixin, mockNavigateCalls: calls };
});

const mountPanel = (recordId, objectApiName = 'Task') =>
  mount('c-call-touchpoint-panel', CallTouchpointPanel, { recordId, objectApiName });

describe('c-call-touchpoint-panel', () => {
  beforeEach(() => {
    mockNavigateCalls.length = 0;
  });

  it('a caller dropped as automated traffic: the next step does not blame the cookie capture', async () => {
    const element = mountPanel(STANDALONE.taskId);
    getPanel.emit({
      ...STANDALONE,
      joinDetail:
        'No web session: this BizibleId was seen on the website, but its page views were dropped as automated traffic (bot user agent). Testing with a headless browser? Set TRACKING_BOT_FILTER=off.',
    });
    await flushPromises();
    const next = text(element, '.ctp-standalone .ctp-next-step');
    expect(next).toContain('Nothing to fix at the call-tracking vendor');
    expect(next).toContain('TRACKING_BOT_FILTER=off');
    expect(next).not.toContain('_biz_uid');
  });

  it('a call outside the window of a session that was found: nothing to fix at the vendor, the cookie arrived', async () => {
    const element = mountPanel(STANDALONE.taskId);
    getPanel.emit({
      ...STANDALONE,
      joinDetail:
        'No web session in the 30-minute window: the nearest session (Paid Search, last activity 12:17 UTC) ended 48 min before the call at 13:05 UTC.',
    });
    await flushPromises();
    const next = text(element, '.ctp-standalone .ctp-next-step');
    expect(next).toMatch(/^Nothing to fix: the cookie arrived and the caller's web session was found/);
    expect(next).not.toContain('_biz_uid');
  });

  it("writes the middleware's UTC times in the user's format, as the rest of the panel", async () => {
    const element = mountPanel(STANDALONE.taskId);
    getPanel.emit({
      ...STANDALONE,
      joinDetail:
        'No web session in the 30-minute window: the nearest session (Paid Search, last activity 2026-03-09 23:50 UTC) ended 13 h 15 min before the call at 13:05 UTC.',
    });
    await flushPromises();
    // sfdx-lwc-jest's default user: en-US in America/Los_Angeles.
    expect(text(element, '.ctp-standalone-detail')).toBe(
      'No web session in the 30-minute window: the nearest session (Paid Search, last activity Mar 9, 2026, 4:50 PM PDT) ended 13 h 15 min before the call at 6:05 AM PDT.',
    );
  });

  it('shows a spinner while the panel loads and asks Apex for this Task', async () => {
    const element = mountPanel(MERGED.taskId);
    await flushPromises();

    const spinner = all(element, 'lightning-spinner')[0];
    expect(spinner).not.toBeNull();
    expect(spinner.alternativeText).toBe('Loading the call touchpoint…');
    expect(getPanel.getLastConfig()).toEqual({ taskId: MERGED.taskId });
    expect(element.shadowRoot.querySelector('c-call-touchpoint-header')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a merged call through its children: header, attribution, timeline, session', async () => {
    const element = mountPanel(MERGED.taskId);
    getPanel.emit(MERGED);
    await flushPromises();

    expect(all(element, 'lightning-spinner')).toEqual([]);
    const child = (name) => element.shadowRoot.querySelector(`c-call-touchpoint-${name}`);
    expect(child('header').panel).toEqual(MERGED);
    expect(child('attribution').touchpoint).toEqual(MERGED.touchpoint);
    // Who the call is linked to and why (Call_Join_Reason__c, R23).
    expect(child('attribution').personName).toBe('Jane Doe');
    expect(child('attribution').personType).toBe('Contact');
    expect(child('attribution').reason).toBe('Joined to a web session');
    expect(child('timeline').session).toEqual(MERGED.session);
    expect(child('timeline').callTime).toBe(MERGED.callTime);
    expect(child('timeline').subject).toBe(MERGED.subject);
    expect(child('session').session).toEqual(MERGED.session);

    // What the rep reads, top to bottom.
    expect(text(element, '.ctp-summary')).toBe('Call from Paid Search · google / cpc · Spring Promo');
    expect(text(element, '.ctp-sentence')).toBe(
      "Paid Search touchpoint, campaign Spring Promo: the caller's web session landed on www.example.com/pricing 24 minutes before the call.",
    );
    expect(text(element, '.ctp-status')).toContain("Merged with the caller's web session");
    expect(all(element, 'lightning-badge').map((badge) => badge.label)).toEqual([
      'First Touch',
      'Lead Creation',
    ]);
    expect(all(element, '.ctp-percentages lightning-formatted-number').map((n) => n.value)).toEqual([
      1, 1, 1,
    ]);
    expect(all(element, '.ctp-timeline li').map((li) => li.dataset.step)).toEqual([
      'start',
      'activity',
      'call',
    ]);
    expect(text(element, '[data-field="source"]')).toBe('google');
    expect(element.shadowRoot.querySelector('.ctp-standalone')).toBeNull();

    await expect(element).toBeAccessible();
  });

  it('opens the Touchpoint and the Web Session records from the merged panel', async () => {
    const element = mountPanel(MERGED.taskId);
    getPanel.emit(MERGED);
    await flushPromises();

    const openTouchpoint = element.shadowRoot.querySelector('lightning-button[data-id="open-touchpoint"]');
    const openSession = element.shadowRoot.querySelector('lightning-button[data-id="open-session"]');
    expect(openTouchpoint.label).toBe('Open touchpoint');
    expect(openSession.label).toBe('Open web session');

    openTouchpoint.click();
    openSession.click();

    expect(mockNavigateCalls.map((call) => call.pageReference)).toEqual([
      {
        type: 'standard__recordPage',
        attributes: { recordId: 'a015g00001bKxT2AAK', objectApiName: 'Touchpoint__c', actionName: 'view' },
      },
      {
        type: 'standard__recordPage',
        attributes: { recordId: 'a025g00000Zr8WqAAJ', objectApiName: 'Web_Session__c', actionName: 'view' },
      },
    ]);
  });

  it('explains a standalone call (out of window) and what to do next, without a session', async () => {
    const element = mountPanel(STANDALONE.taskId);
    getPanel.emit(STANDALONE);
    await flushPromises();

    expect(text(element, '.ctp-summary')).toBe('Call from Other · CRM Activity');
    expect(text(element, '.ctp-status')).toContain('Standalone call: no web session in the window');
    expect(text(element, '.ctp-standalone-detail')).toBe(
      'No session in the window: the nearest session (Paid Search, last activity 5:17 AM PDT) closed 5:47 AM PDT, 18 min before the call.',
    );
    expect(text(element, '.ctp-standalone .ctp-next-step')).toContain('_biz_uid');
    expect(all(element, 'lightning-badge').map((badge) => badge.label)).toEqual(['Lead Creation']);
    expect(all(element, '.ctp-percentages lightning-formatted-number').map((n) => n.value)).toEqual([
      0, 1, 0.4,
    ]);

    expect(element.shadowRoot.querySelector('c-call-touchpoint-timeline')).toBeNull();
    expect(element.shadowRoot.querySelector('c-call-touchpoint-session')).toBeNull();
    expect(element.shadowRoot.querySelector('lightning-button[data-id="open-session"]')).toBeNull();
    element.shadowRoot.querySelector('lightning-button[data-id="open-touchpoint"]').click();
    expect(mockNavigateCalls[0].pageReference.attributes.recordId).toBe('a015g00001bKxT3AAK');

    await expect(element).toBeAccessible();
  });

  it('tells the rep why a call without BizibleId has no touchpoint', async () => {
    const element = mountPanel(MISSING_BIZIBLE_ID.taskId);
    getPanel.emit(MISSING_BIZIBLE_ID);
    await flushPromises();

    expect(all(element, '.state-message')[0].dataset.state).toBe('missingBizibleId');
    expect(text(element, '.state-title')).toBe('No visitor id on this call');
    expect(text(element, '.state-detail')).toBe(MISSING_BIZIBLE_ID.joinDetail);
    expect(text(element, '.state-next-step')).toBe(
      "Ask your admin to check that the call-tracking vendor captures the _biz_uid cookie from the website and writes it to the Task's BizibleId field.",
    );
    expect(element.shadowRoot.querySelector('c-call-touchpoint-header')).toBeNull();
    expect(element.shadowRoot.querySelector('lightning-button')).toBeNull();

    await expect(element).toBeAccessible();
  });

  it('a call without touchpoint the join ran on: under the message, the person it is linked to and why', async () => {
    const element = mountPanel(MISSING_BIZIBLE_ID_LINKED.taskId);
    getPanel.emit(MISSING_BIZIBLE_ID_LINKED);
    await flushPromises();

    expect(text(element, '.state-title')).toBe('No visitor id on this call');
    expect(text(element, '[data-id="person"]')).toBe('Maria Lindqvist (Contact)');
    expect(text(element, '[data-id="reason"]')).toBe('No BizibleId from the vendor');
    // The same child as under a touchpoint, and no touchpoint parts.
    expect(all(element, 'c-call-touchpoint-person')).toHaveLength(1);
    expect(element.shadowRoot.querySelector('c-call-touchpoint-attribution')).toBeNull();

    await expect(element).toBeAccessible();
  });

  it('a call linked to nobody says so, with the reason, beside what happened', async () => {
    const element = mountPanel(BOT_TRAFFIC_NOT_LINKED.taskId);
    getPanel.emit(BOT_TRAFFIC_NOT_LINKED);
    await flushPromises();

    expect(all(element, '.state-message')[0].dataset.state).toBe('noTouchpoint');
    expect(text(element, '.state-detail')).toContain('dropped as automated traffic');
    expect(text(element, '[data-id="person"]')).toBe('Not linked to anyone');
    expect(text(element, '[data-id="reason"]')).toBe('Visits dropped as bot traffic');

    await expect(element).toBeAccessible();
  });

  it('no person or reason while loading, while the join has not run, or for a rep without access', async () => {
    const element = mountPanel(PENDING.taskId);
    expect(all(element, 'lightning-spinner')).toHaveLength(1);
    expect(all(element, '.ctp-person')).toEqual([]);

    getPanel.emit(PENDING);
    await flushPromises();
    expect(text(element, '.state-title')).toBe('This call has not been matched yet');
    expect(all(element, '.ctp-person')).toEqual([]);

    // R3: the join ran and could not tell when the call started; the call stays pending, with its reason.
    getPanel.emit({ ...PENDING, joinReason: 'Call_Time_Unknown', joinReasonLabel: 'Call time unknown' });
    await flushPromises();
    expect(text(element, '[data-id="reason"]')).toBe('Call time unknown');

    getPanel.emit({
      ...NO_ACCESS,
      joinReason: 'No_BizibleId',
      joinReasonLabel: 'No BizibleId from the vendor',
    });
    await flushPromises();
    expect(all(element, '.ctp-person')).toEqual([]);
  });

  it('asks a rep without the viewer permission set to get it, without showing the technical error', async () => {
    const element = mountPanel(NO_ACCESS.taskId);
    getPanel.emit(NO_ACCESS);
    await flushPromises();

    expect(text(element, '.state-title')).toBe('You cannot see call touchpoints yet');
    expect(text(element, '.state-next-step')).toBe(
      'Ask your Salesforce admin to assign you the Call Touchpoints Viewer permission set.',
    );
    expect(element.shadowRoot.textContent).not.toContain('No such column');
    expect(text(element, '.state-message')).not.toContain('No such column');

    await expect(element).toBeAccessible();
  });

  it('shows a pending call with the default explanation when the middleware left no detail', async () => {
    const element = mountPanel(PENDING.taskId);
    getPanel.emit(PENDING);
    await flushPromises();

    expect(text(element, '.state-title')).toBe('This call has not been matched yet');
    expect(text(element, '.state-detail')).toBe(
      'Call Touchpoints matches new calls with web sessions within a few minutes.',
    );
  });

  it('shows an error state with the server message when the wire fails', async () => {
    const element = mountPanel(MERGED.taskId);
    getPanel.error(APEX_ERROR.body, APEX_ERROR.status, APEX_ERROR.statusText);
    await flushPromises();

    const alert = all(element, '[role="alert"]')[0];
    expect(alert).not.toBeNull();
    expect(text(element, '.state-error-title')).toBe('The call touchpoint could not be loaded.');
    expect(text(element, '.state-error-detail')).toBe(APEX_ERROR.body.message);
    expect(all(element, 'lightning-spinner')).toEqual([]);

    await expect(element).toBeAccessible();
  });

  it('shows a plain hint instead of loading forever outside a Task page', async () => {
    const element = mountPanel('0015g00000AbCdEAAV', 'Account');
    await flushPromises();

    expect(text(element, '.state-empty')).toBe(
      'Open a call Task to see which web session the caller came from.',
    );
    expect(all(element, 'lightning-spinner')).toEqual([]);
    await expect(element).toBeAccessible();
  });

  describe('freshness', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    const flush = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };

    it('refresh button asks the server again and shows the call once it is merged', async () => {
      const element = mountPanel(PENDING.taskId);
      getPanel.emit(PENDING);
      await flush();
      expect(text(element, '.state-title')).toBe('This call has not been matched yet');

      serverAnswers({ ...MERGED, taskId: PENDING.taskId });
      const button = all(element, 'lightning-button-icon.card-refresh')[0];
      expect(button.alternativeText).toBe('Refresh');
      button.click();
      await flush();

      expect(refreshApex).toHaveBeenCalledTimes(1);
      expect(text(element, '.ctp-summary')).toBe('Call from Paid Search · google / cpc · Spring Promo');
      expect(all(element, '.state-message')).toEqual([]);
    });

    it('while pending, refreshes every 5 seconds and shows the merge as soon as the server has it', async () => {
      const element = mountPanel(PENDING.taskId);
      getPanel.emit(PENDING);
      await flush();
      serverAnswers(PENDING, PENDING, { ...MERGED, taskId: PENDING.taskId });

      jest.advanceTimersByTime(4999);
      await flush();
      expect(refreshApex).not.toHaveBeenCalled();

      for (let i = 0; i < 3; i++) {
        jest.advanceTimersByTime(5000);
        await flush();
      }
      expect(refreshApex).toHaveBeenCalledTimes(3);
      expect(text(element, '.ctp-status')).toContain("Merged with the caller's web session");

      // Merged: no more polling.
      jest.advanceTimersByTime(60000);
      await flush();
      expect(refreshApex).toHaveBeenCalledTimes(3);
    });

    it('stops refreshing a call that stays pending after 2 minutes, and when the panel is removed', async () => {
      mountPanel(PENDING.taskId);
      getPanel.emit(PENDING);
      await flush();
      serverAnswers(PENDING);

      for (let i = 0; i < 40; i++) {
        jest.advanceTimersByTime(5000);
        await flush();
      }
      // 2 minutes at one request per 5 s: 24 refreshes, then none.
      expect(refreshApex).toHaveBeenCalledTimes(24);

      const other = mountPanel(PENDING.taskId);
      getPanel.emit(PENDING);
      await flush();
      refreshApex.mockClear();
      document.body.removeChild(other);
      jest.advanceTimersByTime(30000);
      await flush();
      expect(refreshApex).not.toHaveBeenCalled();
    });

    it('disables the refresh button outside a Task page', async () => {
      const element = mountPanel('0015g00000AbCdEAAV', 'Account');
      await flush();
      expect(all(element, 'lightning-button-icon.card-refresh')[0].disabled).toBe(true);
    });
  });
});
