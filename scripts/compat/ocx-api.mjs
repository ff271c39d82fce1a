/**
 * compat/ocx-api.json: the OCX's 58 methods and 9 events (name, arguments in order, COM
 * types) as APIServer must present them, with how each method answers (at once, or after the
 * events it causes) and, for members with nothing behind them on Kiwoom REST, the OCX's answer
 * and the reason. The member-diff test and the Python drop-in read it.
 */

const COM_TYPES = new Set(['BSTR', 'long', 'int', 'BOOL/long', 'void', 'VARIANT']);

function args(list, where) {
  return list.map((a) => {
    if (!COM_TYPES.has(a.type)) throw new Error(`ocx-api: ${where} argument ${a.name} has an unknown COM type ${a.type}`);
    return [a.name, a.type];
  });
}

export function buildOcxApi({ ocxMethods, ocxEvents, ocxApiRules }) {
  const known = new Set(ocxMethods.methods.map((m) => m.name));
  for (const name of [...ocxApiRules.afterEvents, ...Object.keys(ocxApiRules.noRest)]) {
    if (!known.has(name)) throw new Error(`ocx-api: rule names ${name}, which is not an OCX method`);
  }
  const after = new Set(ocxApiRules.afterEvents);
  const methods = {};
  for (const m of [...ocxMethods.methods].sort((a, b) => a.dispid - b.dispid)) {
    const noRest = ocxApiRules.noRest[m.name];
    methods[m.name] = {
      dispid: m.dispid,
      returns: m.returns.type,
      args: args(m.args, m.name),
      answers: after.has(m.name) ? 'after-events' : 'at-once',
      ...(noRest ? { noRest } : {}),
    };
  }
  const events = {};
  for (const e of [...ocxEvents.events].sort((a, b) => a.dispid - b.dispid)) events[e.name] = { dispid: e.dispid, args: args(e.args, e.name) };
  if (Object.keys(methods).length !== ocxMethods.meta.method_count) throw new Error('ocx-api: method count differs from methods.json meta');
  if (Object.keys(events).length !== ocxEvents.meta.event_count) throw new Error('ocx-api: event count differs from events.json meta');
  return {
    generatedFrom: 'fixtures/ocx/methods.json + fixtures/ocx/events.json + scripts/data/ocx-api-rules.json',
    notes: ocxApiRules.notes,
    methods,
    events,
  };
}
