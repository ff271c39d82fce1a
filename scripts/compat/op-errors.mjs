/**
 * compat/op-errors.json: the OCX OP_ERR_* return codes with their messages, and which of them a
 * REST failure becomes (scripts/data/error-rules.json), checked so that every code a rule
 * returns is a documented OCX code.
 */
import { byNumberThenText } from './sources.mjs';

export function buildOpErrors({ codes, errorRules }) {
  const table = {};
  const rows = codes.error_codes.filter((e) => e.code <= 0).sort((a, b) => byNumberThenText(String(b.code), String(a.code)));
  for (const e of rows) {
    table[String(e.code)] = { name: e.name, message: errorRules.messageOverrides[String(e.code)] ?? e.message_ko, en: e.message_en };
  }
  const check = (where, byContext) => {
    for (const ctx of Object.keys(byContext)) {
      if (!errorRules.contexts.includes(ctx)) throw new Error(`op-errors: ${where} has unknown context ${ctx}`);
      if (!Object.hasOwn(table, String(byContext[ctx]))) throw new Error(`op-errors: ${where}.${ctx} = ${byContext[ctx]} is not an OCX code`);
    }
  };
  for (const [k, v] of Object.entries(errorRules.byCategory)) check(`byCategory.${k}`, v);
  for (const [k, v] of Object.entries(errorRules.codeOverrides)) check(`codeOverrides.${k}`, v);
  for (const [k, v] of Object.entries(errorRules.errorClasses)) check(`errorClasses.${k}`, v);
  return {
    generatedFrom: 'fixtures/ocx/codes.json error_codes + on_event_connect_nErrCode + scripts/data/error-rules.json',
    notes: errorRules.notes,
    codes: table,
    loginResults: Object.fromEntries(Object.entries(codes.on_event_connect_nErrCode).filter(([k]) => /^-?\d+$/.test(k))),
    contexts: errorRules.contexts,
    byCategory: errorRules.byCategory,
    codeOverrides: errorRules.codeOverrides,
    errorClasses: errorRules.errorClasses,
  };
}
