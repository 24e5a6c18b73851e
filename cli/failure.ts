/**
 * An error that ends the CLI with a specific exit code and a one-line message on stderr.
 * Exit codes: 1 usage or internal error, 2 a rejected input file (DESIGN §4 contract).
 */
export type CliFailure = Error & { exitCode: number };

export const cliFailure = (exitCode: number, message: string): CliFailure =>
  Object.assign(new Error(message.replace(/\s*\n\s*/g, ' ')), { exitCode });

export const isCliFailure = (error: unknown): error is CliFailure =>
  error instanceof Error && typeof (error as Partial<CliFailure>).exitCode === 'number';
