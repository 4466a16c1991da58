// What every LWC jest test does to mount a component and read it (jest.config.js maps `test/lwc` here,
// as lwc-recipes maps its force-app/test/jest-mocks). The teardown after each test — the document
// emptied, no error logged — is jest.lwc.setup.js's, so no test writes it again.
import { createElement } from 'lwc';

/** `Component` as `<tag>` in the document, its public properties set first, as a parent template sets them. */
export function mount(tag, Component, properties = {}) {
  const element = createElement(tag, { is: Component });
  Object.assign(element, properties);
  document.body.appendChild(element);
  return element;
}

/** Lets the component re-render after a wire emit, a property change or an event. */
export const flushPromises = () => Promise.resolve();

/** Matches of `selector` in the element's shadow tree and, through their shadow roots, its `c-` children's. */
export function all(element, selector) {
  const found = [];
  const visit = (root) => {
    found.push(...root.querySelectorAll(selector));
    root
      .querySelectorAll('*')
      .forEach((node) => node.shadowRoot && node.tagName.startsWith('C-') && visit(node.shadowRoot));
  };
  visit(element.shadowRoot);
  return found;
}

/** What a user reads in a node: its text, runs of white space as one space. */
export const clean = (node) => node.textContent.replace(/\s+/g, ' ').trim();

/** The text of the first match (see `all`), or null when there is none. */
export function text(element, selector) {
  const node = all(element, selector)[0];
  return node ? clean(node) : null;
}

/** The text of every match (see `all`). */
export function texts(element, selector) {
  return all(element, selector).map(clean);
}
