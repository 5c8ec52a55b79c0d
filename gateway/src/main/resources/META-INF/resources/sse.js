// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, this can. No dependencies.
'use strict';

/**
 * Opens an event stream and keeps it open: when the connection ends or fails before close() is called, it reconnects
 * (after the server's retry: delay, 1 s by default, doubling on failures up to 30 s) with Last-Event-ID set to the id
 * of the last event received, so the server resumes after it.
 *
 * handlers.headers()         -> extra request headers, asked at every (re)connection (e.g. Authorization)
 * handlers.onEvent(name, data, id)   one event: its name ("message" when unnamed), data lines joined by "\n", its id
 * handlers.onRefused(response)       a 4xx answer other than 408/429: the stream stays closed
 * Returns {close()}.
 */
function openEventStream(url, handlers) {
  const MAX_DELAY_MS = 30000;
  const s = { closed: false, controller: null, lastEventId: null, retryMs: 1000, failures: 0 };

  async function connect() {
    if (s.closed) return;
    s.controller = new AbortController();
    const headers = Object.assign({ Accept: 'text/event-stream' }, handlers.headers ? handlers.headers() : {});
    if (s.lastEventId !== null) headers['Last-Event-ID'] = s.lastEventId;
    try {
      const res = await fetch(url, { headers, cache: 'no-store', signal: s.controller.signal });
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        s.closed = true;
        if (handlers.onRefused) handlers.onRefused(res);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      s.failures = 0;
      await read(res.body.getReader());
    } catch (e) {
      s.failures += 1;
    }
    if (!s.closed) setTimeout(connect, Math.min(MAX_DELAY_MS, s.retryMs * 2 ** Math.min(s.failures, 5)));
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { name: '', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done || s.closed) {
        if (!done) reader.cancel();
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let end = lineEnd(buffer);
      while (end) {
        event = feed(buffer.slice(0, end.at), event);
        buffer = buffer.slice(end.at + end.length);
        end = lineEnd(buffer);
      }
    }
  }

  // where the first line ends (CRLF, LF or CR); a CR at the very end may be the first half of a CRLF: wait for more
  function lineEnd(buffer) {
    const at = buffer.search(/[\r\n]/);
    if (at < 0 || (buffer[at] === '\r' && at === buffer.length - 1)) return null;
    return { at, length: buffer[at] === '\r' && buffer[at + 1] === '\n' ? 2 : 1 };
  }

  // one line of the text/event-stream format (HTML Living Standard, "Server-sent events", interpreting an event stream)
  function feed(line, event) {
    if (line === '') {
      if (event.id !== null) s.lastEventId = event.id; // only once the event is whole: a cut-off event is sent again
      if (event.data.length > 0 && !s.closed) handlers.onEvent(event.name || 'message', event.data.join('\n'), s.lastEventId);
      return { name: '', data: [], id: null };
    }
    if (line.startsWith(':')) return event; // a comment, such as the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') event.data.push(value);
    else if (field === 'event') event.name = value;
    else if (field === 'id' && !value.includes('\0')) event.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) s.retryMs = Number(value);
    return event;
  }

  connect();
  return {
    close() {
      s.closed = true;
      if (s.controller) s.controller.abort();
    },
  };
}
