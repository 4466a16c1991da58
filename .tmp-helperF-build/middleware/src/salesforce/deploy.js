"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DeployError = exports.INTEGRATION_PERMISSION_SET = void 0;
exports.differences = differences;
exports.mergePermissionSet = mergePermissionSet;
exports.deploySteps = deploySteps;
exports.deploy = deploy;
const gateway_1 = require("./gateway");
const force_app_source_1 = require("./force-app-source");
/**
 * `call-touchpoints deploy`: brings the org's Activity fields, custom objects and the integration
 * permission set in line with force-app/ through the Metadata API (CRUD calls: upsertMetadata /
 * readMetadata). Compares before writing, so a second run writes nothing; reads back after writing
 * to verify; merges our field permissions into the permission set without dropping any it has.
 */
exports.INTEGRATION_PERMISSION_SET = 'Call_Touchpoints_Integration';
class DeployError extends Error {
}
exports.DeployError = DeployError;
const PERMISSION_HELP = 'The Salesforce user cannot change metadata. Give it the "Customize Application" and "Modify Metadata ' +
    'Through Metadata API Functions" permissions (or "Modify All Data"), or deploy as an admin.';
function isPermissionProblem(code, message) {
    return /INSUFFICIENT_ACCESS|INSUFFICIENT_PRIVILEGES|API_DISABLED_FOR_ORG/.test(code) || /ModifyAllData|Customize Application|insufficient access/i.test(message);
}
// ---------------------------------------------------------------- comparison
function leaf(v) {
    if (v === undefined || v === null)
        return undefined;
    if (typeof v === 'object')
        return undefined;
    return String(v).replace(/\s+/g, ' ').trim();
}
/**
 * Where `actual` (as read from the org) differs from `desired` (as in force-app/). Only what we
 * declare is compared: the org may add defaults. An absent boolean counts as false.
 */
