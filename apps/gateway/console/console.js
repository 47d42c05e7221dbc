// The console page: plain JavaScript, no build step. Event and room names come from the gateway
// (contract.json, built from packages/contract); the Socket.IO client from the gateway's /ws.
const $ = (id) => document.getElementById(id);
const contract = await (await fetch('/dev/console/contract.json')).json();
const { events, routes } = contract;
const DEV_STACK = '/_devstack';
/** Simulated messages sent from this page, by `customer|text`: when each left, for its latency. */
const sent = new Map();
let socket = null;
let openChat = null;

function log(text) {
  const line = document.createElement('div');
  line.textContent = `${new Date().toISOString().slice(11, 23)} ${text}`;
  $('log').prepend(line);
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

async function devStack(path, body) {
  const init = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) };
  // The custom header makes a cross-site page's request need a preflight, which the dev stack never grants.
  const response = await fetch(DEV_STACK + path, {
    ...init,
    headers: { 'content-type': 'application/json', 'x-dev-stack': '1' },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  const response = await fetch(contract.loginPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: $('username').value, password: $('password').value, login_from: 'console' }),
  });
  const answer = await response.json();
  if (answer.status !== 1) {
    $('login-error').textContent = answer.message ?? `login failed (${response.status})`;
    return;
  }
  start(answer.accessToken, `${answer.name} (${answer.role})`);
});

function start(token, who) {
  $('login-panel').hidden = true;
  $('app').hidden = false;
  $('who').textContent = who;
  connect(token);
  void showDevStack();
}

// `npm start` prints the console's URL with a token of the demo executive after `#` (never sent to a
// server, so in no log), to open it logged in; it is taken out of the address bar at once.
const given = new URLSearchParams(location.hash.slice(1)).get('token');
if (given) {
  history.replaceState(null, '', location.pathname);
  const claims = JSON.parse(atob(given.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  start(given, `${claims.name ?? claims.sub} (${claims.role ?? 'executive'})`);
}

function connect(token) {
  socket = io(location.origin, { path: contract.socketPath, query: { token } });
  socket.on('connect', () => {
    $('connection').textContent = socket.recovered
      ? 'connected (recovered: rooms and missed updates back)'
      : 'connected';
    $('connection').className = 'ok';
    $('socket-id').textContent = socket.id;
    log(socket.recovered ? 'reconnected, session recovered' : 'connected');
    if (shownGateways.length > 0) showGateways(shownGateways);
    // A recovered session is back in its rooms; a new one joins them.
    if (!socket.recovered) joinRooms();
  });
  socket.on('disconnect', (reason) => {
    $('connection').textContent = `disconnected (${reason}), reconnecting`;
    $('connection').className = 'bad';
    log(`disconnected: ${reason}`);
  });
  socket.on('connect_error', (error) => {
    $('connection').textContent = `connect error: ${error.message}${error.data?.code ? ` (${error.data.code})` : ''}`;
    $('connection').className = 'bad';
  });
  for (const [type, route] of Object.entries(routes)) {
    socket.on(route.event, (summary) => showUpdate(route.event, type, summary));
  }
  socket.on(events.newMessage, (message) => {
    log(`${events.newMessage} chat ${message.chat_id} from ${message.sender_type}`);
    if (message.chat_id === openChat?.chat_id) showMessage(message);
  });
  socket.on(events.messageStatus, (update) => {
    log(`${events.messageStatus} ${update.message_id}: ${update.status}`);
    const row = document.querySelector(`#messages tr[data-message-id="${CSS.escape(update.message_id)}"]`);
    if (row) row.cells[3].textContent = update.status;
  });
  socket.on(events.dashboardStats, (stats) => log(`${events.dashboardStats} active ${stats.active}`));
}

function joinRooms() {
  const joined = [];
  for (const [type, route] of Object.entries(routes)) {
    socket.emit(events.joinRoom, { room: route.room }, (answer) => {
      if (answer.status !== 1) return log(`${events.joinRoom} ${route.room}: ${answer.message}`);
      joined.push(route.room);
      $('rooms').textContent = joined.join(', ');
      // What the room holds already, newest first, before its updates start to arrive.
      socket.emit(events.fetchChats, { customer_type: type, page_size: 10 }, (list) => {
        if (list.status === 1) for (const chat of list.chats) showChat(chat);
      });
    });
  }
}

/** The chat's row in the chat list, with what it says now, in its place: the newest message first. */
function showChat(summary) {
  document.querySelector(`#chats tr[data-chat-id="${CSS.escape(summary.chat_id)}"]`)?.remove();
  const time = summary.last_message_time ?? '';
  const rows = [...$('chats').rows];
  const index = rows.findIndex((other) => (other.dataset.time ?? '') < time);
  const row = $('chats').insertRow(index === -1 ? rows.length : index);
  row.dataset.chatId = summary.chat_id;
  row.dataset.time = time;
  cell(row, summary.customer_type);
  cell(row, summary.chat_id);
  cell(row, `${summary.customer_name ?? ''} ${summary.customer}`);
  cell(row, summary.last_message);
  cell(row, summary.last_message_time?.slice(11, 19));
  cell(row, String(summary.unseen_count));
  row.addEventListener('click', () => open(summary, row));
}

function latencyOf(summary) {
  const key = `${summary.customer}|${summary.last_message}`;
  const left = sent.get(key);
  if (left !== undefined) {
    sent.delete(key);
    return `${Math.round(performance.now() - left)} ms`;
  }
  const written = Date.parse(summary.last_incoming_message_time ?? '');
  return Number.isNaN(written) ? '' : `≈ ${Math.max(0, Date.now() - written)} ms`;
}

function showUpdate(event, type, summary) {
  const row = $('updates').insertRow(0);
  row.dataset.chatId = summary.chat_id;
  row.dataset.customer = summary.customer;
  cell(row, new Date().toISOString().slice(11, 23));
  cell(row, event);
  cell(row, type);
  cell(row, summary.chat_id);
  cell(row, `${summary.customer_name ?? ''} ${summary.customer}`);
  cell(row, summary.last_message);
  cell(row, latencyOf(summary), 'latency');
  row.addEventListener('click', () => open(summary, row));
  showChat(summary);
  log(`${event} chat ${summary.chat_id} (${type})`);
}

function open(summary, row) {
  for (const selected of document.querySelectorAll('tr.selected')) selected.classList.remove('selected');
  row.classList.add('selected');
  openChat = summary;
  $('chat-title').textContent =
    `${summary.chat_id}: ${summary.customer_name ?? summary.customer} (${summary.customer_type})`;
  $('reply-text').disabled = false;
  $('reply').disabled = false;
  $('messages').replaceChildren();
  socket.emit(events.joinChat, { chat_id: summary.chat_id }, (answer) => {
    if (answer.status !== 1) log(`${events.joinChat}: ${answer.message}`);
  });
  socket.emit(events.fetchChat, { chat_id: summary.chat_id }, (answer) => {
    if (answer.status === 1) for (const message of [...answer.messages].reverse()) showMessage(message);
  });
}

function showMessage(message) {
  if (document.querySelector(`#messages tr[data-message-id="${CSS.escape(message.message_id)}"]`)) return;
  const row = $('messages').insertRow(0);
  row.dataset.messageId = message.message_id;
  cell(row, message.datetime?.slice(11, 23));
  cell(row, message.sender_type);
  cell(row, message.message);
  cell(row, message.delivery_status);
  if (message.sender_type !== 'Customer' && message.wamid && !$('simulate-panel').hidden) {
    for (const status of ['delivered', 'read']) {
      const button = document.createElement('button');
      button.textContent = `WhatsApp says ${status}`;
      button.addEventListener('click', () =>
        devStack('/status', { wamid: message.wamid, status, recipient: openChat.customer }).catch((e) =>
          log(e.message),
        ),
      );
      row.insertCell().append(button);
    }
  }
}

$('reply-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('reply-text').value;
  if (!openChat || text === '') return;
  $('reply-result').textContent = 'sending…';
  // As the dashboard sends it (fixtures/dashboard/client-events.json, send_message.partner.text).
  const reply = {
    chat_id: openChat.chat_id,
    message: text,
    type: 'Agent',
    chat_type: 'message',
    datetime: new Date().toISOString(),
  };
  socket.emit(events.sendMessage, reply, (answer) => {
    $('reply-result').textContent = answer.status === 1 ? `sent, message ${answer.message_id}` : answer.message;
    $('reply-result').className = answer.status === 1 ? 'ok' : 'bad';
  });
});

$('simulate-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { type: $('sim-type').value, customer: $('sim-customer').value, text: $('sim-text').value };
  sent.set(`${body.customer}|${body.text}`, performance.now());
  try {
    const answer = await devStack('/simulate', body);
    $('sim-result').textContent = `webhook answered ${answer.status}`;
  } catch (error) {
    $('sim-result').textContent = error.message;
  }
});

