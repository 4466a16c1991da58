// Preview stand-in for `@salesforce/apex/OpportunityTouchpointsController.getTouchpoints`: the middleware's
// /opportunities/:id/touchpoints.json answers with what the Apex controller returns (web/opportunity-data.ts).
import { apexMethod } from './apex.js';

export default apexMethod('opportunityId', (id) => `/opportunities/${id}/touchpoints.json`);
