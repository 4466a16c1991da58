/**
 * Metadata API deploy() and checkDeployStatus() over SOAP, as `sf project deploy start` uses them (the
 * Salesforce CLI deploys through SOAP unless told to use REST): a base64 zip with package.xml, DeployOptions
 * (checkOnly, testLevel, rollbackOnError), then a DeployResult with componentSuccesses and componentFailures
 * in Salesforce's DeployMessage shape (changed, created, deleted, fileName, fullName, componentType,
 * problem, problemType, lineNumber, success). Metadata API Developer Guide: "deploy()", "DeployResult",
 * "DeployMessage", "RunTestsResult".
 *
 * Every component is validated before anything is saved; with rollbackOnError (the default, and the only
 * choice in production orgs) one failure saves nothing. Apex is stored, never compiled or run: a test level
 * that asks for tests gets a code-coverage warning saying so, and runTestResult counts 0 tests.
 */
import crypto from 'node:crypto';
import JSZip from 'jszip';
import type { MetadataType, OrgData } from './data';
import { type Catalog, type DeployComponent, validateComponent } from './deployValidation';
import { isRequiredField } from './metadataLimits';
import type { MetadataService, SaveResult } from './metadataService';
import { cleanMetadata, metadataParser, toXml } from './metadataXml';
import { asArray, isActivity, objectsForMetadataParent, type Metadata } from './schema';

/** Zip folder → Metadata API type and file suffix (Metadata API Developer Guide, each type's page). */
const FOLDERS: Record<string, { type: MetadataType; suffix: string }> = {
  objects: { type: 'CustomObject', suffix: '.object' },
  permissionsets: { type: 'PermissionSet', suffix: '.permissionset' },
  classes: { type: 'ApexClass', suffix: '.cls' },
  lwc: { type: 'LightningComponentBundle', suffix: '' },
  flexipages: { type: 'FlexiPage', suffix: '.flexipage' },
  reportTypes: { type: 'ReportType', suffix: '.reportType' },
  reports: { type: 'Report', suffix: '.report' },
  dashboards: { type: 'Dashboard', suffix: '.dashboard' },
  tabs: { type: 'CustomTab', suffix: '.tab' },
  labels: { type: 'CustomLabels', suffix: '.labels' },
  platformEventChannelMembers: { type: 'PlatformEventChannelMember', suffix: '.platformEventChannelMember' },
};

/** Saved in this order, so what a component refers to exists before it. */
const APPLY_ORDER: string[] = [
  'CustomObject',
  'CustomLabels',
  'ApexClass',
  'LightningComponentBundle',
  'CustomTab',
  'ReportType',
  'ReportFolder',
  'Report',
  'DashboardFolder',
  'Dashboard',
  'FlexiPage',
  'PermissionSet',
  'PlatformEventChannelMember',
];

const TEST_LEVELS = [
  'NoTestRun',
  'RunSpecifiedTests',
  'RunLocalTests',
  'RunAllTestsInOrg',
  'RunRelevantTests',
];

interface DeployMessage {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
}

interface DeployState {
  id: string;
  checkOnly: boolean;
  testLevel: string;
  rollbackOnError: boolean;
  createdDate: string;
  completedDate?: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  errorMessage?: string;
  successes: DeployMessage[];
  failures: DeployMessage[];
  apexClasses: number;
  total: number;
}

export class DeployError extends Error {}

/** A save the validation let through but the MetadataService refused: a failure of that component. */
class ApplyError extends DeployError {}

function saved(r: SaveResult): void {
  if (!r.success)
    throw new ApplyError(r.errors?.map((e) => `${e.statusCode}: ${e.message}`).join('; ') ?? 'not saved');
}

interface Outcome {
  created: boolean;
  changed: boolean;
  /** CustomObject: each field's own outcome, by field name. */
  fields?: Map<string, { created: boolean; changed: boolean }>;
  /** Other components inside the file: a custom object's list views, the labels of CustomLabels. */
  children?: Array<{ type: string; fullName: string; created: boolean; changed: boolean }>;
}

/**
 * Components a file holds besides itself, each reported and counted on its own as a deploy reports them
 * (Metadata API Developer Guide, "DeployResult": numberComponentsTotal / numberComponentsDeployed count
 * components; "DeployMessage": one per component, fullName as `Object.ListView`). CustomObject: its list
 * views (ListView `Touchpoint__c.All`; its fields are counted through Outcome.fields). CustomLabels: each
 * label (CustomLabel `CTP_Panel_Title`).
 */
