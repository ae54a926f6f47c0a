// The agent console (React 18, bundled by esbuild at start-up from node_modules: src/features/handoff/page.ts).
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { T, api, boot, fill } from './common';
import { CaseTools } from './caseTools';

function useSocket(onUpdate) {
  const [connected, setConnected] = useState(false);
  const socketRef = useRef(null);
  useEffect(() => {
    let stopped = false;
    let retry;
    const connect = () => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/ws`);
      socketRef.current = ws;
      ws.onopen = () => setConnected(true);
      ws.onmessage = (e) => onUpdate(JSON.parse(e.data));
      ws.onclose = () => {
        setConnected(false);
        if (!stopped) retry = setTimeout(connect, 2000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socketRef.current?.close();
    };
  }, [onUpdate]);
  const send = useCallback((msg) => {
    if (socketRef.current?.readyState === 1) socketRef.current.send(JSON.stringify(msg));
  }, []);
  return { connected, send };
}

function Queue({ items, onAccept }) {
  return (
    <section aria-label={T.queue}>
      <h2>{fill(T.queueCount, { count: items.length })}</h2>
      {items.length === 0 && <p className="muted">{T.queueEmpty}</p>}
      {items.map((item) => (
        <div className="item" key={item.id} data-testid="queue-item">
          <div>
            <strong>{item.customer?.name || T.guest}</strong> {item.queue === 'supervisors' && <span className="muted">· {T.supervisors}</span>}
          </div>
          <div className="muted">{T.reasons[item.reason] || item.reason} · {fill(T.waiting, { minutes: Math.floor(item.waitingSeconds / 60) })}</div>
          {item.reasonText && <div>“{item.reasonText}”</div>}
          <button onClick={() => onAccept(item.id)}>{T.accept}</button>
        </div>
      ))}
    </section>
  );
}

function Transcript({ messages }) {
  const end = useRef(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length]);
  return (
    <div className="transcript" data-testid="transcript">
      {messages.filter((m) => m.text || m.attachments).map((m, i) => (
        <div key={m.id || i} className={`msg ${m.from}`} data-from={m.from}>
          {m.text || (m.attachments ? T.attachment : '')}
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

/** At most one "I am typing" per this many ms (the server throttles too). */
const TYPING_EVERY_MS = 2500;

function Chat({ card, canned, onSend, onEnd, onTyping, customerTyping, watching, onTakeOver, onRefresh, onError }) {
  return (
    <section className="chat" aria-label={T.chat}>
      <h2>
        {card.customer?.name || T.guest} · {T.reasons[card.chat.reason] || card.chat.reason}
      </h2>
      {card.writtenWhileQueued.length > 0 && <div className="muted">{fill(T.writtenWhileQueued, { count: card.writtenWhileQueued.length })}</div>}
      <Transcript messages={card.transcript} />
      <div className="typing muted" data-testid="customer-typing" aria-live="polite">
        {customerTyping ? T.customerTyping : ''}
      </div>
      {watching ? (
        <div className="watching" data-testid="watching">
          <span className="muted">{T.watching}</span>{' '}
          {onTakeOver && <button onClick={onTakeOver}>{T.takeOver}</button>}
        </div>
      ) : (
        <ComposeArea card={card} canned={canned} onSend={onSend} onEnd={onEnd} onTyping={onTyping} onRefresh={onRefresh} onError={onError} />
      )}
    </section>
  );
}

function ComposeArea({ card, canned, onSend, onEnd, onTyping, onRefresh, onError }) {
  const [text, setText] = useState('');
  const composing = useRef(false);
  const lastTyping = useRef(0);
  const typed = (value) => {
    setText(value);
    const now = Date.now();
    if (value && now - lastTyping.current >= TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping();
    }
  };
  const submit = () => {
    const value = text.trim();
    if (!value) return;
    onSend(value);
    setText('');
  };
  return (
    <>
      <div className="canned">
        {canned.map((c) => (
          <button key={c.title} className="secondary" onClick={() => typed(c.text)}>
            {c.title}
          </button>
        ))}
      </div>
      <div className="compose">
        <textarea
          aria-label={T.message}
          placeholder={T.placeholder}
          value={text}
          onChange={(e) => typed(e.target.value)}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={() => (composing.current = false)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !composing.current && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button onClick={submit}>{T.send}</button>
        <button className="secondary" onClick={onEnd}>
          {T.end}
        </button>
      </div>
      <CaseTools chatId={card.chat.id} onDone={onRefresh} onError={onError} />
    </>
  );
}

function CaseCard({ card }) {
  const c = card.customer;
  return (
    <section aria-label={T.caseCard}>
      <h2>{T.caseCard}</h2>
      <dl>
        <dt>{T.customer}</dt>
        <dd>{c?.name || T.guest}</dd>
        <dt>{T.tier}</dt>
        <dd>{c ? `${c.tier} · ${c.points}` : '-'}</dd>
        <dt>{T.standing}</dt>
        <dd>{c?.valueClass ? `${T.valueClasses[c.valueClass]} · ${T.stages[c.stage]}` : '-'}</dd>
        <dt>{T.reason}</dt>
        <dd>{card.chat.reasonText || T.reasons[card.chat.reason]}</dd>
      </dl>
      <h2>{T.notes}</h2>
      {(card.notes || []).length === 0 && <p className="muted">{T.noNotes}</p>}
      {(card.notes || []).map((n) => (
        <div className="item note" key={n.id} data-testid="note">
          <span className="muted">{n.agentName}</span> {n.text}
        </div>
      ))}
      <h2>{T.orders}</h2>
      {card.orders.map((o) => (
        <div className="item" key={o.number}>
          {o.number} · {o.status}
        </div>
      ))}
      <h2>{T.tickets}</h2>
      {card.tickets.map((t) => (
        <div className="item" key={t.number}>
          {t.number} · {t.status}
          {t.contactPhone ? ` · ${T.callBack} ${t.contactPhone}` : ''}
        </div>
      ))}
    </section>
  );
}

function App() {
  const [queue, setQueue] = useState([]);
  const [chats, setChats] = useState([]);
  const [selected, setSelected] = useState(null);
  const [card, setCard] = useState(null);
  const [canned, setCanned] = useState([]);
  const [presence, setPresence] = useState('online');
  const [error, setError] = useState('');
  const [alerts, setAlerts] = useState([]);
  const [typing, setTyping] = useState({});
  const selectedRef = useRef(null);
  selectedRef.current = selected;

  const loadQueue = useCallback(() => api('GET', '/agent/api/queue').then((r) => setQueue(r.items), () => undefined), []);
  const loadChats = useCallback(() => api('GET', '/agent/api/chats').then((r) => setChats(r.items), () => undefined), []);
  const loadCard = useCallback((id) => (id ? api('GET', `/agent/api/chats/${id}`).then(setCard, () => setCard(null)) : setCard(null)), []);

  const onUpdate = useCallback(
    (u) => {
      if (u.kind === 'queue' || u.kind === 'accepted' || u.kind === 'ended' || u.kind === 'transferred') {
        loadQueue();
        loadChats();
      }
      if (u.kind === 'typing') {
        // Shown until a message arrives or a few seconds pass without another signal.
        if (u.typing?.from === 'customer') setTyping((t) => ({ ...t, [u.handoffId]: Date.now() }));
        return;
      }
      if (u.kind === 'message' && u.message?.from === 'customer') setTyping((t) => ({ ...t, [u.handoffId]: 0 }));
      if (u.kind === 'alert' && u.alert) setAlerts((list) => [{ ...u.alert, key: `${Date.now()}-${Math.random()}` }, ...list].slice(0, 5));
      if (u.handoffId && u.handoffId === selectedRef.current) loadCard(u.handoffId);
    },
    [loadQueue, loadChats, loadCard],
  );
  const socket = useSocket(onUpdate);

  useEffect(() => {
    loadQueue();
    loadChats();
    api('GET', `/agent/api/canned?lang=${boot.locale}`).then((r) => setCanned(r.items), () => undefined);
  }, [loadQueue, loadChats]);
  useEffect(() => {
    if (socket.connected) api('POST', '/agent/api/presence', { status: presence }).catch(() => undefined);
  }, [socket.connected, presence]);
  useEffect(() => {
    loadCard(selected);
  }, [selected, loadCard]);
  const typingAt = (selected && typing[selected]) || 0;
  useEffect(() => {
    if (!typingAt) return undefined;
    const timer = setTimeout(() => setTyping((t) => ({ ...t, [selected]: 0 })), 6000);
    return () => clearTimeout(timer);
  }, [typingAt, selected]);

  const act = (p) => p.catch((e) => setError(e.status === 409 ? fill(T.conflict, { message: e.message }) : e.message));
  const accept = (id) =>
    act(
      api('POST', `/agent/api/chats/${id}/accept`, {}).then(() => {
        setError('');
        setSelected(id);
        loadQueue();
        loadChats();
      }),
    );
  const supervising = boot.member.role !== 'agent';
  // A supervisor (or manager) opening a colleague's live chat watches it: a read-only live view.
  const watching = Boolean(card && supervising && card.chat.status === 'ACTIVE' && card.chat.agentId !== boot.member.id);
  const pick = (chat) => {
    if (supervising && chat.agentId !== boot.member.id) act(api('POST', `/agent/api/chats/${chat.id}/watch`, {}).then(() => setSelected(chat.id)));
    else setSelected(chat.id);
  };
  const canTakeOver = boot.member.role === 'supervisor' || boot.member.role === 'admin';
  const takeOver = () => act(api('POST', `/agent/api/chats/${selected}/takeover`, {}).then(() => (loadChats(), loadCard(selected))));
  const send = (text) => act(api('POST', `/agent/api/chats/${selected}/messages`, { text }).then(() => loadCard(selected)));
  const end = () =>
    act(
      api('POST', `/agent/api/chats/${selected}/end`, {}).then(() => {
        setSelected(null);
        loadChats();
      }),
    );
  const signOut = () => api('POST', '/staff/api/signout', {}).finally(() => window.location.assign(`/staff/signin?lang=${boot.locale}&signedOut=1`));

  return (
    <>
      <header>
        <h1>{T.title}</h1>
        <span>{boot.member.name}</span>
        <select aria-label={T.presence} value={presence} onChange={(e) => setPresence(e.target.value)}>
          <option value="online">{T.online}</option>
          <option value="away">{T.away}</option>
          <option value="offline">{T.offline}</option>
        </select>
        <span className="muted">{socket.connected ? T.connected : T.reconnecting}</span>
        <button className="secondary" onClick={signOut}>
          {T.signOut}
        </button>
      </header>
      {error && <div className="error" role="alert">{error}</div>}
      {alerts.length > 0 && (
        <section aria-label={T.alerts} className="alerts">
          {alerts.map((a) => (
            <div key={a.key} className="alert" role="status" data-testid="ticket-alert">
              {fill(T.alert[a.kind] || a.kind, { number: a.number, text: a.text || '' })}{' '}
              <button className="secondary" onClick={() => setAlerts((list) => list.filter((x) => x.key !== a.key))}>
                {T.dismiss}
              </button>
            </div>
          ))}
        </section>
      )}
      <main>
        <div>
          <Queue items={queue} onAccept={accept} />
          <section aria-label={T.myChats}>
            <h2>{supervising ? T.liveChats : T.myChats}</h2>
            {chats.map((c) => (
              <div key={c.id} className={`item ${c.id === selected ? 'selected' : ''}`} onClick={() => pick(c)} data-testid="chat-item">
                {T.reasons[c.reason] || c.reason} <span className="muted">{c.conversationId.slice(-6)}</span>
                {supervising && c.agentId !== boot.member.id && <span className="muted"> · {T.watch}</span>}
              </div>
            ))}
          </section>
        </div>
        {card ? (
          <Chat
            card={card}
            canned={canned}
            onSend={send}
            onEnd={end}
            customerTyping={typingAt > 0}
            onTyping={() => socket.send({ type: 'typing', handoffId: selected })}
            watching={watching}
            onTakeOver={canTakeOver ? takeOver : null}
            onRefresh={() => loadCard(selected)}
            onError={(e) => setError(e.message)}
          />
        ) : <section className="muted">{T.pickChat}</section>}
        {card ? <CaseCard card={card} /> : <section />}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')).render(<App />);
