// Every user-facing text of the Task panel and its children, as custom labels so the panel can be
// translated. A shared module (no template), as lwc-recipes' ldsUtils.
import title from '@salesforce/label/c.CTP_Panel_Title';
import loading from '@salesforce/label/c.CTP_Loading';
import refresh from '@salesforce/label/c.CTP_Refresh';
import noRecordTitle from '@salesforce/label/c.CTP_No_Record';
import errorTitle from '@salesforce/label/c.CTP_Error_Title';
import nextStepHeading from '@salesforce/label/c.CTP_Next_Step_Heading';
import summaryFrom from '@salesforce/label/c.CTP_Summary_From';
import callFallback from '@salesforce/label/c.CTP_Call_Fallback';
import unknownChannel from '@salesforce/label/c.CTP_Unknown_Channel';
import statusMerged from '@salesforce/label/c.CTP_Status_Merged';
import statusStandalone from '@salesforce/label/c.CTP_Status_Standalone';
import positionsHeading from '@salesforce/label/c.CTP_Positions';
import positionFtHelp from '@salesforce/label/c.CTP_Position_FT_Help';
import positionLcHelp from '@salesforce/label/c.CTP_Position_LC_Help';
import positionPostLcHelp from '@salesforce/label/c.CTP_Position_PostLC_Help';
import attributionHeading from '@salesforce/label/c.CTP_Attribution';
import firstTouch from '@salesforce/label/c.CTP_First_Touch';
import leadCreation from '@salesforce/label/c.CTP_Lead_Creation';
import uShaped from '@salesforce/label/c.CTP_U_Shaped';
import notSet from '@salesforce/label/c.CTP_Not_Set';
import linkedTo from '@salesforce/label/c.CTP_Linked_To';
import noPerson from '@salesforce/label/c.CTP_No_Person';
import person from '@salesforce/label/c.CTP_Person';
import joinReason from '@salesforce/label/c.CTP_Join_Reason';
import timelineHeading from '@salesforce/label/c.CTP_Timeline';
import sessionStarted from '@salesforce/label/c.CTP_Session_Started';
import landedOn from '@salesforce/label/c.CTP_Landed_On';
import unknownPage from '@salesforce/label/c.CTP_Unknown_Page';
import fromReferrer from '@salesforce/label/c.CTP_From_Referrer';
import noReferrer from '@salesforce/label/c.CTP_No_Referrer';
import taggedArrival from '@salesforce/label/c.CTP_Tagged_Arrival';
import lastActivity from '@salesforce/label/c.CTP_Last_Activity';
import pageActivity from '@salesforce/label/c.CTP_Page_Activity';
import callStep from '@salesforce/label/c.CTP_Call_Step';
import minutesLater from '@salesforce/label/c.CTP_Minutes_Later';
import sessionHeading from '@salesforce/label/c.CTP_Session_Details';
import utmSource from '@salesforce/label/c.CTP_UTM_Source';
import utmMedium from '@salesforce/label/c.CTP_UTM_Medium';
import utmCampaign from '@salesforce/label/c.CTP_UTM_Campaign';
import utmContent from '@salesforce/label/c.CTP_UTM_Content';
import utmTerm from '@salesforce/label/c.CTP_UTM_Term';
import clickId from '@salesforce/label/c.CTP_Click_Id';
import callTime from '@salesforce/label/c.CTP_Call_Time';
import openTouchpoint from '@salesforce/label/c.CTP_Open_Touchpoint';
import openSession from '@salesforce/label/c.CTP_Open_Web_Session';
import standaloneDetail from '@salesforce/label/c.CTP_Standalone_Detail';
import standaloneNextStep from '@salesforce/label/c.CTP_Standalone_Next_Step';
import automatedNextStep from '@salesforce/label/c.CTP_Automated_Next_Step';
import missingBizibleIdTitle from '@salesforce/label/c.CTP_Missing_BizibleId_Title';
import missingBizibleIdDetail from '@salesforce/label/c.CTP_Missing_BizibleId_Detail';
import missingBizibleIdNextStep from '@salesforce/label/c.CTP_Missing_BizibleId_Next_Step';
import pendingTitle from '@salesforce/label/c.CTP_Pending_Title';
import pendingDetail from '@salesforce/label/c.CTP_Pending_Detail';
import pendingNextStep from '@salesforce/label/c.CTP_Pending_Next_Step';
import noTouchpointTitle from '@salesforce/label/c.CTP_No_Touchpoint_Title';
import noTouchpointDetail from '@salesforce/label/c.CTP_No_Touchpoint_Detail';
import noTouchpointNextStep from '@salesforce/label/c.CTP_No_Touchpoint_Next_Step';
import noAccessTitle from '@salesforce/label/c.CTP_No_Access_Title';
import noAccessDetail from '@salesforce/label/c.CTP_No_Access_Detail';
import noAccessNextStep from '@salesforce/label/c.CTP_No_Access_Next_Step';
import notFoundTitle from '@salesforce/label/c.CTP_Not_Found_Title';
import notFoundDetail from '@salesforce/label/c.CTP_Not_Found_Detail';
import notFoundNextStep from '@salesforce/label/c.CTP_Not_Found_Next_Step';
import positionFt from '@salesforce/label/c.CTP_Position_FT';
import positionLc from '@salesforce/label/c.CTP_Position_LC';
import positionPostLc from '@salesforce/label/c.CTP_Position_PostLC';
import sentenceMerged from '@salesforce/label/c.CTP_Sentence_Merged';
import sentenceStandalone from '@salesforce/label/c.CTP_Sentence_Standalone';
import sentenceTouchpoint from '@salesforce/label/c.CTP_Sentence_Touchpoint';
import sentenceTouchpointCampaign from '@salesforce/label/c.CTP_Sentence_Touchpoint_Campaign';
import underAMinute from '@salesforce/label/c.CTP_Under_A_Minute';
import oneMinute from '@salesforce/label/c.CTP_One_Minute';
import minutes from '@salesforce/label/c.CTP_Minutes';
import hoursMinutes from '@salesforce/label/c.CTP_Hours_Minutes';
import lateNextStep from '@salesforce/label/c.CTP_Late_Next_Step';

