import { ConfigError, loadConfig } from '../src/config';

/**
 * docs/configuration.md: each setting has a default, and a value that cannot be used stops the
 * command with a message naming the variable and the fix (never a secret's value). Messages of the
 * other settings are checked where the setting is used (trust-proxy, weak-secrets, daily-cap, …).
 */
describe('CALL_BATCH_WINDOW_MS', () => {
  test('defaults to 1000 ms; 0 to 1000 are taken as given', () => {
    expect(loadConfig({}).callBatchWindowMs).toBe(1000);
    expect(loadConfig({ CALL_BATCH_WINDOW_MS: '' }).callBatchWindowMs).toBe(1000);
    expect(loadConfig({ CALL_BATCH_WINDOW_MS: '0' }).callBatchWindowMs).toBe(0);
    expect(loadConfig({ CALL_BATCH_WINDOW_MS: ' 250 ' }).callBatchWindowMs).toBe(250);
    expect(loadConfig({ CALL_BATCH_WINDOW_MS: '1000' }).callBatchWindowMs).toBe(1000);
  });

  test.each(['1001', '-1', '0.5', 'soon', '1s'])(
    '%s is refused, naming the variable, the range and the default',
    (value) => {
      expect(() => loadConfig({ CALL_BATCH_WINDOW_MS: value })).toThrow(
        new ConfigError(
          `CALL_BATCH_WINDOW_MS must be a whole number of milliseconds from 0 to 1000 (got "${value}"); ` +
            '0 writes each call at once, 1000 (the default) collects calls for up to a second',
        ),
      );
    },
  );
});

describe('UNKNOWN_CALLER', () => {
  test('leave by default; create-lead in any case; anything else names both values', () => {
    expect(loadConfig({}).unknownCaller).toBe('leave');
    expect(loadConfig({ UNKNOWN_CALLER: ' Create-Lead ' }).unknownCaller).toBe('create-lead');
    expect(() => loadConfig({ UNKNOWN_CALLER: 'create' })).toThrow(
      new ConfigError(
        'UNKNOWN_CALLER must be "leave" (a call from an unknown number stays without WhoId) or "create-lead" ' +
          '(such a call creates one Lead per number), got "create"',
      ),
    );
  });
});

describe('loadConfig', () => {
  test('a blank variable means the default, as an unset one does', () => {
    const blank = loadConfig({
      PORT: ' ',
      TRUST_PROXY: '',
      TRACKING_BOT_FILTER: ' ',
      SQLITE_MAX_SIZE_MB: '',
    });
    expect(blank).toEqual(loadConfig({}));
    expect(blank.port).toBe(8080);
    expect(blank.storage.sqliteMaxBytes).toBeNull();
  });

  test('a bad value is a ConfigError (exit 2, a usage error) with our message, not zod’s', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toBe('PORT must be a whole number from 0 to 65535, got "70000"');
  });

  test('every weak secret is named at once, none with its value', () => {
    const env = { ADMIN_TOKEN: 'hunter2', CTM_WEBHOOK_SECRET: 'abcabcabcabcabcabcabc' };
    expect(() => loadConfig(env)).toThrow(
      new ConfigError(
        'ADMIN_TOKEN is too short (7 characters): it must be at least 32 characters; generate one with `openssl rand -base64 32`\n' +
          "CTM_WEBHOOK_SECRET is too predictable (fewer than 8 different characters); copy the vendor's key exactly as its settings page shows it",
      ),
    );
  });

  test('field maps name the variable and the key at fault', () => {
    expect(() => loadConfig({ DIALOGTECH_FIELD_MAP: '{"callId":""}' })).toThrow(
      'DIALOGTECH_FIELD_MAP: "callId" must name a parameter',
    );
    expect(() => loadConfig({ GENERIC_FIELD_MAP: '["callId"]' })).toThrow(
      'GENERIC_FIELD_MAP must be a JSON object mapping our field names to your parameter names',
    );
    expect(() => loadConfig({ GENERIC_FIELD_MAP: '{"toString":"x"}' })).toThrow(
      /^GENERIC_FIELD_MAP: unknown key "toString"; known keys: callId, /,
    );
  });
});

describe('OPPORTUNITY_MAPPING and OPPORTUNITY_POLL_SECONDS', () => {
  it('reads the three mappings (account by default) and the poll interval (300 s by default)', () => {
    expect(loadConfig({}).opportunityMapping).toBe('account');
    expect(loadConfig({ OPPORTUNITY_MAPPING: 'Contact-Roles' }).opportunityMapping).toBe('contact-roles');
    expect(loadConfig({ OPPORTUNITY_MAPPING: 'primary-contact-role' }).opportunityMapping).toBe(
      'primary-contact-role',
    );
    expect(loadConfig({}).opportunityPollSeconds).toBe(300);
    expect(loadConfig({ OPPORTUNITY_POLL_SECONDS: '60' }).opportunityPollSeconds).toBe(60);
  });

  it('names the setting, the value and the choices when it cannot be used', () => {
    expect(() => loadConfig({ OPPORTUNITY_MAPPING: 'accounts' })).toThrow(
      'OPPORTUNITY_MAPPING must be account, contact-roles, primary-contact-role (got "accounts")',
    );
    expect(() => loadConfig({ OPPORTUNITY_POLL_SECONDS: '0' })).toThrow(
      'OPPORTUNITY_POLL_SECONDS must be a whole number of seconds from 1 to 86400 (got "0")',
    );
  });
});
