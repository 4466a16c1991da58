import { describeBudget, RequestBudget } from '../../src/salesforce/budget';
import { classifyError, isOrgUnavailable } from '../../src/salesforce/error-class';

const HOUR = 3_600_000;

describe('the daily request budget', () => {
  it('without a setting takes 10% of the org limit once a response told it, and defers from 90% of it', () => {
    let now = 0;
    const b = new RequestBudget({ now: () => now });
    expect(b.status()).toMatchObject({ cap: null, state: 'ok', deferring: false });
    b.answered({ used: 50, limit: 15000 });
    b.spend(1349);
    expect(b.status()).toMatchObject({ cap: 1500, state: 'ok', spent: 1349 });
    b.spend(1);
    expect(b.status()).toMatchObject({ state: 'near', deferring: true });
    b.spend(150);
    expect(b.status()).toMatchObject({ state: 'exhausted', deferring: true });
    // A rolling 24 hours: what was spent a day ago no longer counts.
    now += 25 * HOUR;
    expect(b.status()).toMatchObject({ spent: 0, state: 'ok' });
  });

  it('SF_DAILY_REQUEST_BUDGET wins over the share; the org running out defers even under our cap', () => {
    const b = new RequestBudget({ dailyRequests: 100 });
    b.answered({ used: 15000, limit: 15000 });
    expect(b.status()).toMatchObject({ cap: 100, capSource: 'SF_DAILY_REQUEST_BUDGET', state: 'near' });
    expect(describeBudget(b.status())).toContain('calls still go through');
  });

  it('REQUEST_LIMIT_EXCEEDED holds until the org answers again', () => {
    const b = new RequestBudget({ dailyRequests: 100 });
    b.refused();
    expect(b.status().state).toBe('limit-exceeded');
    b.answered(null);
    expect(b.status().state).toBe('ok');
  });
});

describe('one classification of Salesforce errors', () => {
  it.each([
    [{ errorCode: 'REQUEST_LIMIT_EXCEEDED' }, 'limit-exceeded', true],
    [{ errorCode: 'sf:INVALID_SESSION_ID' }, 'auth', true],
    [{ code: 'ECONNREFUSED' }, 'org-down', true],
    [{ cause: { code: 'UND_ERR_SOCKET' } }, 'org-down', true],
    [{ errorCode: 'ERROR_HTTP_503' }, 'org-down', true],
    [{ name: 'FetchError' }, 'org-down', true],
    [{ errorCode: 'UNABLE_TO_LOCK_ROW' }, 'retryable', false],
    [{ errorCode: 'INVALID_FIELD' }, 'record', false],
    [{ errorCode: 'DUPLICATE_VALUE' }, 'record', false],
  ])('%j is %s', (err, cls, unavailable) => {
    expect(classifyError(err)).toBe(cls);
    expect(isOrgUnavailable(err)).toBe(unavailable);
  });
});
