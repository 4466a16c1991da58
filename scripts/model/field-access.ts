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
