/**
 * Trains the intent models at install (npm's postinstall) and keeps them (src/nlu/modelCache.ts), so
 * the bot's first start reads them instead of training (bench:nlu: 3.5-3.8 s -> 2.2-2.3 s on the 2-core
 * machine). A failure here never fails the install: the bot then trains at its first start.
 */
import { LocalRecognizer } from '../nlu/localRecognizer';

new LocalRecognizer({ warmUpEntities: false })
  .init()
  .then(
    () => process.stdout.write('kefu: trained the intent models\n'),
    (err: unknown) => process.stderr.write(`kefu: the intent models were not trained at install (${err instanceof Error ? err.message : String(err)}); the bot trains them at its first start\n`),
  );