const CHILD_ELEMENTS: Record<string, Array<{ element: string; type: string; qualified: boolean }>> = {
  CustomObject: [
    { element: 'listViews', type: 'ListView', qualified: true },
    { element: 'validationRules', type: 'ValidationRule', qualified: true },
    { element: 'webLinks', type: 'WebLink', qualified: true },
    { element: 'compactLayouts', type: 'CompactLayout', qualified: true },
  ],
  CustomLabels: [{ element: 'labels', type: 'CustomLabel', qualified: false }],
};

/** Each child component of a file, compared with what the org stores (before saving). */
function childOutcomes(
  type: string,
  fullName: string,
  md: Metadata,
  before: Metadata | undefined,
): NonNullable<Outcome['children']> {
  return (CHILD_ELEMENTS[type] ?? []).flatMap(({ element, type: childType, qualified }) =>
    asArray(md[element] as Metadata[]).map((child) => {
      const name = String(child.fullName ?? '');
      const old = asArray(before?.[element] as Metadata[]).find((x) => String(x.fullName) === name);
      return {
        type: childType,
        fullName: qualified ? `${fullName}.${name}` : name,
        created: !old,
        changed: !!old && stable(old) !== stable(child),
      };
    }),
  );
}

function parseXml(text: string, fileName: string): { root: string; md: Metadata } {
  let doc: Record<string, unknown>;
  try {
    doc = metadataParser.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new DeployError(`${fileName}: Error parsing file: ${(e as Error).message}`);
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('@_'));
  if (!root) throw new DeployError(`${fileName}: Error parsing file: no root element`);
  return { root, md: (cleanMetadata(doc[root]) ?? {}) as Metadata };
}

/** The components of a deploy zip (package.xml may sit at the root or in one top folder). */
export async function readDeployZip(base64: string): Promise<DeployComponent[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(Buffer.from(base64, 'base64'));
  } catch {
    throw new DeployError('The ZipFile is not a valid zip archive');
  }
  const paths = Object.keys(zip.files).filter((p) => !zip.files[p].dir);
  const pkg = paths.find((p) => /(^|\/)package\.xml$/.test(p) && p.split('/').length <= 2);
  if (!pkg) throw new DeployError('No package.xml found');
  const prefix = pkg.slice(0, -'package.xml'.length);
  const files = new Map<string, string>();
  for (const p of paths)
    if (p.startsWith(prefix)) files.set(p.slice(prefix.length), await zip.files[p].async('string'));

  const components: DeployComponent[] = [];
  const bundles = new Map<string, Map<string, string>>();
  for (const [file, text] of files) {
    const [folder, ...rest] = file.split('/');
    if (file === 'package.xml' || file === 'destructiveChanges.xml') continue;
    const kind = FOLDERS[folder];
    if (!kind) {
      components.push({
        type: folder,
        fullName: rest.join('/'),
        fileName: file,
        text,
        md: {},
        files: new Map(),
      });
      continue;
    }
    if (kind.type === 'LightningComponentBundle') {
      const bundle = bundles.get(rest[0]) ?? new Map<string, string>();
      bundle.set(file, text);
      bundles.set(rest[0], bundle);
      continue;
    }
    if (kind.type === 'ApexClass') {
      if (!file.endsWith('.cls')) continue; // its -meta.xml is read with it
      const meta = files.get(`${file}-meta.xml`) ?? '';
      const name = rest[0].slice(0, -'.cls'.length);
      const { md } = meta ? parseXml(meta, `${file}-meta.xml`) : { md: {} };
      components.push({
        type: 'ApexClass',
        fullName: name,
        fileName: file,
        text: meta,
        md,
        files: new Map([[file, text]]),
      });
      continue;
    }
    if (
      (folder === 'reports' || folder === 'dashboards') &&
      rest.length === 1 &&
      file.endsWith('-meta.xml')
    ) {
      const type = folder === 'reports' ? 'ReportFolder' : 'DashboardFolder';
      components.push({
        type,
        fullName: rest[0].replace(/-meta\.xml$/, ''),
        fileName: file,
        text,
        md: parseXml(text, file).md,
        files: new Map(),
      });
      continue;
    }
    if (file.endsWith('-meta.xml')) continue;
    const fullName = rest.join('/').slice(0, rest.join('/').length - kind.suffix.length);
    components.push({
      type: kind.type,
      fullName,
      fileName: file,
      text,
      md: parseXml(text, file).md,
      files: new Map(),
    });
  }
  for (const [name, bundle] of bundles) {
    const metaFile = `lwc/${name}/${name}.js-meta.xml`;
    const meta = bundle.get(metaFile) ?? '';
    components.push({
      type: 'LightningComponentBundle',
      fullName: name,
      fileName: `lwc/${name}`,
      text: meta,
      md: meta ? parseXml(meta, metaFile).md : {},
      files: bundle,
    });
  }
  return components;
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Metadata).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** What a component stores: its metadata plus source files (Apex, LWC). */
function stored(c: DeployComponent): Metadata {
  const files = Object.fromEntries(c.files);
  return { ...c.md, fullName: c.fullName, ...(c.files.size ? { files } : {}) };
}

