/**
 * A Stryker ignore-plugin (stryker.config.mjs `ignorers: ['LogCalls']`): no mutants inside a
 * call to a logger (`this.log.debug(...)`, `this.#log.warn(...)`, `this.options.logger.warn(...)`,
 * `logger.debug(...)`). Their message text and fields are for a person reading the log: a
 * mutant there ("" for the text, {} for the fields, the call emptied) changes nothing a program
 * relies on, and would only be killed by tests that pin log wording. What must never reach a
 * log (secrets) is the scrubber's job, which is mutated in its own group (src/log.ts).
 */
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const LOGGERS = new Set(['log', 'logger']);

/** The name an object expression ends with: `logger`, `this.log`, `this.#log`, `this.options.logger`. */
function lastName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const p = node.property;
    if (p.type === 'Identifier' || p.type === 'PrivateName') return p.type === 'PrivateName' ? p.id.name : p.name;
  }
  return undefined;
}

/** @type {import('@stryker-mutator/api/ignore').Ignorer} */
const logCalls = {
  shouldIgnore(path) {
    const node = /** @type {any} */ (path).node;
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return undefined;
    const callee = node.callee;
    if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return undefined;
    if (callee.property.type !== 'Identifier' || !LEVELS.has(callee.property.name)) return undefined;
    return LOGGERS.has(lastName(callee.object) ?? '') ? 'a log call: its text and fields are for people (scripts/stryker-log-ignorer.mjs)' : undefined;
  },
};

export const strykerPlugins = [{ kind: 'Ignore', name: 'LogCalls', value: logCalls }];
