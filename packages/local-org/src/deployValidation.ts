/**
 * What a deploy checks in each component before anything is saved, for the metadata types Call
 * Touchpoints ships. Each check follows the Metadata API Developer Guide's page for the type (CustomObject,
 * CustomField, PermissionSet, Report, ReportType, Dashboard, FlexiPage, CustomTab, CustomLabels, ApexClass,
 * LightningComponentBundle, PlatformEventChannelMember); a problem names the component, the line when known, and the fix.
 */
import { asArray, customFieldProblem, type Metadata } from './schema';
import { channelMemberProblem, selectionAllocationProblem } from './pubsub/channelMember';
import {
  customFieldLimitProblems,
  customLabelLimitProblems,
  customTabLimitProblems,
  requiredFieldGrantProblems,
} from './metadataLimits';

/** One component of a deploy zip, parsed. */
export interface DeployComponent {
  type: string;
  fullName: string;
  /** Path inside the zip (Salesforce's DeployMessage.fileName). */
  fileName: string;
  /** The XML text (for line numbers); '' for non-XML parts. */
  text: string;
  /** Parsed body under the root element. */
  md: Metadata;
  /** Other files of the component (Apex source, LWC bundle files), by path. */
  files: Map<string, string>;
}

export interface Problem {
  problem: string;
  lineNumber?: number;
}

/** What already exists or is being deployed, for references between components. */
export interface Catalog {
  objectExists(name: string): boolean;
  fieldExists(object: string, field: string): boolean;
  /** A required field (always readable and editable, so no permission set may name it). */
  fieldRequired(object: string, field: string): boolean;
  has(type: string, fullName: string): boolean;
  /** The deployed or stored definition of a component. */
  get(type: string, fullName: string): Metadata | undefined;
  /** PlatformEventChannelMember: those the org stores, and those of this deploy. */
  channelMembers(): { stored: Metadata[]; deploying: Metadata[] };
}

