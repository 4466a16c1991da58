import type { ObjectSpec } from './fields';
import { fieldAccess, permissionSetNames, standardFieldGrants, type PermissionSetRole } from './field-access';
import { replaceRun } from './xml-splice';

/** force-app path of a permission set's source file. */
export const permissionSetFile = (name: string): string =>
  `force-app/main/default/permissionsets/${name}.permissionset-meta.xml`;

/** The permission set with its `<fieldPermissions>` rewritten from the data model (field-access.ts). */
export function withFieldPermissions(
  xml: string,
  role: PermissionSetRole,
  objects: ObjectSpec[],
  file: string,
): string {
  const grants: { field: string; editable: boolean }[] = [];
  for (const o of objects) {
    for (const f of o.fields) {
      const access = fieldAccess(f, role);
      if (!access) continue;
      for (const field of permissionSetNames(o.name, f.name))
        grants.push({ field, editable: access.editable });
    }
  }
  grants.push(...standardFieldGrants(role));
  // Sorted as the Metadata API retrieves them (byte order), so a retrieve from the org gives no diff.
  grants.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const block = grants
    .map(
      (g) =>
        '  <fieldPermissions>\n' +
        `    <editable>${g.editable}</editable>\n` +
        `    <field>${g.field}</field>\n` +
        '    <readable>true</readable>\n' +
        '  </fieldPermissions>\n',
    )
    .join('');
  return replaceRun(xml, 'fieldPermissions', block, file);
}
