import type { Command } from 'commander';
import { UserError } from '../../user-error';
import { reportingErrors } from '../errors';
import { loadConfig } from '../../config';
import { createLogger } from '../../log';
import { deploy, hasOrgConfig, SF_ENV_HELP } from '../../salesforce';
import { openOrg } from '../../server/runtime';

/**
 * `deploy [--check] [--target-org ALIAS]`: the Activity fields (BizibleId__c first), the custom
 * objects and the integration permission set, from force-app/ through the Metadata API; then, as its
 * own step, change-events/ (Task's Change Data Capture selection and the View All Data permission set),
 * whose refusal — no selection left — is reported while the rest stays deployed.
 */
export function register(program: Command): void {
  program
    .command('deploy')
    .description(
      'Create or update the BizibleId and call fields on Task/Event, the Web Session and Touchpoint objects ' +
        'and the integration permission set in the org, from force-app/ (Metadata API). Safe to re-run.',
    )
    .option('--check', 'only report what is missing or different; exit 1 if anything is')
    .option(
      '--target-org <alias>',
      'use an org the Salesforce CLI (sf) is logged in to instead of SF_* variables',
    )
    .action(
      reportingErrors('deploy', async (opts: { check?: boolean; targetOrg?: string }) => {
        const config = loadConfig();
        if (!hasOrgConfig(config, opts.targetOrg)) throw new UserError(SF_ENV_HELP);
        const logger = createLogger({ name: 'deploy', level: process.env.LOG_LEVEL ?? 'warn' });
        const { org, gateway } = await openOrg(config, {
          targetOrg: opts.targetOrg,
          logger,
          purpose: 'deploy',
        });
        process.stdout.write(`${opts.check ? 'Checking' : 'Deploying to'} ${org.describe()}\n`);
        const result = await deploy(gateway, {
          check: opts.check,
          bizibleIdField: config.bizibleIdField,
          print: (line) => process.stdout.write(line + '\n'),
        });
        const changed = result.components.filter((c) => c.status !== 'up to date' && c.status !== 'skipped');
        if (!opts.check && !result.changeEvents.deployed)
          process.stdout.write(
            `Change events not deployed: ${result.changeEvents.problem ?? 'no detail'}\n` +
              'Everything else is deployed. Without a Change Data Capture selection for Task, serve polls for ' +
              'Tasks every 60 s; free a selection (Setup > Change Data Capture) and run `call-touchpoints deploy` again.\n',
          );
        if (result.upToDate) {
          process.stdout.write(
            `Up to date: the org matches force-app/ (${result.metadataRequests} Metadata API requests).\n`,
          );
        } else if (opts.check) {
          process.stdout.write(
            `${changed.length} component(s) missing or different: run \`call-touchpoints deploy\`.\n`,
          );
          process.exitCode = 1;
        } else {
          process.stdout.write(
            `Deployed ${changed.length} component(s) (${result.metadataRequests} Metadata API requests).\n`,
          );
        }
      }),
    );
}
