/**
 * The Metadata API's documented length and format limits for the label, field and tab components
 * Call Touchpoints ships, and the permission-set rule for required fields. Pure: parsed metadata in,
 * Salesforce's message text out. Used by the local org's deploy (deployValidation.ts) and by the
 * project's offline check (scripts/validate-metadata.ts), so both fail where a real deploy fails.
 *
 * Messages: "Value too long for field: <Field> maximum length is:<N>" is the text a real deploy gives
 * for an over-long value (e.g. a label's shortDescription: "Value too long for field: MasterLabel
 * maximum length is:80"); "Required field is missing: <element>" for a missing required element; the
 * developer-name rule's sentence as Setup and the Metadata API give it.
 */
import { asArray, type FieldDef, type Metadata } from './schema';

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Salesforce's message for a value longer than the field it is stored in. */
export function tooLong(field: string, max: number): string {
  return `Value too long for field: ${field} maximum length is:${max}`;
}

export const requiredMissing = (element: string): string => `Required field is missing: ${element}`;

/**
 * API names (custom labels, custom fields without `__c`): letters, digits and single underscores, a
 * letter first, no trailing underscore (Metadata API Developer Guide, "Metadata": fullName; Salesforce
 * Help, "Custom Field Attributes": Field Name).
 */
export const DEVELOPER_NAME_RULE =
  'The name can only contain underscores and alphanumeric characters. It must be unique, begin with a ' +
  'letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

export function isDeveloperName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(name);
}

/**
 * CustomLabel (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_customlabels.htm):
 * fullName, language, protected, shortDescription and value are required; value is up to 1,000
 * characters, categories up to 255. shortDescription is stored as the label's MasterLabel, 80
 * characters (Tooling API ExternalString.MasterLabel; a longer one fails the whole deploy with
 * "Value too long for field: MasterLabel maximum length is:80"); the name (ExternalString.Name) 80.
 */
export const LABEL_LIMITS = { name: 80, shortDescription: 80, value: 1000, categories: 255 } as const;

/** Problems of one CustomLabel (an entry of CustomLabels.labels). */
export function customLabelLimitProblems(label: Metadata): string[] {
  const out: string[] = [];
  const name = text(label.fullName);
  if (!name) return [requiredMissing('fullName')];
  if (!isDeveloperName(name)) out.push(DEVELOPER_NAME_RULE);
  if (name.length > LABEL_LIMITS.name) out.push(tooLong('Name', LABEL_LIMITS.name));
  for (const element of ['language', 'protected', 'shortDescription', 'value'])
    if (!text(label[element])) out.push(requiredMissing(element));
  if (text(label.shortDescription).length > LABEL_LIMITS.shortDescription)
    out.push(tooLong('MasterLabel', LABEL_LIMITS.shortDescription));
  if (text(label.value).length > LABEL_LIMITS.value) out.push(tooLong('Value', LABEL_LIMITS.value));
  if (text(label.categories).length > LABEL_LIMITS.categories)
    out.push(tooLong('Category', LABEL_LIMITS.categories));
  return out;
}

/**
 * CustomField (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm,
 * with Salesforce Help "Custom Field Attributes"): the name without `__c` is up to 40 characters under
 * the developer-name rule, label up to 40, description up to 1,000, inlineHelpText up to 510, a
 * picklist value's fullName and label up to 255 each.
 */
export const FIELD_LIMITS = {
  name: 40,
  label: 40,
  description: 1000,
  inlineHelpText: 510,
  picklistValue: 255,
} as const;

/** Length and name problems of one CustomField (fullName `Field__c` or `Object.Field__c`). */
export function customFieldLimitProblems(field: Metadata): string[] {
  const out: string[] = [];
  const fullName = text(field.fullName);
  const name = (fullName.split('.').pop() ?? '').replace(/__c$/, '');
  if (name && !isDeveloperName(name)) out.push(DEVELOPER_NAME_RULE);
  if (name.length > FIELD_LIMITS.name) out.push(tooLong('DeveloperName', FIELD_LIMITS.name));
  if (text(field.label).length > FIELD_LIMITS.label) out.push(tooLong('MasterLabel', FIELD_LIMITS.label));
  if (text(field.description).length > FIELD_LIMITS.description)
    out.push(tooLong('Description', FIELD_LIMITS.description));
  if (text(field.inlineHelpText).length > FIELD_LIMITS.inlineHelpText)
    out.push(tooLong('InlineHelpText', FIELD_LIMITS.inlineHelpText));
  const definition = ((field.valueSet as Metadata | undefined)?.valueSetDefinition ?? {}) as Metadata;
  for (const v of asArray(definition.value as Metadata[])) {
    if (text(v.fullName).length > FIELD_LIMITS.picklistValue)
      out.push(tooLong('Picklist value', FIELD_LIMITS.picklistValue));
    if (text(v.label).length > FIELD_LIMITS.picklistValue)
      out.push(tooLong('Picklist label', FIELD_LIMITS.picklistValue));
  }
  return out;
}