async function showDevStack() {
  let state;
  try {
    state = await devStack('/state');
  } catch {
    $('no-dev-stack').hidden = false;
    return;
  }
  $('simulate-panel').hidden = false;
  $('gateways-panel').hidden = false;
  $('sim-type').replaceChildren(...Object.keys(routes).map((type) => new Option(type, type)));
  showGateways(state.gateways);
}

let shownGateways = [];

function showGateways(gateways) {
  shownGateways = gateways;
  $('gateways').replaceChildren();
  // Engine.IO session ids start with the id of the gateway that holds them.
  const sid = socket?.connected ? socket.io.engine.id : '';
  for (const gateway of gateways) {
    const row = $('gateways').insertRow();
    row.dataset.gateway = gateway.name;
    const mine = gateway.up && gateway.nodeId !== null && sid.startsWith(gateway.nodeId);
    row.dataset.mine = String(mine);
    cell(row, gateway.name);
    cell(row, gateway.up ? `up on :${gateway.port} (pid ${gateway.pid})` : 'down', gateway.up ? 'ok' : 'bad');
    cell(row, mine ? "← this page's socket" : '', 'muted');
    for (const action of ['kill', 'restart']) {
      const button = document.createElement('button');
      button.textContent = action;
      button.dataset.action = action;
      button.addEventListener('click', async () => {
        log(`${action} ${gateway.name}`);
        const next = await devStack(`/gateways/${gateway.index}/${action}`, {}).catch((e) => log(e.message));
        if (next) showGateways(next.gateways);
      });
      row.insertCell().append(button);
    }
  }
}
