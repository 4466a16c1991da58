/**
 * Metadata API retrieve() and checkRetrieveStatus() over SOAP, as `sf project retrieve start` uses them
 * (Metadata API Developer Guide, "retrieve()", "RetrieveRequest", "checkRetrieveStatus()", "RetrieveResult",
 * "FileProperties", "RetrieveMessage"): a RetrieveRequest names components in `unpackaged` (package.xml's
 * types and members, `*` for all); the AsyncResult's id answers checkRetrieveStatus with the zip of the
 * components' files in Metadata API format (`unpackaged/…` unless singlePackage), its package.xml, one
 * FileProperties per file, and a RetrieveMessage for each member the org does not have ("Entity of type
 * 'X' named 'Y' cannot be found").
 *
 * What comes back is what the local org stores: the types deploy() takes (deploy.ts). A custom object
 * comes with its fields and list views (the .object file holds them); a field or list view asked for on
 * its own (CustomField Activity.X__c, ListView Touchpoint__c.All) comes in its parent's .object file.
 */
import crypto from 'node:crypto';
import JSZip from 'jszip';
import type { MetadataType, OrgData } from './data';
import type { MetadataService } from './metadataService';
import { toXml } from './metadataXml';
import { asArray, type Metadata } from './schema';

const NS = 'http://soap.sforce.com/2006/04/metadata';

/** Where each type's file sits in a Metadata API zip (Metadata API Developer Guide, each type's page). */
const FILES: Partial<Record<MetadataType, { folder: string; suffix: string }>> = {
  CustomObject: { folder: 'objects', suffix: '.object' },
  PermissionSet: { folder: 'permissionsets', suffix: '.permissionset' },
  ApexClass: { folder: 'classes', suffix: '.cls' },
  LightningComponentBundle: { folder: 'lwc', suffix: '' },
  FlexiPage: { folder: 'flexipages', suffix: '.flexipage' },
  ReportType: { folder: 'reportTypes', suffix: '.reportType' },
  Report: { folder: 'reports', suffix: '.report' },
  ReportFolder: { folder: 'reports', suffix: '-meta.xml' },
  Dashboard: { folder: 'dashboards', suffix: '.dashboard' },
  DashboardFolder: { folder: 'dashboards', suffix: '-meta.xml' },
  CustomTab: { folder: 'tabs', suffix: '.tab' },
  CustomLabels: { folder: 'labels', suffix: '.labels' },
  PlatformEventChannelMember: {
    folder: 'platformEventChannelMembers',
    suffix: '.platformEventChannelMember',
  },
};

/** Child types kept inside a CustomObject, and their element there (CustomObject's page). */
const OBJECT_CHILDREN: Record<string, string> = {
  CustomField: 'fields',
  ListView: 'listViews',
  ValidationRule: 'validationRules',
  WebLink: 'webLinks',
  RecordType: 'recordTypes',
  CompactLayout: 'compactLayouts',
  FieldSet: 'fieldSets',
  BusinessProcess: 'businessProcesses',
  SharingReason: 'sharingReasons',
  Index: 'indexes',
};

interface RetrieveMessage {
  fileName: string;
  problem: string;
}

interface FileProperties {
  fileName: string;
  fullName: string;
  type: string;
}

export interface RetrieveState {
  id: string;
  createdDate: string;
  zipFile: string;
  files: FileProperties[];
  messages: RetrieveMessage[];
  status: 'Succeeded' | 'Failed';
  errorMessage?: string;
}

export class RetrieveError extends Error {}

