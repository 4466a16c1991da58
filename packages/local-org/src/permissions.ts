import type { OrgData } from './data';
import { asArray, type Metadata } from './schema';

/**
 * The session user's user permissions, as far as the local org enforces them: View All Data, which
 * Change Data Capture requires of a subscriber to /data/TaskChangeEvent (pubsub/server.ts).
 *
 * - The seeded admin (ADMIN_USERNAME, whose session `local-org` prints) is a System Administrator and
 *   holds every user permission, View All Data included, as an org's admin does.
 * - Any other user holds exactly what the permission sets assigned to it grant (PermissionSetAssignment):
 *   the deployed PermissionSet's `userPermissions` (enabled), or the PermissionSet record's
 *   `Permissions<Name>` checkbox (the sObject's form of the same permission, e.g.
 *   PermissionsCreateAuditFields). Its profile grants nothing — stricter than Salesforce's standard
 *   profiles, none of which grants View All Data except System Administrator.
 *
 * Names are the PermissionSet metadata type's userPermissions names (Metadata API Developer Guide,
 * PermissionSet), e.g. ViewAllData, CreateAuditFields. Used for View All Data (Change Data Capture,
 * pubsub/server.ts) and Set Audit Fields upon Record Creation (data.ts).
 */
export function hasUserPermission(data: OrgData, userId: string, permission: string): boolean {
  if (userId === data.adminUserId) return true;
  const now = Date.now();
  const setIds = new Set(
    data
      .scan('PermissionSetAssignment')
      .filter(
        (a) =>
          a.AssigneeId === userId &&
          !a.IsDeleted &&
          (a.ExpirationDate === null || a.ExpirationDate === undefined || Number(a.ExpirationDate) > now),
      )
      .map((a) => String(a.PermissionSetId)),
  );
  return data
    .scan('PermissionSet')
    .filter((ps) => setIds.has(String(ps.Id)) && !ps.IsDeleted)
    .some(
      (ps) =>
        ps[`Permissions${permission}`] === true ||
        asArray(data.readMetadata('PermissionSet', String(ps.Name))?.userPermissions as Metadata[]).some(
          (p) => String(p.name) === permission && String(p.enabled) === 'true',
        ),
    );
}
