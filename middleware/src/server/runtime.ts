import { loadChannelRules } from '../channel-sheet-file';
import type { Config } from '../config';
import type { ChannelRules } from '../domain/channels';
import type { Logger } from '../log';
import { connect, type OrgConnection } from '../salesforce/connection';
import { Gateway } from '../salesforce/gateway';
import type { Purpose } from '../salesforce/port';
import { createStore } from '../store';
import type { Store } from '../store/types';

/**
 * The runtime every long-lived command composes (issue 26): the org connection and its gateway (the
 * one door, salesforce/port.ts), the store, the channel rules (R12). serve, `join` and `deploy`
 * open theirs here, so the order and the options are the same everywhere.
 */

export interface OrgRuntime {
  org: OrgConnection;
  /** The org counted under `purpose` (other purposes through `gateway.for()`). */
  gateway: Gateway;
}

export interface OrgOptions {
  /** An org the Salesforce CLI is logged in to (`--target-org`), instead of SF_* variables. */
  targetOrg?: string;
  logger: Logger;
  /** Default 'join'. */
  purpose?: Purpose;
}

/** The org and its gateway, with the daily request budget of the configuration. */
export async function openOrg(config: Config, opts: OrgOptions): Promise<OrgRuntime> {
  const org = await connect(config, { targetOrg: opts.targetOrg, logger: opts.logger });
  const gateway = new Gateway(org, {
    logger: opts.logger,
    purpose: opts.purpose,
    dailyRequestBudget: config.dailyRequestBudget,
  });
  return { org, gateway };
}

export interface Runtime extends OrgRuntime {
  store: Store;
  rules: ChannelRules;
}

/**
 * Channel rules first (a bad sheet stops before any connection), then the org, then the store.
 * `channels`: a sheet given on the command line (`--channels`) instead of CHANNEL_RULES_FILE.
 */
export async function openRuntime(
  config: Config,
  opts: OrgOptions & { channels?: string },
): Promise<Runtime> {
  const rules = opts.channels
    ? loadChannelRules(opts.channels, '--channels')
    : loadChannelRules(config.channelRulesFile, 'CHANNEL_RULES_FILE');
  const { org, gateway } = await openOrg(config, opts);
  const store = await createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger: opts.logger,
  });
  return { org, gateway, store, rules };
}