/** Top-level elements each type accepts; anything else fails like Salesforce's XML schema check. */
const ELEMENTS: Record<string, string[]> = {
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_platformeventchannelmember.htm
  PlatformEventChannelMember: [
    'fullName',
    'enrichedFields',
    'eventChannel',
    'filterExpression',
    'selectedEntity',
  ],
  CustomObject: [
    'fullName',
    'actionOverrides',
    'allowInChatterGroups',
    'compactLayoutAssignment',
    'compactLayouts',
    'customHelp',
    'customHelpPage',
    'customSettingsType',
    'deploymentStatus',
    'deprecated',
    'description',
    'enableActivities',
    'enableBulkApi',
    'enableDataTranslation',
    'enableDivisions',
    'enableEnhancedLookup',
    'enableFeeds',
    'enableHistory',
    'enableLicensing',
    'enableReports',
    'enableSearch',
    'enableSharing',
    'enableStreamingApi',
    'externalSharingModel',
    'fields',
    'fieldSets',
    'label',
    'listViews',
    'nameField',
    'pluralLabel',
    'recordTypes',
    'searchLayouts',
    'sharingModel',
    'startsWith',
    'validationRules',
    'visibility',
    'webLinks',
    'businessProcesses',
    'indexes',
    'gender',
    'household',
  ],
  CustomField: [
    'fullName',
    'businessOwnerGroup',
    'businessOwnerUser',
    'businessStatus',
    'caseSensitive',
    'complianceGroup',
    'defaultValue',
    'deleteConstraint',
    'deprecated',
    'description',
    'displayFormat',
    'externalId',
    'fieldManageability',
    'formula',
    'formulaTreatBlanksAs',
    'inlineHelpText',
    'label',
    'length',
    'lookupFilter',
    'maskChar',
    'maskType',
    'precision',
    'referenceTargetField',
    'referenceTo',
    'relationshipLabel',
    'relationshipName',
    'relationshipOrder',
    'reparentableMasterDetail',
    'required',
    'restrictedAdminField',
    'scale',
    'securityClassification',
    'summarizedField',
    'summaryFilterItems',
    'summaryForeignKey',
    'summaryOperation',
    'trackFeedHistory',
    'trackHistory',
    'trackTrending',
    'type',
    'unique',
    'valueSet',
    'visibleLines',
    'writeRequiresMasterRead',
  ],
  PermissionSet: [
    'fullName',
    'applicationVisibilities',
    'classAccesses',
    'customMetadataTypeAccesses',
    'customPermissions',
    'customSettingAccesses',
    'description',
    'externalDataSourceAccesses',
    'fieldPermissions',
    'flowAccesses',
    'hasActivationRequired',
    'label',
    'license',
    'objectPermissions',
    'pageAccesses',
    'recordTypeVisibilities',
    'tabSettings',
    'userPermissions',
  ],
  Report: [
    'fullName',
    'aggregates',
    'block',
    'blockInfo',
    'buckets',
    'chart',
    'colorRanges',
    'columns',
    'crossFilters',
    'currency',
    'customDetailFormulas',
    'dataCategoryFilters',
    'description',
    'division',
    'filter',
    'folderName',
    'format',
    'formattingRules',
    'groupingsAcross',
    'groupingsDown',
    'historicalSelector',
    'name',
    'numSubscriptions',
    'params',
    'reportType',
    'roleHierarchyFilter',
    'rowLimit',
    'scope',
    'showCurrentDate',
    'showDetails',
    'showGrandTotal',
    'showSubTotals',
    'sortColumn',
    'sortOrder',
    'territoryHierarchyFilter',
    'timeFrameFilter',
    'userFilter',
  ],
  ReportType: [
    'fullName',
    'autogenerated',
    'baseObject',
    'category',
    'deployed',
    'description',
    'join',
    'label',
    'sections',
  ],
  Dashboard: [
    'fullName',
    'backgroundEndColor',
    'backgroundFadeDirection',
    'backgroundStartColor',
    'chartTheme',
    'colorPalette',
    'dashboardChartTheme',
    'dashboardColorPalette',
    'dashboardFilters',
    'dashboardGridLayout',
    'dashboardResultRefreshedDate',
    'dashboardResultRunningUser',
    'dashboardType',
    'description',
    'folderName',
    'isGridLayout',
    'leftSection',
    'middleSection',
    'numSubscriptions',
    'rightSection',
    'runningUser',
    'textColor',
    'title',
    'titleColor',
    'titleSize',
  ],
  FlexiPage: [
    'fullName',
    'description',
    'events',
    'flexiPageRegions',
    'masterLabel',
    'parentFlexiPage',
    'platformActionlist',
    'quickActionList',
    'sobjectType',
    'template',
    'type',
  ],
  CustomTab: [
    'fullName',
    'actionOverrides',
    'auraComponent',
    'customObject',
    'description',
    'flexiPage',
    'frameHeight',
    'hasSidebar',
    'icon',
    'label',
    'lwcComponent',
    'motif',
    'page',
    'scontrol',
    'splashPageLink',
    'url',
    'urlEncodingKey',
  ],
  CustomLabels: ['fullName', 'labels'],
  ReportFolder: ['fullName', 'accessType', 'folderShares', 'name', 'publicFolderAccess', 'sharedTo'],
  DashboardFolder: ['fullName', 'accessType', 'folderShares', 'name', 'publicFolderAccess', 'sharedTo'],
  ApexClass: ['fullName', 'apiVersion', 'packageVersions', 'status'],
  LightningComponentBundle: [
    'fullName',
    'apiVersion',
    'capabilities',
    'description',
    'isExplicitImport',
    'isExposed',
    'lwcResources',
    'masterLabel',
    'runtimeNamespace',
    'targetConfigs',
    'targets',
  ],
};

/** Templates of record pages and the region names each defines (Lightning App Builder templates). */
const FLEXIPAGE_REGIONS: Record<string, string[]> = {
  'flexipage:recordHomeSingleColTemplateDesktop': ['header', 'main'],
  'flexipage:recordHomeTemplateDesktop': ['header', 'main', 'sidebar'],
  'flexipage:recordHomeSimpleViewTemplate': ['header', 'main'],
  'flexipage:defaultAppHomeTemplate': ['main'],
};

/** Standard page components a FlexiPage may place (Lightning App Builder standard components). */
const STANDARD_COMPONENTS = new Set([
  'force:highlightsPanel',
  'force:detailPanel',
  'force:relatedListContainer',
  'force:relatedListSingleContainer',
  'force:recordDetailPanelMobile',
  'force:relatedListQuickLinksContainer',
  'flexipage:tabset',
  'flexipage:tab',
  'flexipage:richText',
  'flexipage:reportChart',
  'flexipage:filterListCard',
  'runtime_sales_activities:activityPanel',
  'forceChatter:recordFeedContainer',
]);

