/**
 * Informational numbers from a test (timings, counts, a fuzz run's summary): written to stdout only
 * with TEST_NOTES=1, and never as jest's "● Console" blocks, so a passing run stays quiet (issue 27).
 * Skipped suites and real warnings stay on console.log / console.warn, where they are seen.
 */
export function note(line: string): void {
  if (process.env.TEST_NOTES === '1') process.stdout.write(`note: ${line}\n`);
}
