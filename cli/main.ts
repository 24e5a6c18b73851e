import { Command, CommanderError } from 'commander';
import { isCliFailure } from './failure';

type RegisterCommands = (program: Command) => void;

/**
 * The areas of the command tree (server, sie, contract, backup, …), each registering its own
 * subcommands from its own module, with the top-level commands it owns. A module is imported
 * only when its command runs (or for help), so `nyckel contract list` does not load the server,
 * its databases or the SIE engine: each CLI start costs about half as much.
 */
const AREAS: readonly { commands: readonly string[]; load: () => Promise<RegisterCommands> }[] = [
  {
    commands: ['server'],
    load: async () => (await import('./commands/server')).registerServerCommand,
  },
  { commands: ['sie'], load: async () => (await import('./commands/sie')).registerSieCommands },
  {
    commands: ['account'],
    load: async () => (await import('./commands/account')).registerAccountCommands,
  },
  { commands: ['org'], load: async () => (await import('./commands/org')).registerOrgCommands },
  {
    commands: ['admin'],
    load: async () => (await import('./commands/admin')).registerAdminCommands,
  },
  {
    commands: ['upload', 'years', 'benchmark'],
    load: async () => (await import('./commands/finance')).registerFinanceCommands,
  },
  {
    commands: ['contract'],
    load: async () => (await import('./commands/contract')).registerContractCommands,
  },
  {
    commands: ['backup', 'restore'],
    load: async () => (await import('./commands/backup')).registerBackupCommands,
  },
];

/**
 * Builds the `nyckel` command tree for these arguments: only the area of the command given,
 * or every area when none of theirs is named (help, a mistyped command), so help and
 * "unknown command" suggestions stay complete.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command()
    .name('nyckel')
    .description('Nyckel: privacy-first financial benchmarking for Swedish companies')
    .showHelpAfterError()
    .exitOverride();
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const chosen = AREAS.filter((area) => named !== undefined && area.commands.includes(named));
  const areas = chosen.length > 0 ? chosen : AREAS;
  for (const register of await Promise.all(areas.map((area) => area.load()))) register(program);
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit with code 0; usage errors with 1.
      return error.exitCode;
    }
    process.stderr.write(`nyckel: ${error instanceof Error ? error.message : String(error)}\n`);
    return isCliFailure(error) ? error.exitCode : 1;
  }
}