const LWC_TARGETS = new Set([
  'lightning__RecordPage',
  'lightning__AppPage',
  'lightning__HomePage',
  'lightning__Tab',
  'lightning__FlowScreen',
  'lightning__UtilityBar',
  'lightning__RecordAction',
  'lightning__Inbox',
  'lightningCommunity__Page',
  'lightningCommunity__Default',
  'lightning__UrlAddressable',
  'lightningSnapin__ChatMessage',
]);

/** 1-based line of the first occurrence of needle in text. */
export function lineOf(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

function unknownElements(c: DeployComponent): Problem[] {
  const allowed = ELEMENTS[c.type];
  if (!allowed) return [];
  const problems: Problem[] = [];
  const check = (md: Metadata, type: string, known: string[]) => {
    for (const key of Object.keys(md)) {
      if (key.startsWith('@_') || key === '#text' || known.includes(key)) continue;
      problems.push({
        problem: `Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}${key} invalid at this location in type ${type}`,
        lineNumber: lineOf(c.text, `<${key}`),
      });
    }
  };
  check(c.md, c.type, allowed);
  if (c.type === 'CustomObject')
    for (const f of asArray(c.md.fields as Metadata[])) check(f, 'CustomField', ELEMENTS.CustomField);
  return problems;
}

function customObjectProblems(c: DeployComponent): Problem[] {
  const problems: Problem[] = [];
  const custom = c.fullName.endsWith('__c');
  if (custom) {
    if (!c.md.label) problems.push({ problem: 'Must specify a non-empty label' });
    if (!c.md.nameField) problems.push({ problem: 'Must specify a nameField' });
  }
  for (const f of asArray(c.md.fields as Metadata[])) {
    const field = { ...f, fullName: `${c.fullName}.${String(f.fullName)}` };
    const problem = customFieldProblem(field);
    for (const p of [...(problem ? [problem] : []), ...customFieldLimitProblems(field)])
      problems.push({
        problem: `${String(f.fullName)}: ${p}`,
        lineNumber: lineOf(c.text, `<fullName>${String(f.fullName)}</fullName>`),
      });
  }
  return problems;
}

function permissionSetProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const problems: Problem[] = [];
  const at = (needle: string) => lineOf(c.text, needle);
  if (!c.md.label) problems.push({ problem: 'Must specify a non-empty label' });
  for (const fp of asArray(c.md.fieldPermissions as Metadata[])) {
    const name = String(fp.field ?? '');
    const [obj, field] = name.split('.');
    if (obj === 'Activity')
      problems.push({
        problem: `In field: field - name Activity fields as Task.X and Event.X: ${name}`,
        lineNumber: at(name),
      });
    else if (!cat.fieldExists(obj ?? '', field ?? ''))
      problems.push({
        problem: `In field: field - no CustomField named ${name} found`,
        lineNumber: at(name),
      });
  }
  const required = (name: string) => {
    const [obj, field] = name.split('.');
    return !!obj && !!field && cat.fieldExists(obj, field) && cat.fieldRequired(obj, field);
  };
  for (const { field, problem } of requiredFieldGrantProblems(c.md, required))
    problems.push({ problem, lineNumber: at(`<field>${field}<`) });
  for (const op of asArray(c.md.objectPermissions as Metadata[])) {
    const name = String(op.object ?? '');
    if (!cat.objectExists(name))
      problems.push({
        problem: `In field: object - no CustomObject named ${name} found`,
        lineNumber: at(`<object>${name}<`),
      });
  }
  for (const ca of asArray(c.md.classAccesses as Metadata[])) {
    const name = String(ca.apexClass ?? '');
    if (!cat.has('ApexClass', name))
      problems.push({
        problem: `In field: apexClass - no ApexClass named ${name} found`,
        lineNumber: at(name),
      });
  }
  for (const ts of asArray(c.md.tabSettings as Metadata[])) {
    const name = String(ts.tab ?? '');
    if (name.endsWith('__c') && !cat.has('CustomTab', name))
      problems.push({
        problem: `In field: tab - no CustomTab named ${name} found`,
        lineNumber: at(`<tab>${name}<`),
      });
  }
  return problems;
}

/** Fields a report on this report type may name: `Base$Field` and `Base$Lookup__c.Field`. */
function reportTypeColumns(reportType: Metadata): Set<string> {
  const base = String(reportType.baseObject ?? '');
  const out = new Set<string>();
  for (const section of asArray(reportType.sections as Metadata[]))
    for (const col of asArray(section.columns as Metadata[])) {
      const table = String(col.table ?? base);
      const [root, ...path] = table.split('.');
      out.add(`${root}$${[...path, String(col.field ?? '')].join('.')}`);
    }
  return out;
}