/**
 * The tab styles Salesforce offers (Setup → Tabs → Tab Style; CustomTab.motif, "The tab style for the
 * color scheme and icon for the custom tab. For example, 'Custom70: Handsaw' is the Handsaw icon."
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_tab.htm). A motif
 * names one of these exactly; the list is in number order, Custom1 to Custom100.
 */
// prettier-ignore
export const TAB_MOTIFS: ReadonlySet<string> = new Set(
  [
    'Heart', 'Fan', 'Sun', 'Hexagon', 'Leaf', 'Triangle', 'Square', 'Diamond', 'Lightning', 'Moon',
    'Star', 'Circle', 'Box', 'Hands', 'People', 'Bank', 'Sack', 'Form', 'Wrench', 'Airplane',
    'Computer', 'Telephone', 'Envelope', 'Building', 'Alarm clock', 'Flag', 'Laptop', 'Cell phone', 'PDA', 'Radar dish',
    'Car', 'Factory', 'Desk', 'Insect', 'Microphone', 'Train', 'Bridge', 'Camera', 'Telescope', 'Credit card',
    'Cash', 'Treasure chest', 'Jewel', 'Hammer', 'Ticket', 'Stamp', 'Knight', 'Trophy', 'CD/DVD', 'Big top',
    'Apple', 'Balls', 'Bell', 'Boat', 'Books', 'Bottle', 'Building Block', 'Caduceus', 'Can', 'Umbrella',
    'Castle', 'Chalkboard', 'Chip', 'Compass', 'Cup', 'Dice', 'Gears', 'Globe', 'Guitar', 'Handsaw',
    'Headset', 'Helicopter', 'Highway Sign', 'Hot Air Balloon', 'IP Phone', 'Keys', 'Locked', 'Map', 'Measuring Tape', 'Motorcycle',
    'Musical Note', 'Whistle', 'Pencil', 'Presenter', 'Real Estate Sign', 'Red Cross', 'Safe', 'Sailboat', 'Saxophone', 'Scales',
    'Shield', 'Ship', 'Shopping Cart', 'Stethoscope', 'Stopwatch', 'Street Sign', 'Thermometer', 'Truck', 'TV CRT', 'TV Widescreen',
  ].map((name, i) => `Custom${i + 1}: ${name}`),
);

/** CustomTab: a custom object tab needs a motif from TAB_MOTIFS; description up to 1,000 characters. */
export function customTabLimitProblems(tab: Metadata): string[] {
  const out: string[] = [];
  const motif = text(tab.motif);
  if (!motif && text(tab.customObject) === 'true') out.push(requiredMissing('motif'));
  else if (motif && !TAB_MOTIFS.has(motif))
    out.push(`Invalid motif: ${motif} (a tab style such as Custom22: Telephone)`);
  if (text(tab.description).length > 1000) out.push(tooLong('Description', 1000));
  return out;
}

/**
 * A permission set may not name a required field: required fields are always readable and editable,
 * and a deploy that grants one fails with "You cannot deploy to a required field: Object.Field"
 * (Metadata API Developer Guide, PermissionSet: fieldPermissions "can't be set for required fields";
 * Salesforce Help, "Field-Level Security"). isRequired answers for `Object.Field__c` as the
 * permission set spells it (Task.X / Event.X for Activity fields).
 */
export function requiredFieldGrantProblems(
  permissionSet: Metadata,
  isRequired: (field: string) => boolean,
): { field: string; problem: string }[] {
  return asArray(permissionSet.fieldPermissions as Metadata[])
    .map((fp) => text(fp.field))
    .filter((field) => field && isRequired(field))
    .map((field) => ({ field, problem: `You cannot deploy to a required field: ${field}` }));
}

/**
 * Whether a field of the org's schema is required: a custom field deployed with `required` (stored
 * non-nillable; checkboxes are non-nillable without being required), or a standard field every create
 * must fill (Account.Name, Contact.LastName).
 */
export function isRequiredField(f: FieldDef | undefined): boolean {
  if (!f || f.nillable || f.type === 'boolean') return false;
  return f.custom || (f.createable && !f.defaultedOnCreate);
}
