// Runs a parse that makes Errors it throws away without capturing their stack traces.

/**
 * Runs `work` with stack traces off. The `yaml` package makes an Error for every problem it meets in a document, and
 * capturing their stacks (which nothing reads: the readers keep only the nodes) was most of the time a broken file
 * took to read (a line of 100,000 quotes in a compose file: tens of thousands of errors, 0.6 s instead of 0.3 s).
 */
export function withoutStackTraces<T>(work: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