export class Deployments {
  private byId = new Map<string, DeployState>();

  constructor(
    private data: OrgData,
    private metadata: MetadataService,
  ) {}

  /** deploy(): validates and saves at once; the returned id answers checkDeployStatus. */
  async deploy(zipBase64: string, options: Metadata): Promise<DeployState> {
    const now = new Date().toISOString();
    const testLevel = String(options.testLevel ?? 'NoTestRun');
    const state: DeployState = {
      id: `0Af${crypto.randomBytes(8).toString('hex').slice(0, 12)}AAA`,
      checkOnly: String(options.checkOnly) === 'true',
      testLevel,
      rollbackOnError: String(options.rollbackOnError ?? 'true') !== 'false',
      createdDate: now,
      status: 'InProgress',
      successes: [],
      failures: [],
      apexClasses: 0,
      total: 0,
    };
    this.byId.set(state.id, state);
    try {
      if (!TEST_LEVELS.includes(testLevel))
        throw new DeployError(`testLevel ${testLevel} is not one of ${TEST_LEVELS.join(', ')}`);
      this.run(state, await readDeployZip(zipBase64), now);
    } catch (e) {
      if (!(e instanceof DeployError)) throw e;
      state.status = 'Failed';
      state.errorMessage = e.message;
    }
    state.completedDate = new Date().toISOString();
    return state;
  }

  status(id: string): DeployState | undefined {
    return this.byId.get(id);
  }

  private run(state: DeployState, components: DeployComponent[], now: string): void {
    const catalog = this.catalog(components);
    const message = (c: DeployComponent, type = c.type, fullName = c.fullName): DeployMessage => ({
      changed: false,
      componentType: type,
      created: false,
      createdDate: now,
      deleted: false,
      fileName: c.fileName,
      fullName,
      success: true,
    });
    for (const c of components) {
      const problems = FOLDERS[c.fileName.split('/')[0]]
        ? validateComponent(c, catalog)
        : [
            {
              problem: `The local org does not support metadata in ${c.fileName.split('/')[0]}/ (it deploys: ${Object.keys(FOLDERS).join(', ')})`,
            },
          ];
      for (const p of problems)
        state.failures.push({
          ...message(c),
          success: false,
          problem: p.problem,
          problemType: 'Error',
          ...(p.lineNumber ? { lineNumber: p.lineNumber } : {}),
        });
    }
    state.apexClasses = components.filter((c) => c.type === 'ApexClass').length;
    const save = !state.checkOnly && !(state.rollbackOnError && state.failures.length);
    const failed = new Set(state.failures.map((f) => `${f.componentType}:${f.fullName}`));
    const children = new Map(
      components.map((c) => [
        `${c.type}:${c.fullName}`,
        childOutcomes(c.type, c.fullName, c.md, this.data.readMetadata(c.type as MetadataType, c.fullName)),
      ]),
    );
    state.total = components.reduce(
      (n, c) =>
        n +
        (c.type !== 'CustomObject' || c.fullName.endsWith('__c') ? 1 : 0) +
        asArray(c.md.fields as Metadata[]).length * (c.type === 'CustomObject' ? 1 : 0) +
        (children.get(`${c.type}:${c.fullName}`)?.length ?? 0),
      0,
    );
    // Custom objects (without their fields) first, so a lookup field finds the object it points to.
    const objects = new Map<string, Outcome>();
    if (save)
      for (const c of components.filter((x) => x.type === 'CustomObject' && x.fullName.endsWith('__c'))) {
        const { fields: _fields, ...object } = c.md;
        objects.set(c.fullName, this.compare('CustomObject', c.fullName, object));
        saved(this.metadata.save('CustomObject', { ...object, fullName: c.fullName }, 'upsert'));
      }
    // Custom objects before the standard objects whose new fields may look them up.
    const rank = (c: DeployComponent) =>
      APPLY_ORDER.indexOf(c.type) * 2 + (c.type === 'CustomObject' && !c.fullName.endsWith('__c') ? 1 : 0);
    const ordered = [...components].sort((a, b) => rank(a) - rank(b));
    for (const c of ordered) {
      if (failed.has(`${c.type}:${c.fullName}`)) continue;
      let outcome: Outcome;
      try {
        outcome = save ? this.apply(c, objects) : this.wouldChange(c);
      } catch (e) {
        if (!(e instanceof ApplyError)) throw e;
        state.failures.push({ ...message(c), success: false, problem: e.message, problemType: 'Error' });
        continue;
      }
      // A standard object (Activity) carries custom fields only: the fields are the components.
      if (c.type !== 'CustomObject' || c.fullName.endsWith('__c'))
        state.successes.push({
          ...message(c),
          created: outcome.created,
          changed: outcome.changed || outcome.created,
        });
      for (const [name, f] of outcome.fields ?? [])
        state.successes.push({
          ...message(c, 'CustomField', `${c.fullName}.${name}`),
          created: f.created,
          changed: f.changed || f.created,
        });
      for (const child of children.get(`${c.type}:${c.fullName}`) ?? [])
        state.successes.push({
          ...message(c, child.type, child.fullName),
          created: child.created,
          changed: child.changed || child.created,
        });
    }
    state.successes.push({
      ...message({ fileName: 'package.xml' } as DeployComponent, '', 'package.xml'),
      changed: true,
    });
    state.status = state.failures.length ? 'Failed' : 'Succeeded';
  }

