// The page of `kiwoom-compat serve --http`: one EventSource (GET /events) keeps it current,
// and the control API's own routes place, cancel and watch. Plain DOM, no build step: this file
// is what the browser runs. Times are Korea time whatever the browser's zone; rises are red and
// falls blue, as on Korean trading screens.

const $ = (id) => document.getElementById(id);
const won = (n) => n.toLocaleString('ko-KR');
const dir = (n) => (n > 0 ? 'up' : n < 0 ? 'down' : '');
const arrow = (n) => (n > 0 ? '▲ ' : n < 0 ? '▼ ' : '');
const signedRate = (n) => `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;
const KST = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const kst = (ms) => KST.format(ms);
/** Kiwoom's HHMMSS (already Korea time) as HH:MM:SS. */
const hms = (s) => (s.length >= 6 ? `${s.slice(0, 2)}:${s.slice(2, 4)}:${s.slice(4, 6)}` : '');
/** 주문구분 without its sign (`+매수` → 매수) and the side it is on. */
const sideText = (s) => s.replace(/^[+-]/, '');
const sideOf = (s) => (s.includes('매도') ? 'sell' : 'buy');
const DOMAINS = { emulator: '에뮬레이터', mock: '모의투자', production: '실전투자' };
/** Points kept per code for its trend line. */
const TREND_POINTS = 60;

/** An element with attributes (`class`, `on<event>`, others as attributes) and children. */
function h(tag, props = {}, ...children) {
  const el = tag === 'svg' || tag === 'polyline' ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') el.setAttribute('class', value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value);
  }
  el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A control API call from the page (its session cookie goes along; 401 means log in again). */
async function call(method, path, body) {
  const res = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) location.reload();
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

let domain = '';

// ---- quotes ----------------------------------------------------------------------------------

const rows = new Map(); // code → { tr, cells, quote, trend }

function quoteRow(code) {
  const cells = { name: h('td', { class: 'name' }), price: h('td', { class: 'num price' }), change: h('td', { class: 'num' }), rate: h('td', { class: 'num' }), volume: h('td', { class: 'num' }), trend: h('td', { class: 'trend' }), time: h('td', { class: 'num time' }) };
  const remove = h('button', { class: 'icon', title: '관심종목에서 빼기', 'aria-label': `${code} 빼기`, onclick: () => call('DELETE', `/watch/${encodeURIComponent(code)}`) }, '×');
  const tr = h('tr', { 'data-code': code }, ...Object.values(cells), h('td', { class: 'num' }, remove));
  cells.name.addEventListener('click', () => fillTicket(code));
  cells.name.title = '주문창에 넣기';
  return { tr, cells, quote: undefined, trend: [] };
}

function showWatch(codes, quotes) {
  for (const [code, row] of rows) {
    if (codes.includes(code)) continue;
    row.tr.remove();
    rows.delete(code);
  }
  const body = $('quote-rows');
  for (const code of codes) {
    if (!rows.has(code)) rows.set(code, quoteRow(code));
    body.append(rows.get(code).tr); // in the server's order
  }
  for (const q of quotes) showQuote(q, false);
  $('quotes-empty').hidden = codes.length > 0;
}

function showQuote(q, live = true) {
  const row = rows.get(q.code);
  if (row === undefined) return;
  const before = row.quote;
  row.quote = q;
  const { cells } = row;
  const d = dir(q.change);
  cells.name.replaceChildren(h('b', {}, q.name), h('small', {}, q.code));
  cells.price.textContent = won(q.price);
  cells.change.textContent = `${arrow(q.change)}${won(Math.abs(q.change))}`;
  cells.rate.textContent = signedRate(q.rate);
  for (const c of [cells.price, cells.change, cells.rate]) {
    c.classList.toggle('up', d === 'up');
    c.classList.toggle('down', d === 'down');
  }
  cells.volume.textContent = won(q.volume);
  cells.time.textContent = q.time ? hms(q.time) : kst(q.at);
  if (row.trend.at(-1) !== q.price || row.trend.length === 0) row.trend = [...row.trend, q.price].slice(-TREND_POINTS);
  cells.trend.replaceChildren(trendLine(row.trend));
  cells.trend.className = `trend ${dir(row.trend.at(-1) - row.trend[0])}`;
  if (live && before !== undefined && before.price !== q.price) flash(cells.price, q.price > before.price ? 'flash-up' : 'flash-down');
}

function flash(el, cls) {
  el.classList.remove('flash-up', 'flash-down');
  void el.offsetWidth; // restarts the animation
  el.classList.add(cls);
}

function trendLine(values) {
  const low = Math.min(...values);
  const span = Math.max(...values) - low || 1;
  const step = 100 / Math.max(values.length - 1, 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(22 - ((v - low) / span) * 20).toFixed(1)}`).join(' ');
  return h('svg', { viewBox: '0 0 100 24', preserveAspectRatio: 'none', 'aria-hidden': 'true' }, h('polyline', { points }));
}