export default {
  title,
  loading,
  refresh,
  noRecordTitle,
  errorTitle,
  nextStepHeading,
  summaryFrom,
  callFallback,
  unknownChannel,
  statusMerged,
  statusStandalone,
  positionsHeading,
  positionFtHelp,
  positionLcHelp,
  positionPostLcHelp,
  attributionHeading,
  firstTouch,
  leadCreation,
  uShaped,
  notSet,
  linkedTo,
  noPerson,
  person,
  joinReason,
  timelineHeading,
  sessionStarted,
  landedOn,
  unknownPage,
  fromReferrer,
  noReferrer,
  taggedArrival,
  lastActivity,
  pageActivity,
  callStep,
  minutesLater,
  sessionHeading,
  utmSource,
  utmMedium,
  utmCampaign,
  utmContent,
  utmTerm,
  clickId,
  callTime,
  openTouchpoint,
  openSession,
  standaloneDetail,
  standaloneNextStep,
  automatedNextStep,
  missingBizibleIdTitle,
  missingBizibleIdDetail,
  missingBizibleIdNextStep,
  pendingTitle,
  pendingDetail,
  pendingNextStep,
  noTouchpointTitle,
  noTouchpointDetail,
  noTouchpointNextStep,
  noAccessTitle,
  noAccessDetail,
  noAccessNextStep,
  notFoundTitle,
  notFoundDetail,
  notFoundNextStep,
  positionFt,
  positionLc,
  positionPostLc,
  sentenceMerged,
  sentenceStandalone,
  sentenceTouchpoint,
  sentenceTouchpointCampaign,
  underAMinute,
  oneMinute,
  minutes,
  hoursMinutes,
  lateNextStep,
};
