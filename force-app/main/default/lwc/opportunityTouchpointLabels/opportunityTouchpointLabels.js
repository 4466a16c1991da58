// Every user-facing text of the Opportunity component and its children, as custom labels so it can be
// translated. A shared module (no template), as lwc-recipes' ldsUtils and callTouchpointLabels.
import title from '@salesforce/label/c.OTP_Title';
import loading from '@salesforce/label/c.OTP_Loading';
import noRecord from '@salesforce/label/c.OTP_No_Record';
import model from '@salesforce/label/c.OTP_Model';
import modelFirstTouch from '@salesforce/label/c.OTP_Model_First_Touch';
import modelLeadCreation from '@salesforce/label/c.OTP_Model_Lead_Creation';
import modelUShaped from '@salesforce/label/c.OTP_Model_U_Shaped';
import modelWShaped from '@salesforce/label/c.OTP_Model_W_Shaped';
import modelFullPath from '@salesforce/label/c.OTP_Model_Full_Path';
import modelFirstTouchHelp from '@salesforce/label/c.OTP_Model_First_Touch_Help';
import modelLeadCreationHelp from '@salesforce/label/c.OTP_Model_Lead_Creation_Help';
import modelUShapedHelp from '@salesforce/label/c.OTP_Model_U_Shaped_Help';
import modelWShapedHelp from '@salesforce/label/c.OTP_Model_W_Shaped_Help';
import modelFullPathHelp from '@salesforce/label/c.OTP_Model_Full_Path_Help';
import columnTouchpoint from '@salesforce/label/c.OTP_Column_Touchpoint';
import columnCredit from '@salesforce/label/c.OTP_Column_Credit';
import columnRevenue from '@salesforce/label/c.OTP_Column_Revenue';
import total from '@salesforce/label/c.OTP_Total';
import positionFT from '@salesforce/label/c.OTP_Position_FT';
import positionLC from '@salesforce/label/c.OTP_Position_LC';
import positionOC from '@salesforce/label/c.OTP_Position_OC';
import positionClosed from '@salesforce/label/c.OTP_Position_Closed';
import positionPending from '@salesforce/label/c.OTP_Position_Pending';
import call from '@salesforce/label/c.OTP_Call';
import touchLine from '@salesforce/label/c.OTP_Touch_Line';
import person from '@salesforce/label/c.OTP_Person';
import detailMissing from '@salesforce/label/c.OTP_Detail_Missing';
import amount from '@salesforce/label/c.OTP_Amount';
import noAmount from '@salesforce/label/c.OTP_No_Amount';
import callsShare from '@salesforce/label/c.OTP_Calls_Share';
import callsShareNoRevenue from '@salesforce/label/c.OTP_Calls_Share_No_Revenue';
import noCalls from '@salesforce/label/c.OTP_No_Calls';
import truncated from '@salesforce/label/c.OTP_Truncated';
import emptyTitle from '@salesforce/label/c.OTP_Empty_Title';
import emptyDetail from '@salesforce/label/c.OTP_Empty_Detail';
import emptyNextStep from '@salesforce/label/c.OTP_Empty_Next_Step';
import errorTitle from '@salesforce/label/c.OTP_Error_Title';
import noAccessTitle from '@salesforce/label/c.OTP_No_Access_Title';
import noAccessDetail from '@salesforce/label/c.OTP_No_Access_Detail';
import notFoundTitle from '@salesforce/label/c.OTP_Not_Found_Title';
import notFoundDetail from '@salesforce/label/c.OTP_Not_Found_Detail';
// Shared with the Task panel: the same words for the same step.
import noAccessNextStep from '@salesforce/label/c.CTP_No_Access_Next_Step';
import refresh from '@salesforce/label/c.CTP_Refresh';

export default {
  title,
  loading,
  noRecord,
  model,
  modelFirstTouch,
  modelLeadCreation,
  modelUShaped,
  modelWShaped,
  modelFullPath,
  modelFirstTouchHelp,
  modelLeadCreationHelp,
  modelUShapedHelp,
  modelWShapedHelp,
  modelFullPathHelp,
  columnTouchpoint,
  columnCredit,
  columnRevenue,
  total,
  positionFT,
  positionLC,
  positionOC,
  positionClosed,
  positionPending,
  call,
  touchLine,
  person,
  detailMissing,
  amount,
  noAmount,
  callsShare,
  callsShareNoRevenue,
  noCalls,
  truncated,
  emptyTitle,
  emptyDetail,
  emptyNextStep,
  errorTitle,
  noAccessTitle,
  noAccessDetail,
  notFoundTitle,
  notFoundDetail,
  noAccessNextStep,
  refresh,
};