$('watch-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('watch-code');
  const code = input.value.trim().toUpperCase();
  const { status, body } = await call('PUT', `/watch/${encodeURIComponent(code)}`);
  input.setCustomValidity(status === 200 ? '' : body.error ?? `HTTP ${status}`);
  if (status === 200) input.value = '';
  else input.reportValidity();
});
$('watch-code').addEventListener('input', (e) => e.target.setCustomValidity(''));

// ---- account ---------------------------------------------------------------------------------

function showAccount(state) {
  if (state === null) return;
  $('account-note').textContent = 'error' in state ? `조회 실패: ${state.error}` : `${kst(state.at)} 기준`;
  if ('error' in state) return;
  const { balance, orders } = state;
  const signed = (n, text = won(n)) => h('td', { class: `num ${dir(n)}` }, n > 0 ? `+${text}` : text);
  $('position-rows').replaceChildren(
    ...balance.holdings.map((p) =>
      h('tr', {}, h('td', { class: 'name' }, h('b', {}, p.name), h('small', {}, p.code)), h('td', { class: 'num' }, won(p.qty)), h('td', { class: 'num' }, won(p.avgPrice)), h('td', { class: 'num' }, won(p.price)), h('td', { class: 'num' }, won(p.value)), signed(p.pnl), signed(p.rate, `${p.rate.toFixed(2)}%`)),
    ),
  );
  $('positions-empty').hidden = balance.holdings.length > 0;
  const total = (label, n, cls = '') => h('span', {}, label, h('b', { class: cls }, won(n)));
  $('totals').replaceChildren(total('총매입', balance.totalPurchase), total('총평가', balance.totalValue), total('평가손익', balance.totalPnl, dir(balance.totalPnl)));

  $('order-rows').replaceChildren(
    ...orders.map((o) => {
      const cancel = h('button', { class: 'cancel', onclick: () => cancelOrder(o, cancel) }, '취소');
      return h('tr', { 'data-order': o.orderNo }, h('td', {}, o.orderNo), h('td', { class: 'name' }, h('b', {}, o.name), h('small', {}, o.code)), h('td', { class: `side-${sideOf(o.side)}` }, sideText(o.side)), h('td', { class: 'num' }, o.price === 0 ? '시장가' : won(o.price)), h('td', { class: 'num' }, won(o.qty)), h('td', { class: 'num' }, won(o.openQty)), h('td', { class: 'num' }, cancel));
    }),
  );
  $('orders-empty').hidden = orders.length > 0;
}

async function cancelOrder(order, button) {
  button.disabled = true;
  const { status, body } = await call('DELETE', `/orders/${encodeURIComponent(order.orderNo)}`);
  report(status, body, `주문 ${order.orderNo} 취소`);
  if (status >= 400) button.disabled = false;
}

// ---- order ticket ----------------------------------------------------------------------------

const ticket = $('order-form');

function fillTicket(code) {
  ticket.elements.code.value = code;
  const q = rows.get(code)?.quote;
  if (q !== undefined && !ticket.elements.market.checked) ticket.elements.price.value = String(q.price);
  ticket.elements.qty.focus();
}

function syncTicket() {
  const side = ticket.elements.side.value;
  const submit = $('order-submit');
  submit.className = side;
  submit.textContent = side === 'buy' ? '매수 주문' : '매도 주문';
  ticket.elements.price.disabled = ticket.elements.market.checked;
}
ticket.addEventListener('change', syncTicket);

ticket.addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = ticket.elements;
  const market = f.market.checked || f.price.value === '';
  const order = { side: f.side.value, code: f.code.value.trim().toUpperCase(), qty: Number(f.qty.value), price: market ? 0 : Number(f.price.value), hoga: market ? '03' : '00' };
  if (domain === 'production' && !confirm(`실전투자 계좌로 주문합니다: ${order.code} ${order.qty}주. 계속할까요?`)) return;
  $('order-submit').disabled = true;
  try {
    const { status, body } = await call('POST', '/orders', order);
    report(status, body, order.side === 'buy' ? '매수 주문' : '매도 주문');
  } finally {
    $('order-submit').disabled = false;
  }
});

