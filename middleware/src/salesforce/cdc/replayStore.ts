import type { KeyValueState } from '../../store/types';

/** The last TaskChangeEvent replay id whose Tasks were joined, in the store's key/value state. */
const KEY = 'cdc.TaskChangeEvent.replayId';

export const replayStore = (store: KeyValueState) => ({
  async get(): Promise<bigint | null> {
    const v = await store.getState(KEY);
    return v && /^\d+$/.test(v) ? BigInt(v) : null;
  },
  async set(id: bigint | null): Promise<void> {
    await store.setState(KEY, id === null ? '' : id.toString());
  },
});
