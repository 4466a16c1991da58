import { DEFAULT_BIZIBLE_ID_FIELD } from '../domain';
import { SalesforceApiError } from './port';
import type { SalesforcePort } from './port';
import {
  readForceApp,
  type ForceAppSource,
  type Metadata,
  type MetadataValue,
  type SourceComponent,
} from './force-app-source';
import { UserError } from '../user-error';

/**
 * `call-touchpoints deploy`: brings the org's Activity fields, custom objects and the integration
 * permission set in line with force-app/ through the Metadata API (CRUD calls: upsertMetadata /
 * readMetadata). Compares before writing, so a second run writes nothing; reads back after writing
 * to verify; merges our field permissions into the permission set without dropping any it has.
 */

export const INTEGRATION_PERMISSION_SET = 'Call_Touchpoints_Integration';

export type ComponentStatus = 'created' | 'updated' | 'up to date' | 'missing' | 'different' | 'skipped';

export interface ComponentReport {
  type: string;
  fullName: string;
  status: ComponentStatus;
  detail?: string;
}

export interface DeployResult {
  components: ComponentReport[];
  /**
   * The change-events/ step (Task's CDC selection, then the View All Data permission set), after force-app:
   * deployed, or why not — force-app stays deployed either way and serve polls for Tasks.
   */
  changeEvents: { deployed: boolean; problem?: string };
  /** True when the org already matched force-app/ (deploy wrote nothing / check found nothing). */
  upToDate: boolean;
  metadataRequests: number;
}

export interface DeployOptions {
  check?: boolean;
  /** force-app/main/default; found automatically by default. */
  root?: string;
  /** R1: with a managed-package field (bizible2__BizibleId__c) our BizibleId__c is not deployed. */
  bizibleIdField?: string;
  print?: (line: string) => void;
}

export class DeployError extends UserError {}

const PERMISSION_HELP =
  'The Salesforce user cannot change metadata. Give it the "Customize Application" and "Modify Metadata ' +
  'Through Metadata API Functions" permissions (or "Modify All Data"), or deploy as an admin.';

function isPermissionProblem(code: string, message: string): boolean {
  return (
    /INSUFFICIENT_ACCESS|INSUFFICIENT_PRIVILEGES|API_DISABLED_FOR_ORG/.test(code) ||
    /ModifyAllData|Customize Application|insufficient access/i.test(message)
  );
}

// ---------------------------------------------------------------- comparison

function leaf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined;
  return String(v).replace(/\s+/g, ' ').trim();
}

/**
 * Where `actual` (as read from the org) differs from `desired` (as in force-app/). Only what we
 * declare is compared: the org may add defaults. An absent boolean counts as false.
 */
export function differences(desired: MetadataValue, actual: unknown, at = ''): string[] {
  if (typeof desired === 'string') {
    const a = leaf(actual);
    if (a === desired || (a === undefined && desired === 'false')) return [];
    return [
      `${at || 'value'}: ${a === undefined ? 'missing' : JSON.stringify(a)} → ${JSON.stringify(desired)}`,
    ];
  }
  if (Array.isArray(desired)) {
    const list = Array.isArray(actual) ? actual : actual === undefined || actual === null ? [] : [actual];
    if (list.length < desired.length) return [`${at}: ${list.length} entries → ${desired.length}`];
    return desired.flatMap((d, i) => differences(d, list[i], `${at}[${i}]`));
  }
  const obj = actual && typeof actual === 'object' ? (actual as Record<string, unknown>) : {};
  return Object.entries(desired).flatMap(([k, v]) => differences(v, obj[k], at ? `${at}.${k}` : k));
}

// ---------------------------------------------------------------- permission set merge

const FIELD_FLAGS = ['editable', 'readable'];
const OBJECT_FLAGS = [
  'allowCreate',
  'allowDelete',
  'allowEdit',
  'allowRead',
  'modifyAllRecords',
  'viewAllRecords',
];

function asList(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v as Record<string, unknown>[];
  return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
}

