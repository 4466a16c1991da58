import type { AppendResult, Store } from '../store/types';

/**
 * The store as the tracking router sees it: everything is forwarded unchanged, and after an
 * appendEvents that succeeded the visitors that got new events are reported — serve passes them to
 * the join, which re-plans those with calls (R11: a session that lands after its call was joined
 * still merges). A Proxy rather than a hand-written forwarder keeps it complete when the Store
 * interface grows; methods are bound to the real store (its private state).
 */
export function notifyingStore(store: Store, onAppended: (visitorIds: string[]) => void): Store {
  const appendEvents: Store['appendEvents'] = async (events) => {
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
