import type { Command } from 'commander';
import { reportingErrors } from '../errors';
import { maskPersonalData } from '../../log-mask';
import type { Store } from '../../store';
import { openConfiguredStore } from '../open-store';
import { UserError } from '../../user-error';
import { CALL_OUTBOX_KIND } from '../../vendors/normalized-call';

/**
 * `outbox list | retry <id> | discard <id>`: the calls the org refused for their content and the
 * pipeline set aside (calls/parking.ts, docs/operations.md "Parked calls"). Works on the store serve
 * uses (DATABASE_URL or the data dir), while serve runs: a retried call is due at once and the
 * running pipeline picks it up within its poll.
 */

const LIST_LIMIT = 1000;

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function outboxId(value: string): number {
  if (!/^\d{1,15}$/.test(value))
    throw new UserError(
      `"${value.slice(0, 40)}" is not an outbox id: give the number \`outbox list\` shows`,
      2,
    );
  return Number(value);
}

export function register(program: Command): void {
  const outbox = program
    .command('outbox')
    .description(
      'Calls set aside after the org refused them for their content (parked): list them, send one again ' +
        '(retry) once the cause is fixed, or drop it (discard).',
    );

  outbox
    .command('list')
    .description(
      'List parked calls: outbox id, vendor call id, attempts, when received, and the org’s reason.',
    )
    .option('--json', 'one JSON object per line instead of a table')
    .action(
      reportingErrors('outbox list', async (opts: { json?: boolean }) => {
        const items = await withStore((s) => s.parked(CALL_OUTBOX_KIND, LIST_LIMIT));
        if (opts.json) {
          for (const i of items)
            process.stdout.write(
              `${JSON.stringify({ id: i.id, key: i.key, attempts: i.attempts, receivedAt: new Date(i.createdAt).toISOString(), reason: i.lastError })}\n`,
            );
          return;
        }
        if (items.length === 0) {
          process.stdout.write('No parked calls.\n');
          return;
        }
        process.stdout.write(`${items.length} parked call(s):\n`);
        for (const i of items)
          process.stdout.write(
            `  ${i.id}  ${i.key}  ${i.attempts} attempt(s), received ${new Date(i.createdAt).toISOString()}\n` +
              `      ${maskPersonalData(i.lastError ?? 'no reason recorded').slice(0, 300)}\n`,
          );
        process.stdout.write(
          'Send one again: call-touchpoints outbox retry <id>; drop it: outbox discard <id>.\n',
        );
      }),
    );

  outbox
    .command('retry')
    .description('Make a parked call due again now (its attempts start over); a running serve writes it.')
    .argument('<id>', 'outbox id from `outbox list`')
    .action(
      reportingErrors('outbox retry', async (id: string) => {
        const n = outboxId(id);
        const done = await withStore((s) => s.unpark(n, Date.now()));
        if (!done)
          throw new UserError(`no parked call has outbox id ${n}: see \`call-touchpoints outbox list\``, 1);
        process.stdout.write(`Call ${n} is due again: serve writes it on its next pass.\n`);
      }),
    );

  outbox
    .command('discard')
    .description(
      'Delete a parked call from the outbox: it will never become a Task (the vendor is not told).',
    )
    .argument('<id>', 'outbox id from `outbox list`')
    .action(
      reportingErrors('outbox discard', async (id: string) => {
        const n = outboxId(id);
        const done = await withStore((s) => s.discardParked(n));
        if (!done)
          throw new UserError(`no parked call has outbox id ${n}: see \`call-touchpoints outbox list\``, 1);
        process.stdout.write(`Call ${n} discarded.\n`);
      }),
    );
}