function mergeEntries(
  existing: Record<string, unknown>[],
  ours: Record<string, unknown>[],
  keyName: string,
  flags: string[],
): { merged: Record<string, unknown>[]; changes: string[] } {
  const merged = existing.map((e) => ({ ...e }));
  const changes: string[] = [];
  for (const o of ours) {
    const key = String(o[keyName]);
    const found = merged.find((e) => String(e[keyName]) === key);
    if (!found) {
      merged.push({ ...o });
      changes.push(`add ${key}`);
      continue;
    }
    for (const f of flags) {
      // Never take a right away: a flag already granted stays granted.
      if (leaf(o[f]) === 'true' && leaf(found[f]) !== 'true') {
        found[f] = 'true';
        changes.push(`${key}.${f}`);
      }
    }
  }
  return { merged, changes };
}

/**
 * The permission set after merging our field and object permissions into what the org has.
 * Tab settings are left out: the tabs are deployed with `sf project deploy`, not by this command.
 */
export function mergePermissionSet(
  ours: Metadata,
  existing: Record<string, unknown> | null,
  keepField: (field: string) => boolean,
): { merged: Record<string, unknown>; changes: string[] } {
  const ourFields = asList(ours.fieldPermissions).filter((p) => keepField(String(p.field)));
  const ourObjects = asList(ours.objectPermissions);
  const base: Record<string, unknown> = existing
    ? { ...existing }
    : {
        fullName: ours.fullName,
        label: ours.label,
        description: ours.description,
        hasActivationRequired: ours.hasActivationRequired,
      };
  const f = mergeEntries(asList(existing?.fieldPermissions), ourFields, 'field', FIELD_FLAGS);
  const o = mergeEntries(asList(existing?.objectPermissions), ourObjects, 'object', OBJECT_FLAGS);
  base.fieldPermissions = f.merged;
  base.objectPermissions = o.merged;
  const changes = [...(existing ? [] : ['create permission set']), ...f.changes, ...o.changes];
  return { merged: base, changes };
}

// ---------------------------------------------------------------- deploy

interface Step {
  label: string;
  type: SourceComponent['type'];
  components: SourceComponent[];
}

/** BizibleId__c first (vendors need it), then our objects and their fields, then the rest of Activity. */
export function deploySteps(
  source: ForceAppSource,
  bizibleIdField = DEFAULT_BIZIBLE_ID_FIELD,
): { steps: Step[]; skipped: SourceComponent[] } {
  const ownBizibleId = bizibleIdField === DEFAULT_BIZIBLE_ID_FIELD;
  const isBizibleId = (c: SourceComponent) => c.fullName === `Activity.${DEFAULT_BIZIBLE_ID_FIELD}`;
  const steps: Step[] = [];
  if (ownBizibleId)
    steps.push({
      label: 'BizibleId field',
      type: 'CustomField',
      components: source.activityFields.filter(isBizibleId),
    });
  steps.push({
    label: 'custom objects',
    type: 'CustomObject',
    components: source.objects.map((o) => o.object),
  });
  for (const o of source.objects)
    steps.push({ label: `${o.object.fullName} fields`, type: 'CustomField', components: o.fields });
  steps.push({
    label: 'Activity fields',
    type: 'CustomField',
    components: source.activityFields.filter((c) => !isBizibleId(c)),
  });
  // Task's Change Data Capture selection is not a step here: deployChangeEvents runs it after everything
  // else, so an org with no selection left keeps force-app (docs/salesforce.md).
  return { steps, skipped: ownBizibleId ? [] : source.activityFields.filter(isBizibleId) };
}

/** `Task.X__c` / `Event.X__c` in a permission set stand for `Activity.X__c` (packages/local-org/README.md). */
function permissionFieldSource(field: string): string {
  return field.replace(/^(Task|Event)\./, 'Activity.');
}