function differences(desired, actual, at = '') {
    if (typeof desired === 'string') {
        const a = leaf(actual);
        if (a === desired || (a === undefined && desired === 'false'))
            return [];
        return [`${at || 'value'}: ${a === undefined ? 'missing' : JSON.stringify(a)} → ${JSON.stringify(desired)}`];
    }
    if (Array.isArray(desired)) {
        const list = Array.isArray(actual) ? actual : actual === undefined || actual === null ? [] : [actual];
        if (list.length < desired.length)
            return [`${at}: ${list.length} entries → ${desired.length}`];
        return desired.flatMap((d, i) => differences(d, list[i], `${at}[${i}]`));
    }
    const obj = actual && typeof actual === 'object' ? actual : {};
    return Object.entries(desired).flatMap(([k, v]) => differences(v, obj[k], at ? `${at}.${k}` : k));
}
// ---------------------------------------------------------------- permission set merge
const FIELD_FLAGS = ['editable', 'readable'];
const OBJECT_FLAGS = ['allowCreate', 'allowDelete', 'allowEdit', 'allowRead', 'modifyAllRecords', 'viewAllRecords'];
function asList(v) {
    if (Array.isArray(v))
        return v;
    return v && typeof v === 'object' ? [v] : [];
}
function mergeEntries(existing, ours, keyName, flags) {
    const merged = existing.map((e) => ({ ...e }));
    const changes = [];
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
function mergePermissionSet(ours, existing, keepField) {
    const ourFields = asList(ours.fieldPermissions).filter((p) => keepField(String(p.field)));
    const ourObjects = asList(ours.objectPermissions);
    const base = existing
        ? { ...existing }
        : { fullName: ours.fullName, label: ours.label, description: ours.description, hasActivationRequired: ours.hasActivationRequired };
    const f = mergeEntries(asList(existing?.fieldPermissions), ourFields, 'field', FIELD_FLAGS);
    const o = mergeEntries(asList(existing?.objectPermissions), ourObjects, 'object', OBJECT_FLAGS);
    base.fieldPermissions = f.merged;
    base.objectPermissions = o.merged;
    const changes = [...(existing ? [] : ['create permission set']), ...f.changes, ...o.changes];
    return { merged: base, changes };
}
/** BizibleId__c first (vendors need it), then our objects and their fields, then the rest of Activity. */
function deploySteps(source, bizibleIdField = 'BizibleId__c') {
    const ownBizibleId = bizibleIdField === 'BizibleId__c';
    const isBizibleId = (c) => c.fullName === 'Activity.BizibleId__c';
    const steps = [];
    if (ownBizibleId)
        steps.push({ label: 'BizibleId field', type: 'CustomField', components: source.activityFields.filter(isBizibleId) });
    steps.push({ label: 'custom objects', type: 'CustomObject', components: source.objects.map((o) => o.object) });
    for (const o of source.objects)
        steps.push({ label: `${o.object.fullName} fields`, type: 'CustomField', components: o.fields });
    steps.push({ label: 'Activity fields', type: 'CustomField', components: source.activityFields.filter((c) => !isBizibleId(c)) });
    return { steps, skipped: ownBizibleId ? [] : source.activityFields.filter(isBizibleId) };
}
/** `Task.X__c` / `Event.X__c` in a permission set stand for `Activity.X__c` (design §3). */
function permissionFieldSource(field) {
    return field.replace(/^(Task|Event)\./, 'Activity.');
}
async function deploy(gateway, opts = {}) {
    const print = opts.print ?? (() => undefined);
    const source = (0, force_app_source_1.readForceApp)(opts.root);
    const { steps, skipped } = deploySteps(source, opts.bizibleIdField);
    const before = gateway.requestCount('metadata');
    const components = [];
    const report = (r) => {
        components.push(r);
        print(`  ${r.status.padEnd(10)} ${r.type} ${r.fullName}${r.detail ? ` — ${r.detail}` : ''}`);
    };
    for (const c of skipped) {
        report({ type: c.type, fullName: c.fullName, status: 'skipped', detail: `the org's Task field is ${opts.bizibleIdField} (BIZIBLE_ID_FIELD)` });
    }
    const skippedNames = new Set(skipped.map((c) => c.fullName));
    try {
        for (const step of steps) {
            if (step.components.length === 0)
                continue;
            print(`${opts.check ? 'Checking' : 'Deploying'} ${step.label}`);
            const existing = await gateway.readMetadata(step.type, step.components.map((c) => c.fullName));
            const todo = [];
            step.components.forEach((c, i) => {
                const diff = existing[i] ? differences(c.metadata, existing[i]) : ['missing'];
                if (diff.length === 0)
                    report({ type: c.type, fullName: c.fullName, status: 'up to date' });
                else
                    todo.push({ c, created: !existing[i], diff });
            });
            if (opts.check) {
                for (const t of todo) {
                    report({ type: t.c.type, fullName: t.c.fullName, status: t.created ? 'missing' : 'different', detail: t.created ? undefined : t.diff.slice(0, 3).join('; ') });
                }
                continue;
            }
            if (todo.length === 0)
                continue;
            await writeAndVerify(gateway, step.type, todo.map((t) => ({ fullName: t.c.fullName, metadata: t.c.metadata, created: t.created })), report);
        }
        for (const ps of source.permissionSets.filter((p) => p.fullName === exports.INTEGRATION_PERMISSION_SET)) {
            print(`${opts.check ? 'Checking' : 'Deploying'} field-level security (permission set ${ps.fullName})`);
            const [existing] = await gateway.readMetadata('PermissionSet', [ps.fullName]);
            const keep = (field) => !skippedNames.has(permissionFieldSource(field));
            const { merged, changes } = mergePermissionSet(ps.metadata, existing, keep);
            if (changes.length === 0) {
                report({ type: 'PermissionSet', fullName: ps.fullName, status: 'up to date' });
            }
            else if (opts.check) {
                report({ type: 'PermissionSet', fullName: ps.fullName, status: existing ? 'different' : 'missing', detail: summarize(changes) });
            }
            else {
                await writeAndVerify(gateway, 'PermissionSet', [{ fullName: ps.fullName, metadata: merged, created: !existing, detail: summarize(changes) }], report, (readBack) => mergePermissionSet(ps.metadata, readBack, keep).changes);
            }
        }
    }
    catch (err) {
        if (err instanceof gateway_1.SalesforceApiError && isPermissionProblem(err.code, err.message))
            throw new DeployError(PERMISSION_HELP);
        throw err;
    }
    const upToDate = components.every((c) => c.status === 'up to date' || c.status === 'skipped');
    return { components, upToDate, metadataRequests: gateway.requestCount('metadata') - before };
}
function summarize(changes) {
    return changes.length <= 3 ? changes.join(', ') : `${changes.slice(0, 3).join(', ')} and ${changes.length - 3} more`;
}
async function writeAndVerify(gateway, type, items, report, verify = () => []) {
    const results = await gateway.upsertMetadata(type, items.map((i) => i.metadata));
    const failed = results.filter((r) => !r.success);
    if (failed.length > 0) {
        const first = failed[0].errors[0] ?? { statusCode: 'UNKNOWN', message: 'no detail' };
        if (isPermissionProblem(first.statusCode, first.message))
            throw new DeployError(PERMISSION_HELP);
        throw new DeployError(`Metadata API rejected ${failed.map((f) => `${type} ${f.fullName}`).join(', ')}: ${first.statusCode}: ${first.message}`);
    }
    const readBack = await gateway.readMetadata(type, items.map((i) => i.fullName));
    items.forEach((item, i) => {
        const back = readBack[i];
        const diff = !back ? ['not found after upsert'] : type === 'PermissionSet' ? verify(back) : differences(item.metadata, back);
        if (diff.length > 0)
            throw new DeployError(`${type} ${item.fullName} does not match force-app/ after the upsert: ${diff.slice(0, 3).join('; ')}`);
        report({ type, fullName: item.fullName, status: item.created ? 'created' : 'updated', detail: item.detail });
    });
}
//# sourceMappingURL=deploy.js.map