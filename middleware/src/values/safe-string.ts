import { z } from 'zod';
import { textProblem } from './clean-text';

/**
 * A zod string refused when it cannot be stored as it is (values/clean-text.ts textProblem): the
 * refuse-at-the-door half of the one door, for fields where a control character can only mean a
 * client that is not ours (a browser's location.href has them percent-encoded).
 */
export function safeString(opts: { multiLine?: boolean } = {}) {
  return z.string().superRefine((v, ctx) => {
    const problem = textProblem(v, opts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
  });
}
