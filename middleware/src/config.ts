import { callSettings, type CallSettings } from './calls/config';
import { channelSheetSettings, type ChannelSheetSettings } from './channel-sheet-file';
import { readSettings } from './env-setting';
import {
  bizibleIdSettings,
  salesforceSettings,
  type BizibleIdSettings,
  type SalesforceSettings,
} from './salesforce/config';
import { opportunitySettings, type OpportunitySettings } from './join/config';
import { secretSettings, type SecretSettings } from './secrets';
import { serverSettings, type ServerSettings } from './server/config';
import { storeSettings, type StoreSettings } from './store/config';
import { trackingSettings, type TrackingSettings } from './tracking/config';
import { vendorSettings, type VendorSettings } from './vendors/config';

export { ConfigError } from './env-setting';

/**
 * Configuration from the environment. Names are a contract (docs/configuration.md): docs, tests,
 * deployments and scripts rely on them. Each module declares and checks its own settings with zod
 * (its config.ts; env-setting.ts holds the building blocks); this is their sum.
 */
export interface Config
  extends
    ServerSettings,
    SecretSettings,
    StoreSettings,
    BizibleIdSettings,
    ChannelSheetSettings,
    TrackingSettings,
    SalesforceSettings,
    VendorSettings,
    CallSettings,
    OpportunitySettings {}

/** Every setting from `env`; the first unusable one stops it with a ConfigError (weak secrets: all at once). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    ...readSettings(serverSettings, env),
    ...readSettings(secretSettings, env),
    ...readSettings(storeSettings, env),
    ...readSettings(bizibleIdSettings, env),
    ...readSettings(channelSheetSettings, env),
    ...readSettings(trackingSettings, env),
    ...readSettings(salesforceSettings, env),
    ...readSettings(vendorSettings, env),
    ...readSettings(callSettings, env),
    ...readSettings(opportunitySettings, env),
  };
}
