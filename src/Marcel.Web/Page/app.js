// The Marcel room in a browser. One text frame from the server is one or more lines (separated by "\n"), the same
// lines a TCP client reads; one line typed here is one text frame. Peer text is only ever set with textContent, and
// control characters are shown as symbols, as `marcel connect` does: nothing a peer sends can run or restyle the page.
"use strict";
(() => {
  const strings = JSON.parse(document.getElementById("strings").textContent);
  const log = document.getElementById("log");
  const main = log.parentElement;
  const form = document.getElementById("say");
  const input = document.getElementById("line");
  const status = document.getElementById("status");
  const reconnectButton = document.getElementById("reconnect");
  const maxLines = 2000;
  // Close codes after which we do not come back by ourselves: the user left (/quit, idle), was sent away (kicked), or
  // sent what the room refuses (binary 1003, bad UTF-8 1007, too long 1009). Going away (1001), full (1013), lost: retry.
  const final = new Set([1000, 1003, 1007, 1008, 1009]);
  let socket = null;
  let attempt = 0;
  let retryTimer = 0;
  let joinedBefore = false;

  const format = (text, ...values) => text.replace(/\{(\d+)\}/g, (_, i) => String(values[Number(i)]));

  // Control characters as visible symbols (U+2400 block), C1 controls and bidirectional overrides as \uXXXX.
  const safe = (text) => text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return "\\u" + code.toString(16).padStart(4, "0");
  });

  const nearBottom = () => main.scrollHeight - main.scrollTop - main.clientHeight < 48;

  function append(build) {
    const follow = nearBottom();
    const item = document.createElement("li");
    build(item);
    log.appendChild(item);
    while (log.childElementCount > maxLines) log.firstElementChild.remove();
    if (follow) main.scrollTop = main.scrollHeight;
  }

  function said(item, name, text, mine) {
    const who = document.createElement("span");
    who.className = "name";
    who.textContent = "<" + name + ">";
    item.className = mine ? "said mine" : "said";
    item.append(who, " " + safe(text));
  }

  // "<name> text" is someone speaking (the server writes that prefix, and names are letters, digits, - _ .);
  // "* …" is a notice (joins, leaves, renames); anything else is the server talking to us (welcome, /who, errors).
  function show(line) {
    const speaker = /^<([A-Za-z0-9._-]{1,64})> ([\s\S]*)$/.exec(line);
    append((item) => {
      if (speaker) {
        said(item, speaker[1], speaker[2], false);
      } else {
        item.className = line.startsWith("* ") ? "notice" : "server";
        item.textContent = safe(line);
      }
    });
  }

  function mine(line) {
    append((item) => {
      if (/^\s*\//.test(line)) {
        item.className = "command";
        item.textContent = safe(line);
      } else {
        said(item, strings.you, line, true);
      }
    });
  }

  function setStatus(state, text, alsoInLog) {
    status.dataset.state = state;
    status.textContent = text;
    reconnectButton.hidden = state !== "closed";
    if (alsoInLog) {
      append((item) => { item.className = "status"; item.textContent = text; });
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    setStatus("connecting", strings.connecting, false);
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus("open", joinedBefore ? strings.reconnected : strings.connected, joinedBefore);
      joinedBefore = true;
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      for (const line of event.data.split("\n")) show(line);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (final.has(event.code)) {
        setStatus("closed", strings.closed, true);
        return;
      }
      // Back off: 1, 2, 4, 8, 16, then every 30 s, with some jitter so a restarted server is not hit by everyone at once.
      const delay = Math.min(30, 2 ** attempt) * (0.75 + Math.random() * 0.5);
      const first = attempt === 0;
      attempt = Math.min(attempt + 1, 5);
      setStatus("lost", format(strings.lost, Math.max(1, Math.round(delay))), first);
      retryTimer = setTimeout(connect, delay * 1000);
    };
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const line = input.value;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      setStatus(status.dataset.state, strings.notSent, false);
      attempt = 0;
      connect();
      input.focus();
      return;
    }
    if (line.trim() === "") return;
    socket.send(line);
    mine(line);
    input.value = "";
    input.focus();
  });

  reconnectButton.addEventListener("click", () => { attempt = 0; connect(); input.focus(); });

  // Keep typing where the user expects: a click in the conversation gives the focus back unless text is being selected.
  log.addEventListener("mouseup", () => { if (String(getSelection()).length === 0) input.focus(); });
  document.addEventListener("keydown", (event) => {
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && document.activeElement === log) input.focus();
  });

  connect();
  input.focus();
})();
