"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXPECTED_COMPONENTS = exports.PANEL_CONTROLLER = exports.PERMISSION_SETS = exports.DATA_MODEL = void 0;
exports.dataModelFieldMembers = dataModelFieldMembers;
exports.permissionSetFieldNames = permissionSetFieldNames;
exports.copyProject = copyProject;
exports.checkWellFormed = checkWellFormed;
exports.convertSource = convertSource;
exports.readPackageXml = readPackageXml;
exports.checkPackage = checkPackage;
exports.checkPermissionSets = checkPermissionSets;
exports.checkReferences = checkReferences;
exports.validateMetadata = validateMetadata;
/**
 * Offline validation of the Salesforce metadata in force-app/ (no org needed):
 *  1. every XML file of the package directories is well-formed (fast-xml-parser's XMLValidator) —
 *     `sf project convert source` repairs or ignores some broken XML silently, so this check names the file;
 *  2. `sf project convert source` turns the source into a Metadata API package;
 *  3. package.xml lists the data model of design §3 and the Task panel's components;
 *  4. both permission sets grant every data-model field (Task.X and Event.X for Activity fields),
 *     the object permissions, and access to the panel's Apex controller;
 *  5. references between components resolve (LWC → Apex class and labels, FlexiPage → LWC,
 *     report → report type, dashboard → report).
 *
 * CLI: `node dist/scripts/validate-metadata.js [projectDir]` prints what it checked and exits 1 with
 * the problems (each naming its file) when anything is wrong.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const fast_xml_parser_1 = require("fast-xml-parser");
const project_root_1 = require("../middleware/src/project-root");
/** The Salesforce data model of design §3: the one list the validation and its test check against. */
exports.DATA_MODEL = {
    /** Task/Event fields, deployed as Activity.X; permission sets name them Task.X and Event.X. */
    activityFields: [
        'BizibleId__c',
        'Call_Started_At__c',
        'Vendor_Call_Id__c',
        'Call_Touchpoint__c',
        'Call_Join_Status__c',
        'Call_Join_Detail__c',
    ],
    objects: {
        Web_Session__c: [
            'Session_Key__c',
            'BizibleId__c',
            'Started_At__c',
            'Last_Activity_At__c',
            'Landing_Page__c',
            'Referrer_Page__c',
            'Channel__c',
            'Subchannel__c',
            'Source__c',
            'Medium__c',
            'Campaign__c',
            'Content__c',
            'Term__c',
            'Click_Id__c',
            'Page_Views__c',
            'Form_Submits__c',
        ],
        Touchpoint__c: [
            'Touchpoint_Key__c',
            'BizibleId__c',
            'Touchpoint_Type__c',
            'Medium__c',
            'Channel__c',
            'Subchannel__c',
            'Source__c',
            'Campaign__c',
            'Ad_Content__c',
            'Keyword__c',
            'Landing_Page__c',
            'Referrer_Page__c',
            'Form_URL__c',
            'Touchpoint_Date__c',
            'Position__c',
            'First_Touch_Percent__c',
            'Lead_Creation_Percent__c',
            'U_Shaped_Percent__c',
            'Web_Session__c',
            'Task_Id__c',
            'Lead__c',
            'Contact__c',
            'Merge_Status__c',
        ],
    },
};
exports.PERMISSION_SETS = {
    integration: 'Call_Touchpoints_Integration',
    viewer: 'Call_Touchpoints_Viewer',
};
exports.PANEL_CONTROLLER = 'CallTouchpointController';
/** Components besides the data model that package.xml must list, by Metadata API type. */
exports.EXPECTED_COMPONENTS = {
    CustomObject: Object.keys(exports.DATA_MODEL.objects),
    PermissionSet: Object.values(exports.PERMISSION_SETS),
    ApexClass: [exports.PANEL_CONTROLLER, `${exports.PANEL_CONTROLLER}Test`],
    LightningComponentBundle: ['callTouchpointPanel'],
    FlexiPage: ['Call_Task_Record_Page'],
    ReportType: ['Call_Touchpoints'],
    Report: ['Call_Touchpoints/Call_Touchpoints_by_Channel'],
    Dashboard: ['Call_Touchpoints/Call_Touchpoints'],
    CustomLabels: ['CustomLabels'],
};
const ENV = {
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
};
const parser = new fast_xml_parser_1.XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) => ['types', 'members', 'fieldPermissions', 'objectPermissions', 'classAccesses', 'labels'].includes(name) ||
        ['flexiPageRegions', 'itemInstances'].includes(name),
});
function parseXml(file) {
    return parser.parse(node_fs_1.default.readFileSync(file, 'utf8'));
}
/** Field names as the data model deploys them: Activity.X, Web_Session__c.X, Touchpoint__c.X. */
function dataModelFieldMembers() {
    return [
        ...exports.DATA_MODEL.activityFields.map((f) => `Activity.${f}`),
        ...Object.entries(exports.DATA_MODEL.objects).flatMap(([object, fields]) => fields.map((f) => `${object}.${f}`)),
    ];
}
/** Field names as permission sets spell them: Activity fields twice, as Task.X and Event.X. */
function permissionSetFieldNames() {
    return [
        ...exports.DATA_MODEL.activityFields.flatMap((f) => [`Task.${f}`, `Event.${f}`]),
        ...Object.entries(exports.DATA_MODEL.objects).flatMap(([object, fields]) => fields.map((f) => `${object}.${f}`)),
    ];
}
function packageDirectories(projectDir) {
    const project = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(projectDir, 'sfdx-project.json'), 'utf8'));
    return project.packageDirectories.map((dir) => node_path_1.default.join(projectDir, dir.path));
}
function listFiles(dir, accept) {
    const out = [];
    for (const entry of node_fs_1.default.readdirSync(dir, { withFileTypes: true })) {
        const full = node_path_1.default.join(dir, entry.name);
        if (entry.isDirectory())
            out.push(...listFiles(full, accept));
        else if (accept(full))
            out.push(full);
    }
    return out.sort();
}
/** Copies what `sf project convert source` reads (sfdx-project.json, .forceignore, package dirs) into destDir. */
function copyProject(projectDir, destDir) {
    node_fs_1.default.mkdirSync(destDir, { recursive: true });
    for (const file of ['sfdx-project.json', '.forceignore']) {
        if (node_fs_1.default.existsSync(node_path_1.default.join(projectDir, file)))
            node_fs_1.default.copyFileSync(node_path_1.default.join(projectDir, file), node_path_1.default.join(destDir, file));
    }
    for (const dir of packageDirectories(projectDir)) {
        node_fs_1.default.cpSync(dir, node_path_1.default.join(destDir, node_path_1.default.relative(projectDir, dir)), { recursive: true });
    }
}
/** Check 1: every .xml file parses; the problem names the file relative to the project, with line and column. */
function checkWellFormed(projectDir) {
    const problems = [];
    let files = 0;
    for (const dir of packageDirectories(projectDir)) {
        for (const file of listFiles(dir, (f) => f.endsWith('.xml'))) {
            files++;
            const result = fast_xml_parser_1.XMLValidator.validate(node_fs_1.default.readFileSync(file, 'utf8'));
            if (result !== true) {
                const { msg, line, col } = result.err;
                problems.push(`${node_path_1.default.relative(projectDir, file)}:${line}:${col}: malformed XML: ${msg}`);
            }
        }
    }
    return { files, problems };
}
function sfBinary() {
    const bin = node_path_1.default.join((0, project_root_1.projectRoot)(), 'node_modules', '.bin', process.platform === 'win32' ? 'sf.cmd' : 'sf');
    if (!node_fs_1.default.existsSync(bin))
        throw new Error(`validate-metadata: ${bin} not found; run npm install first`);
    return bin;
}
/** Check 2: `sf project convert source -d outDir` in projectDir. */
function convertSource(projectDir, outDir) {
    const run = (0, node_child_process_1.spawnSync)(sfBinary(), ['project', 'convert', 'source', '--output-dir', outDir, '--json'], {
        cwd: projectDir,
        env: { ...process.env, ...ENV },
        encoding: 'utf8',
        timeout: 240_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
    return { status: run.status, output };
}
/** package.xml as Metadata API type → members. */
function readPackageXml(file) {
    const pkg = parseXml(file).Package ?? {};
    const types = new Map();
    for (const t of pkg.types ?? [])
        types.set(String(t.name), new Set((t.members ?? []).map(String)));
    return types;
}
/** Check 3: package.xml lists the data model and the panel's components. */
function checkPackage(types) {
    const problems = [];
    const need = (type, member) => {
        if (!types.get(type)?.has(member))
            problems.push(`package.xml: ${type} ${member} is missing`);
    };
    for (const member of dataModelFieldMembers())
        need('CustomField', member);
    for (const [type, members] of Object.entries(exports.EXPECTED_COMPONENTS))
        for (const m of members)
            need(type, m);
    return problems;
}
/** Check 4: field, object and Apex class access in both permission sets. */
function checkPermissionSets(convertedDir) {
    const problems = [];
    for (const [role, name] of Object.entries(exports.PERMISSION_SETS)) {
        const rel = `permissionsets/${name}.permissionset`;
        const file = node_path_1.default.join(convertedDir, rel);
        if (!node_fs_1.default.existsSync(file)) {
            problems.push(`${rel}: permission set is missing`);
            continue;
        }
        const ps = parseXml(file).PermissionSet ?? {};
        const editable = role === 'integration';
        const fields = new Map((ps.fieldPermissions ?? []).map((fp) => [String(fp.field), fp]));
        for (const field of permissionSetFieldNames()) {
            const fp = fields.get(field);
            if (!fp)
                problems.push(`${rel}: no fieldPermissions for ${field}`);
            else if (fp.readable !== 'true')
                problems.push(`${rel}: ${field} is not readable`);
            else if ((fp.editable === 'true') !== editable)
                problems.push(`${rel}: ${field} should be ${editable ? 'editable' : 'read-only'}`);
        }
        for (const field of fields.keys()) {
            if (field.startsWith('Activity.'))
                problems.push(`${rel}: ${field} must be named Task.X and Event.X`);
        }
        const objects = new Map((ps.objectPermissions ?? []).map((op) => [String(op.object), op]));
        for (const object of Object.keys(exports.DATA_MODEL.objects)) {
            const op = objects.get(object);
            if (!op)
                problems.push(`${rel}: no objectPermissions for ${object}`);
            else if (op.allowRead !== 'true')
                problems.push(`${rel}: ${object} is not readable`);
            else if ((op.allowEdit === 'true') !== editable || (op.allowCreate === 'true') !== editable)
                problems.push(`${rel}: ${object} should be ${editable ? 'creatable and editable' : 'read-only'}`);
        }
        const classes = (ps.classAccesses ?? []);
        if (!classes.some((c) => c.apexClass === exports.PANEL_CONTROLLER && c.enabled === 'true'))
            problems.push(`${rel}: no classAccesses for ${exports.PANEL_CONTROLLER}`);
    }
    return problems;
}
/** Check 5: what the components refer to is in the package. */
function checkReferences(convertedDir, types) {
    const problems = [];
    const has = (type, member) => types.get(type)?.has(member) ?? false;
    const lwcDir = node_path_1.default.join(convertedDir, 'lwc');
    if (node_fs_1.default.existsSync(lwcDir)) {
        for (const file of listFiles(lwcDir, (f) => f.endsWith('.js'))) {
            const rel = node_path_1.default.relative(convertedDir, file);
            const source = node_fs_1.default.readFileSync(file, 'utf8');
            for (const [, cls] of source.matchAll(/@salesforce\/apex\/(\w+)\.\w+/g)) {
                if (!has('ApexClass', cls))
                    problems.push(`${rel}: imports Apex class ${cls}, which is not in the package`);
            }
            for (const [, label] of source.matchAll(/@salesforce\/label\/c\.(\w+)/g)) {
                if (!has('CustomLabel', label))
                    problems.push(`${rel}: imports custom label ${label}, which is not defined`);
            }
        }
    }
    const flexiDir = node_path_1.default.join(convertedDir, 'flexipages');
    if (node_fs_1.default.existsSync(flexiDir)) {
        for (const file of listFiles(flexiDir, (f) => f.endsWith('.flexipage'))) {
            const rel = node_path_1.default.relative(convertedDir, file);
            const xml = node_fs_1.default.readFileSync(file, 'utf8');
            for (const [, name] of xml.matchAll(/<componentName>([^<:]+)<\/componentName>/g)) {
                if (!has('LightningComponentBundle', name))
                    problems.push(`${rel}: uses component ${name}, not in the package`);
            }
        }
    }
    const reportsDir = node_path_1.default.join(convertedDir, 'reports');
    if (node_fs_1.default.existsSync(reportsDir)) {
        for (const file of listFiles(reportsDir, (f) => f.endsWith('.report'))) {
            const rel = node_path_1.default.relative(convertedDir, file);
            const reportType = String(parseXml(file).Report?.reportType ?? '');
            if (reportType.endsWith('__c') && !has('ReportType', reportType.replace(/__c$/, '')))
                problems.push(`${rel}: report type ${reportType} is not in the package`);
        }
    }
    const dashboardsDir = node_path_1.default.join(convertedDir, 'dashboards');
    if (node_fs_1.default.existsSync(dashboardsDir)) {
        for (const file of listFiles(dashboardsDir, (f) => f.endsWith('.dashboard'))) {
            const rel = node_path_1.default.relative(convertedDir, file);
            for (const [, report] of node_fs_1.default.readFileSync(file, 'utf8').matchAll(/<report>([^<]+)<\/report>/g)) {
                if (!has('Report', report))
                    problems.push(`${rel}: uses report ${report}, which is not in the package`);
            }
        }
    }
    return problems;
}
/** Runs all checks on projectDir; the converted package goes to a temp dir that is removed afterwards. */
function validateMetadata(projectDir) {
    const checked = [];
    const problems = [];
    const wellFormed = checkWellFormed(projectDir);
    checked.push(`well-formed XML: ${wellFormed.files} files`);
    problems.push(...wellFormed.problems);
    const workDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'ctp-metadata-'));
    try {
        const outDir = node_path_1.default.join(workDir, 'mdapi');
        const convert = convertSource(projectDir, outDir);
        const packageXml = node_path_1.default.join(outDir, 'package.xml');
        if (convert.status !== 0 || !node_fs_1.default.existsSync(packageXml)) {
            problems.push(`sf project convert source failed (exit ${convert.status}): ${convert.output.trim()}`);
            return { ok: false, problems, checked, convert };
        }
        checked.push('sf project convert source: package.xml written');
        const types = readPackageXml(packageXml);
        problems.push(...checkPackage(types));
        checked.push(`package.xml: ${dataModelFieldMembers().length} data-model fields, ` +
            Object.entries(exports.EXPECTED_COMPONENTS)
                .map(([type, members]) => `${members.length} ${type}`)
                .join(', '));
        problems.push(...checkPermissionSets(outDir));
        checked.push(`permission sets: ${permissionSetFieldNames().length} field permissions, ` +
            `${Object.keys(exports.DATA_MODEL.objects).length} object permissions and ${exports.PANEL_CONTROLLER} in each of ` +
            Object.values(exports.PERMISSION_SETS).join(', '));
        problems.push(...checkReferences(outDir, types));
        checked.push('references: LWC → Apex and labels, FlexiPage → LWC, report → report type, dashboard → report');
        return { ok: problems.length === 0, problems, checked, convert };
    }
    finally {
        node_fs_1.default.rmSync(workDir, { recursive: true, force: true });
    }
}
function main(argv) {
    const arg = argv[0];
    if (arg === '--help' || arg === '-h') {
        process.stdout.write('Usage: node dist/scripts/validate-metadata.js [projectDir]\n' +
            'Validates force-app/ offline: well-formed XML, sf project convert source, package.xml contents,\n' +
            'permission sets and component references. Exits 1 and names the file when something is wrong.\n');
        return 0;
    }
    const projectDir = node_path_1.default.resolve(arg ?? (0, project_root_1.projectRoot)());
    if (!node_fs_1.default.existsSync(node_path_1.default.join(projectDir, 'sfdx-project.json'))) {
        process.stderr.write(`validate-metadata: ${projectDir} has no sfdx-project.json; pass the project folder\n`);
        return 2;
    }
    const report = validateMetadata(projectDir);
    for (const line of report.checked)
        process.stdout.write(`checked ${line}\n`);
    if (report.ok) {
        process.stdout.write('metadata OK\n');
        return 0;
    }
    for (const problem of report.problems)
        process.stderr.write(`problem: ${problem}\n`);
    process.stderr.write(`metadata validation failed: ${report.problems.length} problem(s)\n`);
    return 1;
}
if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
//# sourceMappingURL=validate-metadata.js.map