/**
 * The standard objects the product, jsforce clients and the Salesforce CLI touch, with their standard fields
 * as Salesforce publishes them in the "Object Reference for the Salesforce Platform" (Account, Contact, Lead,
 * Opportunity, OpportunityContactRole, Task, Event, User, Organization, Profile, PermissionSet,
 * PermissionSetAssignment): names,
 * types, lengths, picklist values of a new org, and the child relationship names describe lists.
 */
import {
  type FieldDef,
  computedName,
  field,
  lookup,
  objectDef,
  owner,
  system,
  type ObjectDef,
} from './schema';

const ACTIVITY_WHO = ['Contact', 'Lead'];
const ACTIVITY_WHAT = ['Account', 'Opportunity'];

/** Read-only on every API (Organization, Profile): describe says so and DML is refused. */
const readOnly = (f: FieldDef): FieldDef => ({ ...f, createable: false, updateable: false });
const readOnlyObject = (def: ObjectDef): ObjectDef => ({ ...def, writable: false });

/** The components and, read-only, the compound field (BillingAddress; Lead and User: Address) — values.ts. */
const address = (prefix: string): FieldDef[] => [
  field(`${prefix}Street`, 'textarea', { length: 255 }),
  field(`${prefix}City`, 'string', { length: 40 }),
  field(`${prefix}State`, 'string', { length: 80 }),
  field(`${prefix}PostalCode`, 'string', { length: 20 }),
  field(`${prefix}Country`, 'string', { length: 80 }),
  readOnly(field(`${prefix}Address`, 'address', { length: 0 })),
];

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];

