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

/**
 * Change Data Capture allocations: an org without the add-on license selects at most 5 entities for change
 * events, across its channels; more needs the add-on. Change Data Capture Developer Guide, "Change Data
 * Capture Allocations" (Default Change Event Allocations: "Maximum number of selected entities … 5") and
 * "Get the Number of Selected Entities" (counted on PlatformEventChannelMember):
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_allocations.htm
 */
export const CDC_SELECTED_ENTITY_ALLOCATION = 5;

/** The distinct entities the channel members select (lower case). */
function entitiesOf(members: Metadata[]): Set<string> {
  return new Set(
    members
      .map((m) => (entityOfChangeEvent(String(m.selectedEntity ?? '')) ?? '').toLowerCase())
      .filter(Boolean),
  );
}

/**
 * Why saving these members (replacing stored ones of the same fullName) would exceed the allocation, or
 * null. Only a new selection is refused: re-deploying an entity already selected uses no allocation.
 * Salesforce documents the allocation, not the message: the wording is the local org's.
 */
export function selectionAllocationProblem(stored: Metadata[], saving: Metadata[]): string | null {
  const names = new Set(saving.map((m) => String(m.fullName ?? '').toLowerCase()));
  const before = entitiesOf(stored);
  const after = entitiesOf([
    ...stored.filter((m) => !names.has(String(m.fullName ?? '').toLowerCase())),
    ...saving,
  ]);
  const added = [...after].filter((e) => !before.has(e));
  if (after.size <= CDC_SELECTED_ENTITY_ALLOCATION || added.length === 0) return null;
  return (
    `LIMIT_EXCEEDED: This org has already selected ${before.size} of its ${CDC_SELECTED_ENTITY_ALLOCATION} ` +
    `entities for Change Data Capture (Change Data Capture Allocations); selecting ${saving
      .map((m) => String(m.selectedEntity))
      .join(', ')} would make ${after.size}. Remove a selection in Setup > Change Data Capture, or add the ` +
    'Change Data Capture add-on license.'
  );
}
