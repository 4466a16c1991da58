/**
 * A mistake the user can fix (a setting, a file, an org's permissions): the message names what is
 * wrong and the fix, and the CLI prints it without a stack trace and exits with `exitCode`
 * (cli/errors.ts is the one place that maps errors to exit codes).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
