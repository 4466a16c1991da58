/**
 * Duplicate rules a test configures (PUT /_local/duplicate-rules or org.setDuplicateRules()): a create of
 * the rule's object whose field matches a live record of one of `matchObjects` is blocked with
 * DUPLICATES_DETECTED and the DuplicateResult Salesforce reports — {allowSave, duplicateRule,
 * duplicateRuleEntityType, errorMessage, matchResults: [MatchResult {entityType, errors, matchEngine,
 * matchRecords: [MatchRecord {additionalInformation, fieldDiffs, matchConfidence, record}], rule, size,
 * success}]} (SOAP API Developer Guide: DuplicateResult, MatchResult, MatchRecord —
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_duplicateresult.htm,
 * .../sforce_api_objects_matchresult.htm, .../sforce_api_objects_matchrecord.htm). Only the "Block" action
 * on create is emulated (decided: the product must cope with the strictest setting).
 */
import type { OrgData } from './data';
import { SfError } from './errors';
import type { ObjectDef } from './schema';
import type { Rec } from './soql';

export interface DuplicateRule {
  /** Developer name of the duplicate rule (duplicateRule in the answer). */
  name: string;
  /** The object being created that the rule guards, e.g. Lead. */
  object: string;
  /** The compared field, Phone or Email. */
  field: 'Phone' | 'Email';
  /** Objects searched for a match (one MatchResult each), e.g. ['Lead', 'Contact']. */
  matchObjects: string[];
  /** Message shown to the user; Salesforce's default alert text when absent. */
  errorMessage?: string;
}

const DEFAULT_MESSAGE =
  "You're creating a duplicate record. We recommend you use an existing record instead.";

/** Phones compare by their digits (a US 10-digit number equals its +1 form), emails case-insensitively. */
function normalize(field: DuplicateRule['field'], v: unknown): string | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  if (field === 'Email') return v.trim().toLowerCase();
  const digits = v.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits || null;
}

export function parseDuplicateRules(body: unknown): DuplicateRule[] {
  const list = (body as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list)) throw new Error('body must be {"rules": [...]}');
  return list.map((r: Record<string, unknown>, i) => {
    const where = `rules[${i}]`;
    if (typeof r?.name !== 'string' || !r.name) throw new Error(`${where}.name must be a non-empty string`);
    if (typeof r.object !== 'string' || !r.object) throw new Error(`${where}.object must be an object name`);
    if (r.field !== 'Phone' && r.field !== 'Email')
      throw new Error(`${where}.field must be "Phone" or "Email"`);
    if (
      !Array.isArray(r.matchObjects) ||
      !r.matchObjects.length ||
      r.matchObjects.some((o) => typeof o !== 'string')
    )
      throw new Error(`${where}.matchObjects must be a non-empty list of object names`);
    if (r.errorMessage !== undefined && typeof r.errorMessage !== 'string')
      throw new Error(`${where}.errorMessage must be a string`);
    return {
      name: r.name,
      object: r.object,
      field: r.field,
      matchObjects: r.matchObjects as string[],
      ...(r.errorMessage ? { errorMessage: r.errorMessage as string } : {}),
    };
  });
}

/** Throws DUPLICATES_DETECTED when a rule on def blocks creating rec. */
export function checkDuplicates(
  rules: DuplicateRule[],
  data: OrgData,
  def: ObjectDef,
  rec: Rec,
  version: string,
): void {
  for (const rule of rules) {
    if (rule.object.toLowerCase() !== def.name.toLowerCase()) continue;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === rule.field.toLowerCase());
    const value = normalize(rule.field, key ? rec[key] : undefined);
    if (!value) continue;
    const matchResults = rule.matchObjects.flatMap((name) => {
      const target = data.object(name);
      if (!target) return [];
      const hits = data
        .scan(target.name)
        .filter((r) => !r.IsDeleted && normalize(rule.field, r[rule.field]) === value);
      if (!hits.length) return [];
      return [
        {
          entityType: target.name,
          errors: [],
          matchEngine: 'ExactMatchEngine',
          matchRecords: hits.map((r) => ({
            additionalInformation: [],
            fieldDiffs: [],
            matchConfidence: 100.0,
            record: {
              attributes: {
                type: target.name,
                url: `/services/data/v${version}/sobjects/${target.name}/${r.Id as string}`,
              },
              Id: r.Id as string,
            },
          })),
          rule: `${target.name}_${rule.field}_Match`,
          size: hits.length,
          success: true,
        },
      ];
    });
    if (!matchResults.length) continue;
    const errorMessage = rule.errorMessage ?? DEFAULT_MESSAGE;
    throw new SfError(400, 'DUPLICATES_DETECTED', errorMessage, [], {
      duplicateResult: {
        allowSave: false,
        duplicateRule: rule.name,
        duplicateRuleEntityType: def.name,
        errorMessage,
        matchResults,
      },
    });
  }
}
