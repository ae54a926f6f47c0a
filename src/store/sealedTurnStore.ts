import { FieldCipher } from './fieldCrypto';
import type { MessageRow, StateRow, TurnEnd, TurnStart, TurnStore } from './turnStore';

/**
 * The turn's own statements with personal data sealed, as the Prisma extension (sealedFields.ts) does
 * for everything else: the transcript's text (the customer's words, the bot's echo of a phone or an
 * address) and the conversation's state item (a dialog's remembered answers). One seal per message
 * and state write, one open per state read: a turn opens nothing else.
 */
export class SealedTurnStore implements TurnStore {
  constructor(
    private readonly inner: TurnStore,
    private readonly cipher: FieldCipher,
  ) {}

  private sealRow(row: MessageRow): MessageRow {
    return row.text ? { ...row, text: this.cipher.seal(row.text) } : row;
  }

  private openState(row: StateRow): StateRow {
    return FieldCipher.isSealed(row.data) ? { ...row, data: this.cipher.open(row.data) } : row;
  }

  async beginTurn(inbound: MessageRow, stateKey: string | null): Promise<TurnStart> {
    const start = await this.inner.beginTurn(this.sealRow(inbound), stateKey);
    return start.state ? { ...start, state: this.openState(start.state) } : start;
  }

  finishTurn(end: TurnEnd): Promise<void> {
    return this.inner.finishTurn({
      ...end,
      replies: end.replies.map((r) => this.sealRow(r)),
      state: end.state && { key: end.state.key, data: this.cipher.seal(end.state.data) },
    });
  }

  async readState(keys: string[]): Promise<StateRow[]> {
    return (await this.inner.readState(keys)).map((r) => this.openState(r));
  }

  upsertState(key: string, data: string, now: Date): Promise<void> {
    return this.inner.upsertState(key, this.cipher.seal(data), now);
  }

  updateState(key: string, data: string, etag: number, now: Date): Promise<boolean> {
    return this.inner.updateState(key, this.cipher.seal(data), etag, now);
  }

  insertStateIfAbsent(key: string, data: string, now: Date): Promise<boolean> {
    return this.inner.insertStateIfAbsent(key, this.cipher.seal(data), now);
  }

  deleteState(keys: string[]): Promise<void> {
    return this.inner.deleteState(keys);
  }

  insertMessages(rows: MessageRow[]): Promise<number> {
    return this.inner.insertMessages(rows.map((r) => this.sealRow(r)));
  }

  answered(conversationId: string, activityId: string): Promise<boolean> {
    return this.inner.answered(conversationId, activityId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