/** Report elements that name a column, with the element they came from. */
function reportColumnRefs(md: Metadata): string[] {
  const refs: string[] = [];
  for (const c of asArray(md.columns as Metadata[])) refs.push(String(c.field ?? ''));
  for (const g of [...asArray(md.groupingsDown as Metadata[]), ...asArray(md.groupingsAcross as Metadata[])])
    refs.push(String(g.field ?? ''));
  const filter = (md.filter ?? {}) as Metadata;
  for (const ci of asArray(filter.criteriaItems as Metadata[])) refs.push(String(ci.column ?? ''));
  const tf = (md.timeFrameFilter ?? {}) as Metadata;
  if (tf.dateColumn) refs.push(String(tf.dateColumn));
  if (md.sortColumn) refs.push(String(md.sortColumn));
  return refs.filter((r) => r && !r.startsWith('BucketField_') && !/^(FORMULA|CDF)\d+$/.test(r));
}

function reportProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const reportType = String(c.md.reportType ?? '');
  if (!reportType.endsWith('__c')) return []; // standard report types: not modelled
  const rt = cat.get('ReportType', reportType.replace(/__c$/, ''));
  if (!rt)
    return [{ problem: `invalid report type: ${reportType}`, lineNumber: lineOf(c.text, '<reportType>') }];
  const allowed = reportTypeColumns(rt);
  const base = String(rt.baseObject ?? '');
  return reportColumnRefs(c.md)
    .filter((ref) => !allowed.has(ref))
    .map((ref) => ({
      problem:
        `invalid column ${ref}: not a field of report type ${reportType}` +
        (ref.includes('$')
          ? ''
          : `; on a custom report type write Object$Field (e.g. ${base}$${ref.split('.').pop()})`),
      lineNumber: lineOf(c.text, `>${ref}<`),
    }));
}

function reportTypeProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const base = String(c.md.baseObject ?? '');
  if (!cat.objectExists(base))
    return [
      {
        problem: `baseObject ${base} is not an object in the org`,
        lineNumber: lineOf(c.text, '<baseObject>'),
      },
    ];
  const problems: Problem[] = [];
  for (const section of asArray(c.md.sections as Metadata[]))
    for (const col of asArray(section.columns as Metadata[])) {
      const field = String(col.field ?? '');
      if (String(col.table ?? base) !== base || field.includes('.')) continue; // lookup paths: not modelled
      if (!cat.fieldExists(base, field))
        problems.push({
          problem: `no field ${base}.${field} for column ${field}`,
          lineNumber: lineOf(c.text, `<field>${field}<`),
        });
    }
  return problems;
}

function dashboardProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const problems: Problem[] = [];
  const layout = (c.md.dashboardGridLayout ?? {}) as Metadata;
  const components = asArray(layout.dashboardGridComponents as Metadata[]).map(
    (g) => (g.dashboardComponent ?? {}) as Metadata,
  );
  for (const section of ['leftSection', 'middleSection', 'rightSection'])
    components.push(...asArray(((c.md[section] ?? {}) as Metadata).components as Metadata[]));
  for (const comp of components) {
    const report = String(comp.report ?? '');
    const md = cat.get('Report', report);
    if (!md) {
      problems.push({
        problem: `invalid report: ${report}`,
        lineNumber: lineOf(c.text, `<report>${report}<`),
      });
      continue;
    }
    const groupings = new Set(
      [...asArray(md.groupingsDown as Metadata[]), ...asArray(md.groupingsAcross as Metadata[])].map((g) =>
        String(g.field),
      ),
    );
    for (const column of asArray(comp.groupingColumn as string[]).map(String))
      if (!groupings.has(column))
        problems.push({
          problem: `groupingColumn ${column} is not a grouping of report ${report} (groupings: ${[...groupings].join(', ') || 'none'})`,
          lineNumber: lineOf(c.text, `<groupingColumn>${column}<`),
        });
  }
  return problems;
}

function flexiPageProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const problems: Problem[] = [];
  const template = String(((c.md.template ?? {}) as Metadata).name ?? '');
  const regions = FLEXIPAGE_REGIONS[template];
  if (!regions)
    problems.push({
      problem: `unknown template ${template} (known: ${Object.keys(FLEXIPAGE_REGIONS).join(', ')})`,
      lineNumber: lineOf(c.text, template),
    });
  const hasParent = Boolean(c.md.parentFlexiPage);
  for (const region of asArray(c.md.flexiPageRegions as Metadata[])) {
    const name = String(region.name ?? '');
    if (regions && String(region.type ?? 'Region') === 'Region' && !regions.includes(name))
      problems.push({
        problem: `Region ${name} is not defined by template ${template} (regions: ${regions.join(', ')})`,
        lineNumber: lineOf(c.text, `<name>${name}<`),
      });
    if (region.mode && !hasParent)
      problems.push({
        problem: `Region ${name} specifies mode that parent doesn't support (a mode needs a parentFlexiPage)`,
        lineNumber: lineOf(c.text, '<mode>'),
      });
    for (const item of asArray(region.itemInstances as Metadata[])) {
      const component = String(((item.componentInstance ?? {}) as Metadata).componentName ?? '');
      if (!component) continue;
      const known = component.includes(':')
        ? STANDARD_COMPONENTS.has(component) || !/^(force|flexipage):/.test(component)
        : cat.has('LightningComponentBundle', component);
      if (!known)
        problems.push({
          problem: `Component ${component} was not found`,
          lineNumber: lineOf(c.text, `>${component}<`),
        });
    }
  }
  return problems;
}

function customTabProblems(c: DeployComponent, cat: Catalog): Problem[] {
  const problems: Problem[] = customTabLimitProblems(c.md).map((problem) => ({
    problem,
    lineNumber: lineOf(c.text, problem.includes('motif') ? '<motif>' : '<description>'),
  }));
  if (String(c.md.customObject) === 'true' && !cat.objectExists(c.fullName))
    problems.push({ problem: `no custom object ${c.fullName} for this tab` });
  return problems;
}

function labelProblems(c: DeployComponent): Problem[] {
  return asArray(c.md.labels as Metadata[]).flatMap((l) => {
    const name = String(l.fullName ?? '');
    const at = lineOf(c.text, `<fullName>${name}<`);
    return customLabelLimitProblems(l).map((problem) => ({ problem: `${name}: ${problem}`, lineNumber: at }));
  });
}

function apexProblems(c: DeployComponent): Problem[] {
  const source = [...c.files.entries()].find(([p]) => p.endsWith('.cls'))?.[1];
  if (source === undefined) return [{ problem: `no ${c.fullName}.cls in the zip` }];
  if (!new RegExp(`\\b(class|interface|enum)\\s+${c.fullName}\\b`, 'i').test(source))
    return [{ problem: `${c.fullName}.cls does not declare ${c.fullName}` }];
  if (!c.md.apiVersion) return [{ problem: 'Must specify apiVersion' }];
  return [];
}

function lwcProblems(c: DeployComponent): Problem[] {
  const names = [...c.files.keys()].map((p) => p.split('/').pop());
  const problems: Problem[] = [];
  if (!names.includes(`${c.fullName}.js`)) problems.push({ problem: `the bundle has no ${c.fullName}.js` });
  const targets = asArray(((c.md.targets ?? {}) as Metadata).target as string[]).map(String);
  for (const t of targets.filter((t) => !LWC_TARGETS.has(t)))
    problems.push({ problem: `unknown target ${t}`, lineNumber: lineOf(c.text, t) });
  return problems;
}

/** Every problem of one component, given what exists or is being deployed. */
export function validateComponent(c: DeployComponent, cat: Catalog): Problem[] {
  const problems = unknownElements(c);
  switch (c.type) {
    case 'CustomObject':
      return [...problems, ...customObjectProblems(c)];
    case 'PermissionSet':
      return [...problems, ...permissionSetProblems(c, cat)];
    case 'Report':
      return [...problems, ...reportProblems(c, cat)];
    case 'ReportType':
      return [...problems, ...reportTypeProblems(c, cat)];
    case 'Dashboard':
      return [...problems, ...dashboardProblems(c, cat)];
    case 'FlexiPage':
      return [...problems, ...flexiPageProblems(c, cat)];
    case 'CustomTab':
      return [...problems, ...customTabProblems(c, cat)];
    case 'CustomLabels':
      return [...problems, ...labelProblems(c)];
    case 'ApexClass':
      return [...problems, ...apexProblems(c)];
    case 'LightningComponentBundle':
      return [...problems, ...lwcProblems(c)];
    case 'PlatformEventChannelMember': {
      const problem =
        channelMemberProblem(c.md, (name) => cat.objectExists(name)) ??
        selectionAllocationProblem(cat.channelMembers().stored, cat.channelMembers().deploying);
      return problem ? [...problems, { problem }] : problems;
    }
    default:
      return problems;
  }
}
