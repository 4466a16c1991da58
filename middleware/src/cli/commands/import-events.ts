import fs from 'node:fs';
import { UserError } from '../../user-error';
import type { Command } from 'commander';
import { reportingErrors } from '../errors';
import { openConfiguredStore } from '../open-store';
import { EventLinesError, parseEventLines, type TrackedEvent } from '../../domain';
import { JoinLedger } from '../../join';

/**
 * `import-events FILE.ndjson`: loads tracked events (the same lines `simulate --events` reads)
 * into the store, where `join` finds the sessions. Until the tracking snippet feeds the store,
 * this is how sessions get there. Idempotent: events are stored by eventId (derived from the
 * content when a line has none), so importing a file twice adds nothing. The line format and its
 * checks are the domain's (parseEventLines), shared with simulate.
 */

const BATCH = 1000;

export function register(program: Command): void {
  program
    .command('import-events')
    .description(
      'Load tracked events from an NDJSON file (the lines `simulate --events` reads) into the store, so ' +
        '`join` finds their sessions. Re-importing the same file adds nothing.',
    )
    .argument('<file>', 'NDJSON: one {"type","visitorId","url","referrer","receivedAt",...} object per line')
    .action(
      reportingErrors('import-events', async (file: string) => {
        if (!fs.existsSync(file))
          throw new UserError(`${file}: no such file (give the path of an NDJSON events file)`);
        // Validate the whole file first: nothing half-imported.
        let events: TrackedEvent[];
        try {
          events = parseEventLines(fs.readFileSync(file, 'utf8'), file);
        } catch (err) {
          if (!(err instanceof EventLinesError)) throw err;
          throw new UserError(`${err.message}\nNothing imported.`);
        }
        const store = await openConfiguredStore();
        try {
          let inserted = 0;
          let duplicates = 0;
          const visitors = new Set<string>();
          for (let i = 0; i < events.length; i += BATCH) {
            const r = await store.appendEvents(events.slice(i, i + BATCH));
            inserted += r.inserted;
            duplicates += r.duplicates;
            for (const v of r.visitorsTouched) visitors.add(v);
          }
          process.stdout.write(
            `Imported ${inserted} event(s) into ${store.description} (${duplicates} already there), ${visitors.size} visitor(s) re-sessionized.\n`,
          );
          // R11: the watch join re-plans a visitor when its Tasks change, not when sessions arrive
          // from an import (serve only hears its own /collect). Local ledger reads, no API request.
          const ledger = new JoinLedger(store);
          let known = 0;
          for (const led of (await ledger.visitors([...visitors])).values()) if (led.tasks.length) known++;
          if (known)
            process.stdout.write(
              `${known} of these visitor(s) already have joined calls: run \`call-touchpoints join --once --full\` ` +
                'so their calls are re-planned with the new sessions (it writes only what changed).\n',
            );
        } finally {
          await store.close();
        }
      }),
    );
}