export async function deploy(gateway: SalesforcePort, opts: DeployOptions = {}): Promise<DeployResult> {
  const print = opts.print ?? (() => undefined);
  const source = readForceApp(opts.root);
  const { steps, skipped } = deploySteps(source, opts.bizibleIdField);
  const before = gateway.requestCount('metadata');
  const components: ComponentReport[] = [];
  const report = (r: ComponentReport) => {
    components.push(r);
    print(`  ${r.status.padEnd(10)} ${r.type} ${r.fullName}${r.detail ? ` — ${r.detail}` : ''}`);
  };
  for (const c of skipped) {
    report({
      type: c.type,
      fullName: c.fullName,
      status: 'skipped',
      detail: `the org's Task field is ${opts.bizibleIdField} (BIZIBLE_ID_FIELD)`,
    });
  }
  const skippedNames = new Set(skipped.map((c) => c.fullName));
  let changeEvents: DeployResult['changeEvents'] = { deployed: false };

  try {
    for (const step of steps) await deployStep(gateway, step, opts, report);
    await deployFieldSecurity(gateway, source, skippedNames, opts, report);
    changeEvents = await deployChangeEvents(gateway, source, opts, report);
  } catch (err) {
    if (err instanceof SalesforceApiError && isPermissionProblem(err.code, err.message))
      throw new DeployError(PERMISSION_HELP);
    throw err;
  }
  const upToDate = components.every((c) => c.status === 'up to date' || c.status === 'skipped');
  return { components, upToDate, changeEvents, metadataRequests: gateway.requestCount('metadata') - before };
}

/** One step's components: read back, compared, and (unless `check`) the different ones written. */
async function deployStep(
  gateway: SalesforcePort,
  step: Step,
  opts: DeployOptions,
  report: (r: ComponentReport) => void,
): Promise<void> {
  if (step.components.length === 0) return;
  opts.print?.(`${opts.check ? 'Checking' : 'Deploying'} ${step.label}`);
  const existing = await gateway.readMetadata(
    step.type,
    step.components.map((c) => c.fullName),
  );
  const todo: { c: SourceComponent; created: boolean; diff: string[] }[] = [];
  step.components.forEach((c, i) => {
    const diff = existing[i] ? differences(c.metadata, existing[i]) : ['missing'];
    if (diff.length === 0) report({ type: c.type, fullName: c.fullName, status: 'up to date' });
    else todo.push({ c, created: !existing[i], diff });
  });
  if (opts.check) {
    for (const t of todo) {
      report({
        type: t.c.type,
        fullName: t.c.fullName,
        status: t.created ? 'missing' : 'different',
        detail: t.created ? undefined : t.diff.slice(0, 3).join('; '),
      });
    }
    return;
  }
  if (todo.length === 0) return;
  await writeAndVerify(
    gateway,
    step.type,
    todo.map((t) => ({
      fullName: t.c.fullName,
      metadata: t.c.metadata as Record<string, unknown>,
      created: t.created,
    })),
    report,
  );
}

/**
 * The integration permission set's field-level security, merged into what the org holds (the
 * fields of skipped components left out).
 */
async function deployFieldSecurity(
  gateway: SalesforcePort,
  source: ForceAppSource,
  skippedNames: ReadonlySet<string>,
  opts: DeployOptions,
  report: (r: ComponentReport) => void,
): Promise<void> {
  for (const ps of source.permissionSets.filter((p) => p.fullName === INTEGRATION_PERMISSION_SET)) {
    opts.print?.(
      `${opts.check ? 'Checking' : 'Deploying'} field-level security (permission set ${ps.fullName})`,
    );
    const [existing] = await gateway.readMetadata<Record<string, unknown>>('PermissionSet', [ps.fullName]);
    const keep = (field: string) => !skippedNames.has(permissionFieldSource(field));
    const { merged, changes } = mergePermissionSet(ps.metadata, existing, keep);
    if (changes.length === 0) {
      report({ type: 'PermissionSet', fullName: ps.fullName, status: 'up to date' });
    } else if (opts.check) {
      report({
        type: 'PermissionSet',
        fullName: ps.fullName,
        status: existing ? 'different' : 'missing',
        detail: summarize(changes),
      });
    } else {
      await writeAndVerify(
        gateway,
        'PermissionSet',
        [{ fullName: ps.fullName, metadata: merged, created: !existing, detail: summarize(changes) }],
        report,
        (readBack) => mergePermissionSet(ps.metadata, readBack, keep).changes,
      );
    }
  }
}

/**
 * change-events/, its own step after force-app (as `sf project deploy start --source-dir change-events` in
 * the admin guide): the Task channel member first — it takes one of the org's 5 Change Data Capture entity
 * selections (CDC Developer Guide, "Change Data Capture Allocations") — then, only when Task is selected,
 * the View All Data permission set its subscriber needs. A refusal (no selection left) is reported, not
 * thrown: everything force-app holds is deployed already and serve polls for Tasks instead.
 */
