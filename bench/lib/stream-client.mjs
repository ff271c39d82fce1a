/** The emulator benchmarks' client: subscribed to python-realtime.mjs's stream, it reads and drops every REAL frame. */
import WebSocket from 'ws';

/**
 * Takes a token, connects, LOGINs and REGs `codes` x 0B/0D in group 1; answers PINGs.
 * @param {{ restUrl: string, wsUrl: string, appkey: string, secretkey: string }} emu
 * @param {string[]} codes
 * @returns {Promise<WebSocket>} once the REG is acknowledged
 */
export async function subscribeDropping(emu, codes) {
  const res = await fetch(`${emu.restUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify({ grant_type: 'client_credentials', appkey: emu.appkey, secretkey: emu.secretkey }),
  });
  const { token } = await res.json();
  const ws = new WebSocket(`${emu.wsUrl}/api/dostk/websocket`);
  await new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ trnm: 'LOGIN', token })));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"trnm":"REAL"')) return;
      const msg = JSON.parse(text);
      if (msg.trnm === 'PING') ws.send(text);
      else if (msg.trnm === 'LOGIN') ws.send(JSON.stringify({ trnm: 'REG', grp_no: '1', refresh: '1', data: [{ item: codes, type: ['0B', '0D'] }] }));
      else if (msg.trnm === 'REG') (msg.return_code === 0 ? resolve() : reject(new Error(`REG refused: ${text}`)));
    });
  });
  return ws;
}
