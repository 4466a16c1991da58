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
 * The record page card of the Task panel and the Opportunity component: title, icon, refresh button,
 * and — instead of the parent's content (the default slot) — what the card says when it has none: no
 * record to show (`empty`), the wire still loading (`loading`), the server call failed (`error`), or
 * the server answered with a state to explain (`message`: what happened and the next step). One child
 * for both, as lwc-recipes' errorPanel serves its recipes; the parent keeps its texts (labels) and
 * renders its content only when it has some (in synthetic shadow a parent renders slotted content
 * even where the slot is not shown).
 */
export default class TouchpointCard extends LightningElement {
  @api cardTitle;
  @api iconName;
  /** The refresh button's alternative text and tooltip. */
  @api refreshLabel;
  @api refreshDisabled = false;
  /** `medium` (the Task panel, a narrow column) or `small` (the Opportunity table, which wants the width). */
  @api bodySpacing = 'medium';
  /**
   * What to show instead of the content, or null to show the content: `{ variant, heading, detail,
   * nextStep, state }` — variant `empty`, `loading`, `error` or `message`; heading the line the user
   * reads (the empty text, the spinner's alternative text, the error or state title); detail and
   * nextStep (optional) of a message; state the server's state name (data-state).
   */
  @api cardState;
  /** The wire's or Apex's error: its message is the error's detail. */
  @api errors;

  labels = { errorNextStep, nextStepHeading };

  get bodyClass() {
    return `slds-p-horizontal_${this.bodySpacing}`;
  }

  get variant() {
    return this.cardState ? this.cardState.variant : null;
  }

  get isEmpty() {
    return this.variant === 'empty';
  }

  get isLoading() {
    return this.variant === 'loading';
  }

  get isError() {
    return this.variant === 'error';
  }

  get isMessage() {
    return this.variant === 'message';
  }

  get errorDetail() {
    return errorText(this.errors);
  }

  /** The parent asks the server again (refreshApex) on `refresh`. */
  handleRefresh() {
    this.dispatchEvent(new CustomEvent('refresh'));
  }
}
