/**
 * What Salesforce derives on Opportunity and OpportunityContactRole when they are saved, and who may set
 * the audit fields on create. Cited from the Object Reference for the Salesforce Platform and the SOAP API
 * Developer Guide; where unsure the local org is stricter than an org.
 */
import type { Rec } from './soql';

/**
 * Opportunity.IsClosed and IsWon: "Directly controlled by StageName. You can query and filter on this field,
 * but you can't directly set it" (Object Reference, Opportunity). A new org's stages: Closed Won is closed
 * and won, Closed Lost closed and not won, every other stage open (Setup, Opportunity Stages).
 */
export const CLOSED_STAGES: Record<string, { isWon: boolean }> = {
  'Closed Won': { isWon: true },
  'Closed Lost': { isWon: false },
};

export function deriveOpportunityState(rec: Rec): void {
  const closed = CLOSED_STAGES[String(rec.StageName ?? '')];
  rec.IsClosed = closed !== undefined;
  rec.IsWon = closed?.isWon ?? false;
}

/**
 * Audit fields a create may set: "CreatedDate, CreatedById, LastModifiedDate, LastModifiedById ... can be set
 * on create only, by a user with the Set Audit Fields upon Record Creation permission" (SOAP API Developer
 * Guide, System Fields, and Salesforce Help, "Enable Create Audit Fields"). We accept the two dates (the
 * ids stay the caller's), never on update; everyone else gets the standard INVALID_FIELD_FOR_INSERT_UPDATE.
 * `PermissionSet.PermissionsCreateAuditFields` (userPermissions CreateAuditFields) is that permission's API
 * name; who holds it: permissions.ts.
 */
export const SETTABLE_AUDIT_FIELDS = new Set(['CreatedDate', 'LastModifiedDate']);

/**
 * OpportunityContactRole.IsPrimary: "Each opportunity has only one primary contact role" (Object Reference,
 * OpportunityContactRole): marking one primary clears the flag on the Opportunity's other roles.
 */
export function otherPrimaryRoles(roles: Rec[], saved: Rec): Rec[] {
  if (saved.IsPrimary !== true) return [];
  return roles.filter(
    (r) =>
      r.Id !== saved.Id && !r.IsDeleted && r.OpportunityId === saved.OpportunityId && r.IsPrimary === true,
  );
}
