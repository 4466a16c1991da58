import { LightningElement, api } from 'lwc';
import errorNextStep from '@salesforce/label/c.CTP_Error_Next_Step';
import nextStepHeading from '@salesforce/label/c.CTP_Next_Step_Heading';

/** Apex errors carry body.message; wire/network errors may carry an array or only a status text. */
function errorText(error) {
  const body = error && error.body;
  if (Array.isArray(body)) {
    return body.map((item) => item.message).join(', ');
  }
  if (body && typeof body.message === 'string') {
    return body.message;
  }
  return (error && (error.statusText || error.message)) || '';
}

/**
 * What a record page card shows instead of its content: no record to show (`empty`), the wire still
 * loading (`loading`), the server call failed (`error`), or the server answered with a state to explain
 * (`message`: what happened and the next step). One child for the Task panel and the Opportunity
 * component, as lwc-recipes' errorPanel serves its recipes; the parent keeps its own texts (labels).
 */
export default class TouchpointCardState extends LightningElement {
  /** `empty`, `loading`, `error` or `message`. */
  @api variant;
  /** The line the user reads: the empty text, the spinner's alternative text, the error or state title. */
  @api heading;
  /** message: what happened. */
  @api detail;
  /** message: what to do next (none: no next-step heading either). */
  @api nextStep;
  /** message: the server's state name (data-state), as PanelData/OpportunityData.state. */
  @api state;
  /** error: the wire's or Apex's error; its message is the detail. */
  @api errors;

  labels = { errorNextStep, nextStepHeading };

  get isEmpty() {
    return this.variant === 'empty';
  }

  get isLoading() {
    return this.variant === 'loading';
  }

  get isError() {
    return this.variant === 'error';
  }

  get errorDetail() {
    return errorText(this.errors);
  }
}
