// Internal notes and a ticket from the chat, in the agent console (React 18; see console.jsx).
import React, { useState } from 'react';
import { T, api, fill } from './common';

/** Internal notes and a ticket from the chat: staff only, nothing reaches the customer. */
export function CaseTools({ chatId, onDone, onError }) {
  const [note, setNote] = useState('');
  const [draft, setDraft] = useState(null);
  const [saved, setSaved] = useState('');
  const addNote = () => {
    const text = note.trim();
    if (!text) return;
    api('POST', `/agent/api/chats/${chatId}/notes`, { text }).then(() => {
      setNote('');
      onDone();
    }, onError);
  };
  const openDraft = () => api('GET', `/agent/api/chats/${chatId}/ticket-draft`).then((d) => setDraft({ ...d, number: '' }), onError);
  const saveTicket = () =>
    api('POST', `/agent/api/chats/${chatId}/ticket`, { category: draft.category, summary: draft.summary, ...(draft.number ? { number: draft.number } : {}) }).then((r) => {
      setSaved(fill(r.ticket.created ? T.ticketOpened : T.ticketUpdated, { number: r.ticket.number }));
      setDraft(null);
      onDone();
    }, onError);
  return (
    <div className="tools">
      <div className="compose">
        <textarea aria-label={T.notes} placeholder={T.notePlaceholder} value={note} onChange={(e) => setNote(e.target.value)} />
        <button className="secondary" onClick={addNote}>
          {T.addNote}
        </button>
      </div>
      {!draft && (
        <button className="secondary" onClick={openDraft}>
          {T.ticketFromChat}
        </button>
      )}
      {saved && <div className="muted" role="status" data-testid="ticket-saved">{saved}</div>}
      {draft && (
        <form
          className="ticket-form"
          aria-label={T.ticketFromChat}
          onSubmit={(e) => {
            e.preventDefault();
            saveTicket();
          }}
        >
          <label>
            {T.ticketTarget}{' '}
            <select value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })}>
              <option value="">{T.newTicket}</option>
              {draft.openTickets.map((t) => (
                <option key={t.number} value={t.number}>
                  {t.number} · {T.categories[t.category] || t.category}
                </option>
              ))}
            </select>
          </label>
          {!draft.number && (
            <label>
              {T.ticketCategory}{' '}
              <select value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.target.value })}>
                {Object.keys(T.categories).map((c) => (
                  <option key={c} value={c}>
                    {T.categories[c]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <textarea aria-label={T.ticketSummary} value={draft.summary} onChange={(e) => setDraft({ ...draft, summary: e.target.value })} />
          <button type="submit">{T.saveTicket}</button>
          <button type="button" className="secondary" onClick={() => setDraft(null)}>
            {T.cancel}
          </button>
        </form>
      )}
    </div>
  );
}