export function standardObjects(): ObjectDef[] {
  return [
    objectDef('Account', '001', 'Account', 'Accounts', [
      field('Name', 'string', { nillable: false }),
      field('Type', 'picklist', {
        values: [
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ],
      }),
      lookup('ParentId', ['Account'], 'Parent', {}, 'ChildAccounts'),
      ...address('Billing'),
      ...address('Shipping'),
      field('Phone', 'phone'),
      field('Fax', 'phone'),
      field('AccountNumber', 'string', { length: 40 }),
      field('Website', 'url'),
      field('Site', 'string', { length: 80 }),
      field('Industry', 'picklist', { values: INDUSTRIES }),
      field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
      field('NumberOfEmployees', 'int', { precision: 8 }),
      field('Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
      field('AccountSource', 'picklist', { values: LEAD_SOURCES }),
      field('Description', 'textarea'),
      field('Sic', 'string', { length: 20 }),
      field('SicDesc', 'string', { length: 80 }),
      field('Ownership', 'picklist', { values: ['Public', 'Private', 'Subsidiary', 'Other'] }),
      field('TickerSymbol', 'string', { length: 20 }),
      field('Jigsaw', 'string', { length: 20 }),
      readOnly(field('JigsawCompanyId', 'string', { length: 20 })),
      // Set by the platform from the account's activities (Object Reference: "LastActivityDate"); never written.
      readOnly(field('LastActivityDate', 'date')),
      owner(),
    ]),
    objectDef('Contact', '003', 'Contact', 'Contacts', [
      field('FirstName', 'string', { length: 40 }),
      field('LastName', 'string', { length: 80, nillable: false }),
      computedName(),
      field('Title', 'string', { length: 128 }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone'),
      ...address('Mailing'),
      field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
      lookup('AccountId', ['Account'], 'Account', {}, 'Contacts'),
      field('Description', 'textarea'),
      owner(),
    ]),
    objectDef('Lead', '00Q', 'Lead', 'Leads', [
      field('FirstName', 'string', { length: 40 }),
      field('LastName', 'string', { length: 80, nillable: false }),
      computedName(),
      field('Title', 'string', { length: 128 }),
      field('Company', 'string', { nillable: false }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone'),
      ...address(''),
      field('Industry', 'picklist', { values: INDUSTRIES }),
      field('NumberOfEmployees', 'int', { precision: 8 }),
      field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
      field('Status', 'picklist', {
        nillable: false,
        values: [
          'Open - Not Contacted',
          'Working - Contacted',
          'Closed - Converted',
          'Closed - Not Converted',
        ],
        default: 'Open - Not Contacted',
      }),
      field('IsConverted', 'boolean', { nillable: false, defaultValue: false, defaultedOnCreate: true }),
      // Set by convertLead only (leadConvert.ts; Object Reference, Lead).
      readOnly(lookup('ConvertedAccountId', ['Account'], 'ConvertedAccount')),
      readOnly(lookup('ConvertedContactId', ['Contact'], 'ConvertedContact')),
      readOnly(lookup('ConvertedOpportunityId', ['Opportunity'], 'ConvertedOpportunity')),
      readOnly(field('ConvertedDate', 'date')),
      field('Description', 'textarea'),
      owner(),
    ]),
    objectDef('Opportunity', '006', 'Opportunity', 'Opportunities', [
      field('Name', 'string', { length: 120, nillable: false }),
      lookup('AccountId', ['Account'], 'Account', {}, 'Opportunities'),
      field('Amount', 'currency', { precision: 18, scale: 2 }),
      field('CloseDate', 'date', { nillable: false }),
      field('StageName', 'picklist', {
        nillable: false,
        values: [
          'Prospecting',
          'Qualification',
          'Needs Analysis',
          'Value Proposition',
          'Id. Decision Makers',
          'Perception Analysis',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
        ],
      }),
      field('Probability', 'percent', { precision: 3, scale: 0 }),
      field('Type', 'picklist', { values: ['Existing Business', 'New Business'] }),
      field('LeadSource', 'picklist', { values: LEAD_SOURCES }),
      field('NextStep', 'string', { length: 255 }),
      // Derived from StageName, never set directly (opportunityRules.ts).
      readOnly(
        field('IsClosed', 'boolean', { nillable: false, defaultValue: false, defaultedOnCreate: true }),
      ),
      readOnly(field('IsWon', 'boolean', { nillable: false, defaultValue: false, defaultedOnCreate: true })),
      field('ForecastCategoryName', 'picklist', {
        values: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
      }),
      field('Description', 'textarea'),
      owner(),
    ]),
    // Object Reference, OpportunityContactRole: OpportunityId is set on create only; one primary per
    // Opportunity (opportunityRules.ts).
    objectDef('OpportunityContactRole', '00K', 'Opportunity Contact Role', 'Opportunity Contact Role', [
      lookup(
        'OpportunityId',
        ['Opportunity'],
        'Opportunity',
        { nillable: false, updateable: false },
        'OpportunityContactRoles',
      ),
      lookup('ContactId', ['Contact'], 'Contact', { nillable: false }, 'OpportunityContactRoles'),
      field('Role', 'picklist', {
        values: [
          'Business User',
          'Decision Maker',
          'Economic Buyer',
          'Economic Decision Maker',
          'Evaluator',
          'Executive Sponsor',
          'Influencer',
          'Technical Buyer',
          'Other',
        ],
      }),
      field('IsPrimary', 'boolean', { nillable: false, defaultValue: false, defaultedOnCreate: true }),
    ]),
    objectDef('Task', '00T', 'Task', 'Tasks', [
      field('Subject', 'combobox', { values: ['Call', 'Send Letter', 'Send Quote', 'Other'] }),
      field('Type', 'picklist', { values: ['Call', 'Email', 'Meeting', 'Other'] }),
      // Settable only on create (Task object reference, cited in join/task-fields.ts): an update that sets it
      // fails INVALID_FIELD_FOR_INSERT_UPDATE.
      field('TaskSubtype', 'picklist', {
        updateable: false,
        values: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
      }),
      field('CallType', 'picklist', {
        values: ['Inbound', 'Outbound', 'Internal'],
        restrictedPicklist: true,
      }),
      field('CallDurationInSeconds', 'int', { precision: 8 }),
      field('CallObject', 'string'),
      field('CallDisposition', 'string'),
      field('Description', 'textarea'),
      lookup('WhoId', ACTIVITY_WHO, 'Who', {}, 'Tasks'),
      lookup('WhatId', ACTIVITY_WHAT, 'What', {}, 'Tasks'),
      owner(),
      field('Status', 'picklist', {
        nillable: false,
        values: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        default: 'Not Started',
      }),
      // Read-only, from Status (Task object reference: "IsClosed … Indicates whether the task has been
      // completed"; a new org's closed status is Completed) — data.ts sets it on every save.
      readOnly(field('IsClosed', 'boolean', { nillable: false, defaultedOnCreate: true })),
      field('Priority', 'picklist', {
        nillable: false,
        values: ['High', 'Normal', 'Low'],
        default: 'Normal',
      }),
      field('ActivityDate', 'date'),
    ]),
    objectDef('Event', '00U', 'Event', 'Events', [
      field('Subject', 'combobox', { values: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'] }),
      field('Type', 'picklist', { values: ['Call', 'Email', 'Meeting', 'Other'] }),
      field('EventSubtype', 'picklist', { updateable: false, values: ['Event'] }),
      field('Description', 'textarea'),
      field('Location', 'string'),
      lookup('WhoId', ACTIVITY_WHO, 'Who', {}, 'Events'),
      lookup('WhatId', ACTIVITY_WHAT, 'What', {}, 'Events'),
      owner(),
      field('ActivityDate', 'date'),
      field('ActivityDateTime', 'datetime'),
      field('StartDateTime', 'datetime'),
      field('EndDateTime', 'datetime'),
      field('DurationInMinutes', 'int', { precision: 8 }),
    ]),
    // Closed tasks and past events of a record, read-only, reached as a sub-query (ActivityHistories of an
    // Account, Opportunity, Contact or Lead). Object Reference, "ActivityHistory": "This read-only object
    // displays information about each activity related to an object"; data.ts derives its rows from Task
    // and Event. It has no key prefix of its own: its ids are the Task's or Event's.
    readOnlyObject(
      objectDef('ActivityHistory', '', 'Activity History', 'Activity Histories', [
        field('Subject', 'string'),
        field('ActivityDate', 'date'),
        field('IsClosed', 'boolean', { nillable: false }),
        field('IsTask', 'boolean', { nillable: false }),
        field('ActivityType', 'string'),
        field('Status', 'string'),
        field('Description', 'textarea'),
        field('CallType', 'string'),
        field('CallDurationInSeconds', 'int', { precision: 8 }),
        lookup('WhoId', ACTIVITY_WHO, 'Who', {}, 'ActivityHistories'),
        lookup('WhatId', ACTIVITY_WHAT, 'What', {}, 'ActivityHistories'),
        lookup('OwnerId', ['User'], 'Owner'),
      ]),
    ),
    objectDef('User', '005', 'User', 'Users', [
      field('Username', 'string', { length: 80, nillable: false, unique: true }),
      field('FirstName', 'string', { length: 40 }),
      field('LastName', 'string', { length: 80, nillable: false }),
      computedName(),
      field('Alias', 'string', { length: 8 }),
      field('Email', 'email', { nillable: false }),
      field('IsActive', 'boolean', { nillable: false, defaultValue: true, defaultedOnCreate: true }),
      lookup('ProfileId', ['Profile'], 'Profile', {}, 'Users'),
      field('LanguageLocaleKey', 'picklist', { values: ['en_US'], default: 'en_US' }),
      field('TimeZoneSidKey', 'picklist', { values: ['GMT'], default: 'GMT' }),
    ]),
    readOnlyObject(
      objectDef(
        'Organization',
        '00D',
        'Organization',
        'Organizations',
        [
          field('Name', 'string', { length: 80 }),
          field('Division', 'string', { length: 80 }),
          ...address(''),
          field('Phone', 'phone'),
          field('OrganizationType', 'picklist', {
            values: ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition', 'Professional Edition'],
          }),
          field('InstanceName', 'string', { length: 5 }),
          field('IsSandbox', 'boolean', { nillable: false }),
          field('TrialExpirationDate', 'datetime'),
          field('NamespacePrefix', 'string', { length: 15 }),
          field('LanguageLocaleKey', 'picklist', { values: ['en_US'] }),
          field('DefaultLocaleSidKey', 'picklist', { values: ['en_US'] }),
          field('TimeZoneSidKey', 'picklist', { values: ['GMT'] }),
          field('IsReadOnly', 'boolean', { nillable: false }),
        ].map(readOnly),
      ),
    ),
    readOnlyObject(
      objectDef(
        'Profile',
        '00e',
        'Profile',
        'Profiles',
        [
          field('Name', 'string', { nillable: false }),
          field('Description', 'string'),
          field('UserType', 'picklist', { values: ['Standard'] }),
        ].map(readOnly),
      ),
    ),
    objectDef('PermissionSet', '0PS', 'Permission Set', 'Permission Sets', [
      field('Name', 'string', { length: 80, nillable: false, unique: true }),
      field('Label', 'string', { length: 80, nillable: false }),
      field('Description', 'string', { length: 255 }),
      // "Set Audit Fields upon Record Creation" (opportunityRules.ts).
      field('PermissionsCreateAuditFields', 'boolean', {
        nillable: false,
        defaultValue: false,
        defaultedOnCreate: true,
      }),
      system('IsOwnedByProfile', 'boolean'),
      system('IsCustom', 'boolean'),
      lookup('ProfileId', ['Profile'], 'Profile', { createable: false, updateable: false }),
    ]),
    objectDef('PermissionSetAssignment', '0Pa', 'Permission Set Assignment', 'Permission Set Assignments', [
      lookup(
        'AssigneeId',
        ['User'],
        'Assignee',
        { nillable: false, updateable: false },
        'PermissionSetAssignments',
      ),
      lookup(
        'PermissionSetId',
        ['PermissionSet'],
        'PermissionSet',
        { nillable: false, updateable: false },
        'Assignments',
      ),
      field('ExpirationDate', 'datetime'),
    ]),
  ];
}
