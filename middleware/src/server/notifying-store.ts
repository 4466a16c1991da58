import type { AppendResult, EventStore } from '../store/types';

/**
 * The store as the tracking router sees it: everything is forwarded unchanged, and after an
 * appendEvents that succeeded the visitors that got new events are reported — serve passes them to
 * the join, which re-plans those with calls (R11: a session that lands after its call was joined
 * still merges). A Proxy rather than a hand-written forwarder keeps it complete whatever else the
 * store offers; methods are bound to the real store (its private state).
 */
export function notifyingStore<S extends EventStore>(
  store: S,
  onAppended: (visitorIds: string[]) => void,
): S {
  const appendEvents: EventStore['appendEvents'] = async (events) => {
    const result: AppendResult = await store.appendEvents(events);
    // The events are stored and acknowledged either way: a listener's fault must not fail /collect.
    if (result.visitorsTouched.length) {
      try {
        onAppended(result.visitorsTouched);
      } catch {
        /* the next full join still covers these visitors */
      }
    }
    return result;
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'appendEvents') return appendEvents;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
