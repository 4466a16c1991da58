import type { OutboxItem } from '../store/types';
import { formatInstant } from './format';
import { dataTable, html, type Html } from './html';

/**
 * The calls page's "Set aside" section: calls the org refused for their content and the pipeline
 * parked (calls/parking.ts), with the org's reason and how to send one again. Empty: nothing shown.
 */
export function parkedCallsSection(items: readonly OutboxItem[]): Html | string {
  if (items.length === 0) return '';
  return html`<section class="parked" aria-labelledby="parked-heading">
    <h2 id="parked-heading">Set aside: ${items.length} call(s) the org refused</h2>
    <p class="muted">
      These calls were tried several times and refused by Salesforce for their content. Fix the cause, then
      run <span class="mono">call-touchpoints outbox retry &lt;id&gt;</span> (or
      <span class="mono">outbox discard &lt;id&gt;</span>).
    </p>
    ${dataTable(
      'calls',
      ['Outbox id', 'Call', 'Received', 'Attempts', 'Reason'],
      items.map(
        (i) =>
          html`<td class="mono">${String(i.id)}</td>
            <td class="mono">${i.key}</td>
            <td>${formatInstant(new Date(i.createdAt).toISOString())}</td>
            <td>${String(i.attempts)}</td>
            <td>${(i.lastError ?? '').slice(0, 300)}</td>`,
      ),
    )}
  </section>`;
}