  /** checkOnly or a rolled-back deploy: what saving would have done. */
  private wouldChange(c: DeployComponent): Outcome {
    if (c.type !== 'CustomObject') return this.compare(c.type as MetadataType, c.fullName, stored(c));
    const { fields, ...object } = c.md as Metadata & { fields?: Metadata[] };
    return {
      ...this.compare('CustomObject', c.fullName, object),
      fields: this.fieldOutcomes(c.fullName, fields),
    };
  }

  private fieldOutcomes(object: string, fields: Metadata[] | undefined) {
    return new Map(
      asArray(fields).map((f) => [
        String(f.fullName),
        this.compare('CustomField', `${object}.${String(f.fullName)}`, f),
      ]),
    );
  }

  /** Saves one valid component; schema types go through the MetadataService so describe and SOQL see them. */
  private apply(c: DeployComponent, objects: Map<string, Outcome>): Outcome {
    if (c.type === 'CustomObject') {
      const { fields } = c.md as Metadata & { fields?: Metadata[] };
      const outcome: Outcome = {
        ...(objects.get(c.fullName) ?? { created: false, changed: false }),
        fields: this.fieldOutcomes(c.fullName, fields),
      };
      for (const f of asArray(fields))
        saved(
          this.metadata.save(
            'CustomField',
            { ...f, fullName: `${c.fullName}.${String(f.fullName)}` },
            'upsert',
          ),
        );
      return outcome;
    }
    const next = stored(c);
    const outcome = this.compare(c.type as MetadataType, c.fullName, next);
    // Types the CRUD calls also take are saved through the MetadataService (its own checks and effects,
    // e.g. a channel member selects the entity for Change Data Capture).
    if (c.type === 'PermissionSet' || c.type === 'PlatformEventChannelMember')
      saved(this.metadata.save(c.type, next, 'upsert'));
    else this.data.writeMetadata(c.type as MetadataType, c.fullName, next);
    return outcome;
  }

  /** Created (new) or changed (different from what is stored), before saving. */
  private compare(
    type: MetadataType,
    fullName: string,
    md: Metadata,
  ): { created: boolean; changed: boolean } {
    const before = this.data.readMetadata(type, fullName);
    return { created: !before, changed: !!before && stable(before) !== stable({ ...md, fullName }) };
  }