/** An order answer in the ticket's result line: 201 placed, 202 unknown (followed until settled), else refused. */
function report(status, body, what) {
  const result = $('order-result');
  const say = (cls, text) => {
    result.className = `result ${cls}`;
    result.textContent = text;
  };
  if (status === 201) say('ok', `${what} 접수 · 주문번호 ${body.orderNo}`);
  else if (status === 202) {
    say('pending', `${what}: 응답을 받지 못했습니다. 주문 여부 확인 중 (다시 보내지 않습니다)`);
    void follow(body.statusUrl, what, say);
  } else say('error', `${what} 거부: ${body.error ?? `HTTP ${status}`}`);
}

/** Polls GET /orders/{id} until the facade settles an order whose answer was lost. */
async function follow(url, what, say) {
  for (let i = 0; i < 60; i += 1) {
    await new Promise((r) => setTimeout(r, 2000));
    const { body } = await call('GET', url);
    if (body.status === 'placed') return say('ok', `${what} 확인 · 주문번호 ${body.orderNo}`);
    if (body.status === 'not-placed') return say('error', `${what}: 주문되지 않았습니다`);
    if (body.status === 'ambiguous') return say('pending', `${what}: 후보가 여럿입니다. 미체결을 확인하세요`);
  }
  say('pending', `${what}: 결과 미확인. 미체결과 체결 내역을 확인하세요`);
}

// ---- events ----------------------------------------------------------------------------------

const MAX_EVENTS = 100;

function eventItem(ev) {
  const at = h('time', {}, kst(ev.at));
  if (ev.kind === 'message') return h('li', {}, at, h('span', { class: 'tag message' }, '메시지'), h('span', { class: 'text message-text' }, ev.text));
  const side = sideOf(ev.side);
  const who = [`${ev.name} `, h('span', { class: `side-${side}` }, sideText(ev.side))];
  const ref = h('span', { class: 'ref', title: ev.origNo ? '주문번호 ← 원주문번호' : '주문번호' }, `${ev.orderNo}${ev.origNo ? ` ← ${ev.origNo}` : ''}`);
  const tag = (text, cls = '') => h('span', { class: `tag ${ev.kind} ${side} ${cls}` }, text);
  // The original order's update after a modify or cancel: what is left of it.
  if (ev.afterAmendment) return h('li', {}, at, tag('잔량'), h('span', { class: 'text' }, ...who, ` 미체결 ${won(ev.openQty)}주`), ref);
  const qty = ev.kind === 'fill' ? ev.fillQty : ev.qty;
  const price = ev.kind === 'fill' ? won(ev.fillPrice) : ev.price === 0 ? '시장가' : won(ev.price);
  // A cancel has no price of its own (901 repeats the original's).
  const what = ev.side.includes('취소') ? ` ${won(qty)}주` : ` ${won(qty)}주 @ ${price}`;
  const why = ev.reason ? h('small', { class: 'reason' }, ev.reason) : null;
  return h('li', {}, at, tag(ev.status || '주문', ev.status === '거부' ? 'refused' : ''), h('span', { class: 'text' }, ...who, what, why), ref);
}

function showEvents(events) {
  $('event-list').replaceChildren(...events.slice(-MAX_EVENTS).reverse().map(eventItem));
  $('events-empty').hidden = events.length > 0;
}

function addEvent(ev) {
  const list = $('event-list');
  list.prepend(eventItem(ev));
  while (list.children.length > MAX_EVENTS) list.lastChild.remove();
  $('events-empty').hidden = true;
}

// ---- the stream ------------------------------------------------------------------------------

function setLink(state, text) {
  const link = $('link');
  link.dataset.state = state;
  link.textContent = text;
}

function connect() {
  const source = new EventSource('/events');
  const on = (name, fn) => source.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  source.addEventListener('open', () => setLink('live', '실시간'));
  source.addEventListener('error', async () => {
    if (source.readyState !== EventSource.CLOSED) return setLink('connecting', '재연결 중');
    // Refused rather than dropped: a session that ended goes back to the login; else try again.
    setLink('lost', '연결 끊김');
    const { status } = await call('GET', '/watch').catch(() => ({ status: 0 }));
    if (status !== 401) setTimeout(connect, 3000);
  });
  on('snapshot', (s) => {
    domain = s.domain;
    $('domain').textContent = DOMAINS[s.domain] ?? s.domain;
    $('domain').className = `badge ${s.domain}`;
    $('account').textContent = s.account;
    showWatch(s.codes, s.quotes);
    showEvents(s.events);
    showAccount(s.accountState);
  });
  on('watch', (w) => showWatch(w.codes, w.quotes));
  on('quote', (q) => showQuote(q));
  on('event', addEvent);
  on('account', showAccount);
}

function tick() {
  $('clock').textContent = `${kst(Date.now())} KST`;
}

syncTicket();
tick();
setInterval(tick, 1000);
connect();
