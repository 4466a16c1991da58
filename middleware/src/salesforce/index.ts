/** The Salesforce edge: connection, gateway (all API calls), deploy. The join is in ../join. */
export {
  connect,
  describeOrg,
  hasOrgConfig,
  ConnectionError,
  SF_ENV_HELP,
  API_VERSION,
  type OrgConnection,
} from './connection';
export { Gateway, COLLECTION_SIZE, type GatewayOptions } from './gateway';
export { SalesforceApiError, type RecordResult } from './port';
export { soqlString, soqlDateTime, soqlList } from './soql';
export { deploy, DeployError, INTEGRATION_PERMISSION_SET, type DeployResult } from './deploy';