  /** What exists after this deploy: the org's objects, fields and components plus the zip's. */
  private catalog(components: DeployComponent[]): Catalog {
    const deployed = new Map(components.map((c) => [`${c.type}:${c.fullName.toLowerCase()}`, c]));
    const deployedFields = new Set<string>();
    const requiredFields = new Set<string>();
    for (const c of components.filter((x) => x.type === 'CustomObject'))
      for (const f of asArray(c.md.fields as Metadata[]))
        for (const obj of objectsForMetadataParent(c.fullName)) {
          deployedFields.add(`${obj}.${String(f.fullName)}`.toLowerCase());
          if (String(f.required) === 'true') requiredFields.add(`${obj}.${String(f.fullName)}`.toLowerCase());
        }
    const get = (type: string, fullName: string): Metadata | undefined =>
      deployed.get(`${type}:${fullName.toLowerCase()}`)?.md ??
      this.data.readMetadata(type as MetadataType, fullName);
    const onObject = (object: string, field: string): boolean =>
      !!this.data.object(object)?.fields.get(field.toLowerCase()) ||
      deployedFields.has(`${object}.${field}`.toLowerCase()) ||
      (deployed.has(`CustomObject:${object.toLowerCase()}`) &&
        ['name', 'id', 'ownerid', 'createddate'].includes(field.toLowerCase()));
    return {
      objectExists: (name) =>
        isActivity(name) || !!this.data.object(name) || deployed.has(`CustomObject:${name.toLowerCase()}`),
      // Activity (a report type's baseObject, a field's parent) has the fields Task and Event share: the
      // standard activity fields plus the custom fields deployed on Activity, which land on both.
      fieldExists: (object, field) =>
        isActivity(object)
          ? objectsForMetadataParent(object).every((o) => onObject(o, field))
          : onObject(object, field),
      fieldRequired: (object, field) => {
        const key = `${object}.${field}`.toLowerCase();
        if (deployedFields.has(key)) return requiredFields.has(key);
        return isRequiredField(this.data.object(object)?.fields.get(field.toLowerCase()));
      },
      has: (type, fullName) => !!get(type, fullName),
      channelMembers: () => ({
        stored: this.data.listMetadata('PlatformEventChannelMember'),
        deploying: components
          .filter((c) => c.type === 'PlatformEventChannelMember')
          .map((c) => ({ ...c.md, fullName: c.fullName })),
      }),
      get,
    };
  }
}

function messageXml(tag: string, m: DeployMessage): string {
  return toXml(tag, Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)])));
}

/** DeployResult, as checkDeployStatus returns it (details only when asked for). */
export function deployResultXml(s: DeployState, includeDetails: boolean): string {
  const testsAsked = s.testLevel !== 'NoTestRun' && s.apexClasses > 0;
  const coverageWarning = testsAsked
    ? `<codeCoverageWarnings><message>The local org stores Apex classes but does not compile or run them: testLevel ${s.testLevel} ran 0 tests. Run the tests in a scratch org or sandbox.</message><name></name></codeCoverageWarnings>`
    : '';
  const details = includeDetails
    ? `<details>${s.successes.map((m) => messageXml('componentSuccesses', m)).join('')}${s.failures
        .map((m) => messageXml('componentFailures', m))
        .join(
          '',
        )}<runTestResult>${coverageWarning}<numFailures>0</numFailures><numTestsRun>0</numTestsRun><totalTime>0</totalTime></runTestResult></details>`
    : '';
  const done = s.status !== 'InProgress';
  return (
    `<result>${toXml('checkOnly', String(s.checkOnly))}${s.completedDate ? toXml('completedDate', s.completedDate) : ''}` +
    `${toXml('createdDate', s.createdDate)}${details}${toXml('done', String(done))}` +
    `${s.errorMessage ? toXml('errorMessage', s.errorMessage) + toXml('errorStatusCode', 'INVALID_CROSS_REFERENCE_KEY') : ''}` +
    `${toXml('id', s.id)}${toXml('ignoreWarnings', 'false')}${toXml('lastModifiedDate', s.completedDate ?? s.createdDate)}` +
    `${toXml('numberComponentErrors', String(new Set(s.failures.map((f) => f.fullName)).size))}` +
    `${toXml('numberComponentsDeployed', String(s.failures.length ? 0 : s.successes.filter((m) => m.fullName !== 'package.xml').length))}${toXml('numberComponentsTotal', String(s.total))}` +
    `${toXml('numberTestErrors', '0')}${toXml('numberTestsCompleted', '0')}${toXml('numberTestsTotal', '0')}` +
    `${toXml('rollbackOnError', String(s.rollbackOnError))}${toXml('runTestsEnabled', String(testsAsked))}` +
    `${toXml('startDate', s.createdDate)}${testsAsked ? toXml('stateDetail', 'Apex stored; tests not run by the local org') : ''}` +
    `${toXml('status', s.status)}${toXml('success', String(s.status === 'Succeeded'))}</result>`
  );
}

/** AsyncResult for deploy(). */
export function asyncResultXml(s: DeployState): string {
  return `<result>${toXml('done', 'false')}${toXml('id', s.id)}${toXml('state', 'Queued')}</result>`;
}
