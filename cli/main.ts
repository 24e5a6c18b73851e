import { Command, CommanderError } from 'commander';
import { registerServerCommand } from './commands/server';
import { registerSieCommands } from './commands/sie';
import { registerAccountCommands } from './commands/account';
import { registerOrgCommands } from './commands/org';
import { registerAdminCommands } from './commands/admin';
import { registerFinanceCommands } from './commands/finance';
import { registerContractCommands } from './commands/contract';
import { registerBackupCommands } from './commands/backup';
import { isCliFailure } from './failure';

/**
 * Builds the `nyckel` command tree. Each area (server, sie, contract, backup, …) registers
 * its own subcommands from its own module.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('nyckel')
    .description('Nyckel: privacy-first financial benchmarking for Swedish companies')
    .showHelpAfterError()
    .exitOverride();
  registerServerCommand(program);
  registerSieCommands(program);
  registerAccountCommands(program);
  registerOrgCommands(program);
  registerAdminCommands(program);
  registerFinanceCommands(program);
  registerContractCommands(program);
  registerBackupCommands(program);
  return program;
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
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
