/**
 * Which fields the permission sets grant, and how. One rule for every field, so a new field needs no
 * permission-set edit: the generator writes the grants (scripts/model/permission-sets.ts) and the
 * metadata validation checks them (scripts/validate-metadata.ts) with this same rule.
 *
 * - Both permission sets grant every field; the integration user (the middleware) reads and edits,
 *   the viewer (sales reps, marketers) only reads.
 * - A required field and a master-detail field get no entry: the org always grants them, and a
 *   deploy that names one in fieldPermissions fails ("You cannot deploy to a required field";
 *   Metadata API Developer Guide, PermissionSet, fieldPermissions:
 *   https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm).
 * - A formula field or auto number is never editable: the org computes it.
 */

export const PERMISSION_SETS = {
  integration: 'Call_Touchpoints_Integration',
  viewer: 'Call_Touchpoints_Viewer',
} as const;

export type PermissionSetRole = keyof typeof PERMISSION_SETS;

export interface FieldAccessInput {
  type: string;
  required: boolean;
  formula?: boolean;
}

/** null: no fieldPermissions entry for this field. */
export function fieldAccess(
  field: FieldAccessInput,
  role: PermissionSetRole,
): { readable: true; editable: boolean } | null {
  if (field.required || field.type === 'MasterDetail') return null;
  const computed = field.formula === true || field.type === 'AutoNumber' || field.type === 'Summary';
  return { readable: true, editable: role === 'integration' && !computed };
}

/** Names of a field in a permission set: Activity fields are granted as Task.X and Event.X. */
export function permissionSetNames(object: string, field: string): string[] {
  return object === 'Activity' ? [`Task.${field}`, `Event.${field}`] : [`${object}.${field}`];
}

/**
 * Standard fields the integration user reads or writes (grep the SOQL and the records of
 * middleware/src: caller lookup and caller Leads, R18–R20; the Opportunity read, R13–R17; call Tasks).
 * Granted in the integration permission set only: the viewer (reps, marketers) sees standard fields
 * through their own profiles. Salesforce takes field permissions only for fields that have field-level
 * security: FieldPermissions.Field is a restricted picklist of those fields (Object Reference,
 * "FieldPermissions"; the example there is `Contact.AccountId`), and describe says which ones
 * (`permissionable`, SOAP API Developer Guide, "DescribeSObjectResult", Field). Not granted, so:
 * - required fields — Lead.LastName, Lead.Company, Lead.Status, Contact.LastName, Opportunity.StageName,
 *   Opportunity.CloseDate, Opportunity.Name, Task.Status, Task.Priority: "You cannot deploy to a required
 *   field" (Metadata API Developer Guide, PermissionSet); the org grants them with the object;
 * - system and derived fields without field-level security — Id, CreatedDate, SystemModstamp,
 *   LastModifiedDate, OwnerId, IsDeleted, Lead.IsConverted, Lead.ConvertedContactId,
 *   Opportunity.IsClosed, Opportunity.IsWon, Task.TaskSubtype, OpportunityContactRole.ContactId and
 *   IsPrimary: readable by whoever reads the object;
 * - Lead.FirstName, Task.Subject and Task.WhoId, which we write or read too: Salesforce's documentation
 *   does not say they take field permissions, and naming one that does not fails the whole deploy. Their
 *   access comes with the integration user's profile (docs/salesforce.md, "Field-level security").
 * Task fields are named Task.X (as Activity custom fields, permissionSetNames).
 */
export const STANDARD_FIELD_GRANTS: readonly { field: string; editable: boolean }[] = [
  // Caller lookup (R19) reads them; a caller Lead (R18) is created with Phone and LeadSource.
  { field: 'Lead.Phone', editable: true },
  { field: 'Lead.MobilePhone', editable: false },
  { field: 'Lead.Email', editable: false },
  { field: 'Lead.LeadSource', editable: true },
  { field: 'Contact.Phone', editable: false },
  { field: 'Contact.MobilePhone', editable: false },
  { field: 'Contact.Email', editable: false },
  // The Opportunity read (R13): the Account's Contacts, the Opportunity's Account and Amount (R17).
  { field: 'Contact.AccountId', editable: false },
  { field: 'Opportunity.AccountId', editable: false },
  { field: 'Opportunity.Amount', editable: false },
  // Call Tasks: the join reads them, the calls pipeline writes them (calls/task-fields.ts).
  { field: 'Task.Type', editable: true },
  { field: 'Task.CallType', editable: true },
  { field: 'Task.CallDurationInSeconds', editable: true },
  { field: 'Task.CallObject', editable: true },
  { field: 'Task.CallDisposition', editable: true },
  { field: 'Task.Description', editable: true },
  { field: 'Task.ActivityDate', editable: true },
];

/** The standard-field grants of a permission set (field-access above): the integration set's only. */
export function standardFieldGrants(
  role: PermissionSetRole,
): readonly { field: string; editable: boolean }[] {
  return role === 'integration' ? STANDARD_FIELD_GRANTS : [];
}
