import type { Metadata } from '../schema';

/**
 * PlatformEventChannelMember on the standard ChangeEvents channel selects an entity for Change Data
 * Capture: eventChannel "ChangeEvents", selectedEntity "<Entity>ChangeEvent" (custom objects:
 * "<Name>__ChangeEvent").
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_platformeventchannelmember.htm
 */
export const CHANGE_EVENTS_CHANNEL = 'ChangeEvents';

/** The entity a change event name stands for: TaskChangeEvent → Task, Foo__ChangeEvent → Foo__c. */
export function entityOfChangeEvent(selected: string): string | null {
  const custom = /^(\w+)__ChangeEvent$/.exec(selected);
  if (custom) return `${custom[1]}__c`;
  const standard = /^(\w+)ChangeEvent$/.exec(selected);
  return standard ? standard[1] : null;
}

/** Why a channel member cannot be saved, or null. */
export function channelMemberProblem(md: Metadata, objectExists: (name: string) => boolean): string | null {
  const channel = String(md.eventChannel ?? '');
  const selected = String(md.selectedEntity ?? '');
  if (!selected) return 'Must specify a selectedEntity (e.g. TaskChangeEvent)';
  if (channel !== CHANGE_EVENTS_CHANNEL)
    return `The local org supports only the standard ${CHANGE_EVENTS_CHANNEL} channel, got eventChannel '${channel}'`;
  const entity = entityOfChangeEvent(selected);
  if (!entity || !objectExists(entity))
    return `selectedEntity '${selected}' is not the change event of an object in this org`;
  return null;
}

/** True when the entity's change events are selected on the ChangeEvents channel. */
export function isSelectedForCdc(members: Metadata[], entity: string): boolean {
  return members.some(
    (m) =>
      String(m.eventChannel) === CHANGE_EVENTS_CHANNEL &&
      entityOfChangeEvent(String(m.selectedEntity ?? ''))?.toLowerCase() === entity.toLowerCase(),
  );
}