async function deployChangeEvents(
  gateway: SalesforcePort,
  source: ForceAppSource,
  opts: DeployOptions,
  report: (r: ComponentReport) => void,
): Promise<DeployResult['changeEvents']> {
  const parts: Array<{ type: string; components: SourceComponent[] }> = [
    { type: 'PlatformEventChannelMember', components: source.channelMembers },
    { type: 'PermissionSet', components: source.changeEventPermissionSets },
  ];
  for (const part of parts) {
    if (part.components.length === 0) continue;
    (opts.print ?? (() => undefined))(
      `${opts.check ? 'Checking' : 'Deploying'} change-events/ (${part.type}: Task change events)`,
    );
    const existing = await gateway.readMetadata(
      part.type,
      part.components.map((c) => c.fullName),
    );
    const todo = part.components
      .map((c, i) => ({
        c,
        created: !existing[i],
        diff: existing[i] ? differences(c.metadata, existing[i]) : ['missing'],
      }))
      .filter(({ c, created, diff }) => {
        if (diff.length === 0) report({ type: c.type, fullName: c.fullName, status: 'up to date' });
        else if (opts.check)
          report({ type: c.type, fullName: c.fullName, status: created ? 'missing' : 'different' });
        return diff.length > 0;
      });
    if (opts.check || todo.length === 0) continue;
    try {
      await writeAndVerify(
        gateway,
        part.type,
        todo.map(({ c, created }) => ({
          fullName: c.fullName,
          metadata: c.metadata as Record<string, unknown>,
          created,
        })),
        report,
      );
    } catch (err) {
      if (!(err instanceof DeployError) || part.type !== 'PlatformEventChannelMember') throw err;
      return { deployed: false, problem: err.message };
    }
  }
  return { deployed: true };
}

function summarize(changes: string[]): string {
  return changes.length <= 3
    ? changes.join(', ')
    : `${changes.slice(0, 3).join(', ')} and ${changes.length - 3} more`;
}

/**
 * Metadata SOAP types are XSD sequences: fullName first, the other elements in alphabetical order
 * (the order Salesforce itself retrieves them in). Source files need not follow it; the request does.
 */
export function canonicalOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalOrder);
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) =>
    a === 'fullName' ? -1 : b === 'fullName' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(keys.map((k) => [k, canonicalOrder((value as Record<string, unknown>)[k])]));
}

async function writeAndVerify(
  gateway: SalesforcePort,
  type: string,
  items: { fullName: string; metadata: Record<string, unknown>; created: boolean; detail?: string }[],
  report: (r: ComponentReport) => void,
  verify: (readBack: Record<string, unknown> | null) => string[] = () => [],
): Promise<void> {
  const results = await gateway.upsertMetadata(
    type,
    items.map((i) => canonicalOrder(i.metadata) as Record<string, unknown>),
  );
  const failed = results.filter((r) => !r.success);
  if (failed.length > 0) {
    const first = failed[0].errors[0] ?? { statusCode: 'UNKNOWN', message: 'no detail' };
    if (isPermissionProblem(first.statusCode, first.message)) throw new DeployError(PERMISSION_HELP);
    throw new DeployError(
      `Metadata API rejected ${failed.map((f) => `${type} ${f.fullName}`).join(', ')}: ${first.statusCode}: ${first.message}`,
    );
  }
  const readBack = await gateway.readMetadata<Record<string, unknown>>(
    type,
    items.map((i) => i.fullName),
  );
  items.forEach((item, i) => {
    const back = readBack[i];
    const diff = !back
      ? ['not found after upsert']
      : type === 'PermissionSet'
        ? verify(back)
        : differences(item.metadata as Metadata, back);
    if (diff.length > 0)
      throw new DeployError(
        `${type} ${item.fullName} does not match force-app/ after the upsert: ${diff.slice(0, 3).join('; ')}`,
      );
    report({
      type,
      fullName: item.fullName,
      status: item.created ? 'created' : 'updated',
      detail: item.detail,
    });
  });
}