const xmlFile = (root: string, md: Metadata): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(root, md, ` xmlns="${NS}"`)}\n`;

/** A stored definition as its file holds it: no fullName (the file name says it), no stored source files. */
function fileBody(md: Metadata): Metadata {
  const { fullName: _f, files: _s, ...rest } = md;
  return rest;
}

/** fullName first, as the Metadata API writes a child element (a field, a list view, a label). */
const fullNameFirst = (md: Metadata, fullName: string): Metadata => {
  const { fullName: _f, ...rest } = md;
  return { fullName, ...rest };
};

export class Retrievals {
  private byId = new Map<string, RetrieveState>();

  constructor(
    private data: OrgData,
    private metadata: MetadataService,
  ) {}

  status(id: string): RetrieveState | undefined {
    return this.byId.get(id);
  }

  async retrieve(request: Metadata): Promise<RetrieveState> {
    const state: RetrieveState = {
      id: `09S${crypto.randomBytes(8).toString('hex').slice(0, 12)}AAA`,
      createdDate: new Date().toISOString(),
      zipFile: '',
      files: [],
      messages: [],
      status: 'Succeeded',
    };
    this.byId.set(state.id, state);
    const prefix = String(request.singlePackage) === 'true' ? '' : 'unpackaged/';
    const zip = new JSZip();
    const add = (path: string, text: string, type: string, fullName: string) => {
      zip.file(`${prefix}${path}`, text);
      state.files.push({ fileName: `${prefix}${path}`, fullName, type });
    };
    for (const name of asArray(request.packageNames as string[]))
      state.messages.push({ fileName: String(name), problem: `No package named '${String(name)}' found` });
    const unpackaged = (request.unpackaged ?? {}) as Metadata;
    const types = asArray(unpackaged.types as Metadata[]).map((t) => ({
      name: String(t.name ?? ''),
      members: asArray(t.members as string[]).map(String),
    }));
    this.collect(types, add, state.messages);
    const version = String(unpackaged.version ?? request.apiVersion ?? '65.0');
    add(
      'package.xml',
      xmlFile('Package', { types: types.map((t) => ({ members: t.members, name: t.name })), version }),
      'Package',
      'package.xml',
    );
    state.zipFile = (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString(
      'base64',
    );
    return state;
  }

  private collect(
    types: Array<{ name: string; members: string[] }>,
    add: (path: string, text: string, type: string, fullName: string) => void,
    messages: RetrieveMessage[],
  ): void {
    const objects = new Map<string, Metadata>(); // object name → its .object content
    const notFound = (type: string, name: string) =>
      messages.push({
        fileName: `unpackaged/package.xml`,
        problem: `Entity of type '${type}' named '${name}' cannot be found`,
      });
    const stored = (type: MetadataType, members: string[]): Metadata[] =>
      members.includes('*')
        ? this.data.listMetadata(type)
        : members.flatMap((m) => {
            const md =
              type === 'CustomObject' ? this.metadata.read(type, m) : this.data.readMetadata(type, m);
            if (!md) notFound(type, m);
            return md ? [md] : [];
          });

    for (const { name: type, members } of types) {
      if (type === 'CustomObject') {
        const all = members.includes('*')
          ? this.data
              .listMetadata('CustomObject')
              .map((m) => this.metadata.read('CustomObject', String(m.fullName))!)
          : stored('CustomObject', members);
        for (const md of all) {
          const fields = asArray(md.fields as Metadata[]).map((f) => fullNameFirst(f, String(f.fullName)));
          objects.set(String(md.fullName), { ...fileBody(md), ...(fields.length ? { fields } : {}) });
        }
      } else if (OBJECT_CHILDREN[type]) {
        this.collectChildren(type, members, objects, notFound);
      } else if (type === 'CustomLabels' || type === 'CustomLabel') {
        continue; // below, once for both types
      } else if (type === 'Report' || type === 'Dashboard') {
        // Folders are members of their content type (package.xml: <members>Folder</members>).
        const folderType = type === 'Report' ? 'ReportFolder' : 'DashboardFolder';
        const wild = members.includes('*');
        // A folder is written "Folder" or, by the Salesforce CLI, "Folder/".
        const isFolder = (m: string) => !m.replace(/\/$/, '').includes('/');
        const folders = wild
          ? this.data.listMetadata(folderType)
          : stored(
              folderType,
              members.filter(isFolder).map((m) => m.replace(/\/$/, '')),
            );
        const items = wild
          ? this.data.listMetadata(type)
          : stored(
              type,
              members.filter((m) => !isFolder(m)),
            );
        for (const md of folders) this.addFile(folderType, md, add);
        for (const md of items) this.addFile(type, md, add);
      } else if (FILES[type as MetadataType]) {
        for (const md of stored(type as MetadataType, members)) this.addFile(type as MetadataType, md, add);
      } else {
        messages.push({
          fileName: 'unpackaged/package.xml',
          problem: `The local org does not retrieve metadata of type ${type} (it retrieves what it deploys: ${Object.keys(FILES).join(', ')}, and the children of CustomObject)`,
        });
      }
    }
    const labels = types.filter((t) => t.name === 'CustomLabels' || t.name === 'CustomLabel');
    if (labels.length) {
      const whole = labels.find((t) => t.name === 'CustomLabels' || t.members.includes('*'));
      this.collectLabels(
        whole ? 'CustomLabels' : 'CustomLabel',
        whole ? ['*'] : labels.flatMap((t) => t.members),
        add,
        notFound,
      );
    }
    for (const [name, md] of objects)
      add(`objects/${name}.object`, xmlFile('CustomObject', md), 'CustomObject', name);
  }

  /** CustomField Obj.Field, ListView Obj.All, … into their parent's .object file. */
  private collectChildren(
    type: string,
    members: string[],
    objects: Map<string, Metadata>,
    notFound: (type: string, name: string) => void,
  ): void {
    const element = OBJECT_CHILDREN[type];
    const wanted = members.includes('*')
      ? this.data
          .listMetadata('CustomObject')
          .flatMap((o) =>
            asArray(this.metadata.read('CustomObject', String(o.fullName))?.[element] as Metadata[]).map(
              (c) => `${String(o.fullName)}.${String(c.fullName)}`,
            ),
          )
      : members;
    for (const member of wanted) {
      const dot = member.indexOf('.');
      const [parent, child] = [member.slice(0, dot), member.slice(dot + 1)];
      const md =
        type === 'CustomField'
          ? this.data.readMetadata('CustomField', member)
          : asArray(this.data.readMetadata('CustomObject', parent)?.[element] as Metadata[]).find(
              (c) => String(c.fullName).toLowerCase() === child.toLowerCase(),
            );
      if (dot < 0 || !md) {
        notFound(type, member);
        continue;
      }
      const canonicalParent = type === 'CustomField' ? String(md.fullName).split('.')[0] : parent;
      const object = objects.get(canonicalParent) ?? {};
      const list = asArray(object[element] as Metadata[]);
      if (!list.some((c) => String(c.fullName).toLowerCase() === child.toLowerCase()))
        list.push(
          fullNameFirst(md, type === 'CustomField' ? String(md.fullName).split('.')[1] : String(md.fullName)),
        );
      objects.set(canonicalParent, { ...object, [element]: list });
    }
  }

  /** CustomLabels (the whole file) or CustomLabel members (those labels only), in labels/CustomLabels.labels. */
  private collectLabels(
    type: string,
    members: string[],
    add: (path: string, text: string, type: string, fullName: string) => void,
    notFound: (type: string, name: string) => void,
  ): void {
    const file = this.data.readMetadata('CustomLabels', 'CustomLabels');
    const labels = asArray(file?.labels as Metadata[]);
    let chosen = labels;
    if (type === 'CustomLabel' && !members.includes('*')) {
      chosen = members.flatMap((m) => {
        const l = labels.find((x) => String(x.fullName) === m);
        if (!l) notFound('CustomLabel', m);
        return l ? [l] : [];
      });
    } else if (!file) {
      if (!members.includes('*')) notFound(type, 'CustomLabels');
      return;
    }
    if (chosen.length)
      add(
        'labels/CustomLabels.labels',
        xmlFile('CustomLabels', { labels: chosen }),
        'CustomLabels',
        'CustomLabels',
      );
  }

  private addFile(
    type: MetadataType,
    md: Metadata,
    add: (path: string, text: string, type: string, fullName: string) => void,
  ): void {
    const where = FILES[type]!;
    const fullName = String(md.fullName);
    const sources = (md.files ?? {}) as Record<string, string>;
    if (type === 'LightningComponentBundle') {
      for (const [path, text] of Object.entries(sources)) add(path, text, type, fullName);
      return;
    }
    if (type === 'ApexClass') {
      for (const [path, text] of Object.entries(sources)) add(path, text, type, fullName);
      add(`${where.folder}/${fullName}${where.suffix}-meta.xml`, xmlFile(type, fileBody(md)), type, fullName);
      return;
    }
    add(`${where.folder}/${fullName}${where.suffix}`, xmlFile(type, fileBody(md)), type, fullName);
  }
}

function filePropertiesXml(f: FileProperties, now: string, userId: string): string {
  return toXml('fileProperties', {
    createdById: userId,
    createdByName: 'Local Admin',
    createdDate: now,
    fileName: f.fileName,
    fullName: f.fullName,
    id: '000000000000000AAA',
    lastModifiedById: userId,
    lastModifiedByName: 'Local Admin',
    lastModifiedDate: now,
    manageableState: 'unmanaged',
    type: f.type,
  });
}

/** RetrieveResult, as checkRetrieveStatus returns it (the zip only when includeZip is not false). */
export function retrieveResultXml(s: RetrieveState, includeZip: boolean, userId: string): string {
  return (
    `<result>${toXml('done', 'true')}` +
    s.files.map((f) => filePropertiesXml(f, s.createdDate, userId)).join('') +
    `${toXml('id', s.id)}${s.messages.map((m) => toXml('messages', m)).join('')}` +
    `${toXml('status', s.status)}${toXml('success', String(s.status === 'Succeeded'))}` +
    `${includeZip ? toXml('zipFile', s.zipFile) : ''}</result>`
  );
}

/** AsyncResult for retrieve(). */
export function retrieveAsyncResultXml(s: RetrieveState): string {
  return `<result>${toXml('done', 'false')}${toXml('id', s.id)}${toXml('state', 'Queued')}</result>`;
}
