import fs from 'node:fs';
import { startApp } from './app';
import { ConfigError } from './config/schema';
import { loadConfig } from './config/config';
import { EXIT_CODES, StartError } from './startup/startErrors';

/** `npm start`: the bot, on the configured store (embedded SQLite with demo data by default). */
async function main(): Promise<void> {
  // A .env file in the working directory, if present, fills variables not already set.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await startApp(config);
  // The last line of defence: a bug reached by one request is logged and the bot goes on serving the
  // others, instead of every customer losing the bot. (Each such log line is a bug to fix.)
  process.on('uncaughtException', (err) => app.logger.error({ err }, 'uncaught exception: logged; the bot keeps serving'));
  process.on('unhandledRejection', (err) => app.logger.error({ err }, 'unhandled promise rejection: logged; the bot keeps serving'));
  // The banner is for the person at the terminal; a process manager or CI gets it as one JSON log line.
  await app.banner().then(
    (banner) => (process.stdout.isTTY ? process.stdout.write(`\n${banner.join('\n')}\n`) : app.logger.info({ banner }, 'kefu is ready')),
    (err: unknown) => app.logger.warn({ err }, 'the start banner could not be made'),
  );
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'shutting down: finishing in-flight turns');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        app.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

// What an operator can fix is said in a line (exit codes: src/startup/startErrors.ts); a bug gets its stack trace.
main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`kefu: ${err.message}\nSee .env.example for every variable and its default.\n`);
    process.exit(EXIT_CODES.config);
  }
  if (err instanceof StartError) {
    process.stderr.write(`kefu: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`kefu failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
