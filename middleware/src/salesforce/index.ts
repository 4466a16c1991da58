/** The Salesforce edge: connection, gateway (all API calls), deploy and the join runner. */
export {
  connect,
  describeOrg,
  hasOrgConfig,
  ConnectionError,
  SF_ENV_HELP,
  API_VERSION,
  type OrgConnection,
} from './connection';
export {
  Gateway,
  SalesforceApiError,
  COLLECTION_SIZE,
  type GatewayOptions,
  type RecordResult,
} from './gateway';
export { soqlString, soqlDateTime, soqlList } from './soql';
export { deploy, DeployError, INTEGRATION_PERMISSION_SET, type DeployResult } from './deploy';
export {
  runJoinOnce,
  formatSummary,
  WATERMARK_OVERLAP_MS,
  JoinSetupError,
  type JoinDeps,
  type JoinSummary,
} from './join-runner';
export { startJoinWatch, type JoinWatch } from './join-watch';
