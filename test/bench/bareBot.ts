/**
 * The reference for bench:turns: a bare botbuilder bot (CloudAdapter + ConversationState on
 * MemoryStorage + a 2-step waterfall) on restify, with none of Kefu's store, transcript or i18n.
 * Run as its own process by test/bench/turns.ts; prints {"url"} when listening.
 */
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState } from 'botbuilder-dialogs';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const state = new ConversationState(new MemoryStorage());
const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
dialogs.add(new TextPrompt('text'));
dialogs.add(
  new WaterfallDialog('two-steps', [
    async (step) => step.prompt('text', 'Which language would you like me to use?'),
    async (step) => {
      await step.context.sendActivity(`Sure, I'll use ${String(step.result)} from now on.`);
      return step.endDialog();
    },
  ]),
);

async function turn(context: TurnContext): Promise<void> {
  if (context.activity.type === 'message') {
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog('two-steps');
  }
  await state.saveChanges(context);
}

const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.get('/healthz', async (_req, res) => {
  res.json({ status: 'ok' });
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, turn);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
