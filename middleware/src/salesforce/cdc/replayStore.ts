import type { KeyValueState } from '../../store/types';

/**
 * The last replay id of a change event topic whose changes were joined, in the store's key/value
 * state: `cdc.TaskChangeEvent.replayId` for Tasks, `cdc.<Entity>ChangeEvent.replayId` for the others.
 */
export const replayStore = (store: KeyValueState, event = 'TaskChangeEvent') => {
  const key = `cdc.${event}.replayId`;
  return {
    async get(): Promise<bigint | null> {
      const v = await store.getState(key);
      return v && /^\d+$/.test(v) ? BigInt(v) : null;
    },
    async set(id: bigint | null): Promise<void> {
      await store.setState(key, id === null ? '' : id.toString());
    },
  };
};
