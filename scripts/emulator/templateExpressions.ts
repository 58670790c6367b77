/**
 * ARM template language expressions, the subset deployment templates of Sentinel content use.
 * Syntax (learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions): a JSON
 * string that starts with `[` and ends with `]` is an expression; `[[` at the start escapes a literal
 * `[`; string literals are single-quoted with `''` for a quote; property access `.name` and index
 * `[n]` apply to function results. Functions (templates/template-functions-*): parameters(),
 * variables(), concat(), format(), resourceId(), extensionResourceId(), resourceGroup(),
 * subscription(), toLower(), toUpper(), string(), true(), false(), null(). Any other function is
 * InvalidTemplate, as the service answers an unknown function (the exact wording is not documented).
 * guid(), uniqueString() and newGuid() are not modelled: their hash is not published.
 */

export class TemplateError extends Error {}

export interface DeploymentScope {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
}

export interface ExpressionContext {
  /** Parameter values by name (lower case keys). */
  parameters: Map<string, unknown>;
  /** Raw variable values by name (lower case keys), evaluated on use. */
  variables: Map<string, unknown>;
  scope: DeploymentScope;
}

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'p'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new TemplateError(`The language expression '${src}' is not valid: a string literal is not terminated.`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") { s += "'"; i += 2; continue; }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    if (/[0-9-]/.test(c)) {
      const m = /^-?\d+/.exec(src.slice(i));
      if (!m) throw new TemplateError(`The language expression '${src}' is not valid.`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
      continue;
    }
    if ('(),.[]'.includes(c)) { out.push({ t: 'p', v: c }); i++; continue; }
    throw new TemplateError(`The language expression '${src}' is not valid: unexpected character '${c}'.`);
  }
  return out;
}

type Node = { k: 'lit'; v: unknown } | { k: 'call'; name: string; args: Node[] } | { k: 'prop'; of: Node; name: string } | { k: 'index'; of: Node; at: Node };

function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const bad = (what: string) => new TemplateError(`The language expression '${src}' is not valid: ${what}.`);
  const peek = () => toks[p];
  const expect = (v: string) => {
    const t = toks[p++];
    if (!t || t.t !== 'p' || t.v !== v) throw bad(`expected '${v}'`);
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) throw bad('unexpected end');
    if (t.t === 'str' || t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t !== 'id') throw bad(`unexpected '${t.v}'`);
    expect('(');
    const args: Node[] = [];
    if (!(peek()?.t === 'p' && peek()!.v === ')')) {
      for (;;) {
        args.push(postfix());
        const n = toks[p];
        if (n?.t === 'p' && n.v === ',') { p++; continue; }
        break;
      }
    }
    expect(')');
    return { k: 'call', name: t.v, args };
  };
  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      const n = peek();
      if (n?.t === 'p' && n.v === '.') {
        p++;
        const id = toks[p++];
        if (!id || id.t !== 'id') throw bad('expected a property name');
        node = { k: 'prop', of: node, name: id.v };
      } else if (n?.t === 'p' && n.v === '[') {
        p++;
        const at = postfix();
        expect(']');
        node = { k: 'index', of: node, at };
      } else return node;
    }
  };
  const node = postfix();
  if (p !== toks.length) throw bad('unexpected text after the expression');
  return node;
}

const typeName = (v: unknown): string =>
  v === null ? 'Null' : Array.isArray(v) ? 'Array' : typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Integer' : typeof v === 'boolean' ? 'Boolean' : 'Object';

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new TemplateError(`The template language function '${name}' expects string arguments, not ${typeName(v)}.`);
  return v;
}

/** `/providers/Ns/t1/n1/t2/n2…`: one name per type segment after the namespace (templates/template-functions-resource#resourceid). */
function typedPath(fn: string, type: string, names: string[]): string {
  const segs = type.split('/');
  if (segs.length < 2 || segs.length - 1 !== names.length) {
    throw new TemplateError(`Unable to evaluate template language function '${fn}': the type '${type}' requires '${segs.length - 1}' resource name argument(s).`);
  }
  let out = `/providers/${segs[0]}`;
  segs.slice(1).forEach((s, i) => (out += `/${s}/${names[i]}`));
  return out;
}

const isType = (s: unknown) => typeof s === 'string' && /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9/]+$/.test(s);

function call(name: string, args: unknown[], ctx: ExpressionContext, seen: Set<string>): unknown {
  switch (name.toLowerCase()) {
    case 'parameters': {
      const key = str(name, args[0]).toLowerCase();
      if (!ctx.parameters.has(key)) throw new TemplateError(`The template parameter '${String(args[0])}' is not found.`);
      return ctx.parameters.get(key);
    }
    case 'variables': {
      const key = str(name, args[0]).toLowerCase();
      if (!ctx.variables.has(key)) throw new TemplateError(`The template variable '${String(args[0])}' is not found.`);
      if (seen.has(key)) throw new TemplateError(`The template variable '${String(args[0])}' references itself.`);
      return evaluateValue(ctx.variables.get(key), ctx, new Set([...seen, key]));
    }
    case 'concat':
      if (args.length && args.every(Array.isArray)) return (args as unknown[][]).flat();
      return args.map((a) => (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' ? String(a) : JSON.stringify(a))).join('');
    case 'format': {
      const fmt = str(name, args[0]);
      return fmt.replace(/\{\{|\}\}|\{(\d+)(?::[^}]*)?\}/g, (m, n: string | undefined) => {
        if (m === '{{') return '{';
        if (m === '}}') return '}';
        const i = Number(n) + 1;
        if (i >= args.length) throw new TemplateError(`Unable to evaluate template language function 'format': the format item {${n}} has no argument.`);
        const v = args[i];
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    case 'resourceid': {
      const at = args.findIndex(isType);
      if (at < 0 || at > 2) throw new TemplateError(`Unable to evaluate template language function 'resourceId': the resource type is not valid.`);
      const sub = at === 2 ? str(name, args[0]) : ctx.scope.subscriptionId;
      const rg = at >= 1 ? str(name, args[at - 1]) : ctx.scope.resourceGroup;
      return `/subscriptions/${sub}/resourceGroups/${rg}${typedPath('resourceId', String(args[at]), args.slice(at + 1).map((a) => str(name, a)))}`;
    }
    case 'extensionresourceid':
      return `${str(name, args[0])}${typedPath('extensionResourceId', str(name, args[1]), args.slice(2).map((a) => str(name, a)))}`;
    case 'resourcegroup':
      return {
        id: `/subscriptions/${ctx.scope.subscriptionId}/resourceGroups/${ctx.scope.resourceGroup}`,
        name: ctx.scope.resourceGroup,
        type: 'Microsoft.Resources/resourceGroups',
        location: ctx.scope.location,
        properties: { provisioningState: 'Succeeded' },
      };
    case 'subscription':
      return { id: `/subscriptions/${ctx.scope.subscriptionId}`, subscriptionId: ctx.scope.subscriptionId, tenantId: ctx.scope.tenantId };
    case 'tolower':
      return str(name, args[0]).toLowerCase();
    case 'toupper':
      return str(name, args[0]).toUpperCase();
    case 'string':
      return typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    default:
      throw new TemplateError(`The template function '${name}' is not valid. Please see https://aka.ms/arm-functions for usage details.`);
  }
}

function run(node: Node, ctx: ExpressionContext, seen: Set<string>): unknown {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'call':
      return call(node.name, node.args.map((a) => run(a, ctx, seen)), ctx, seen);
    case 'prop': {
      const of = run(node.of, ctx, seen);
      if (!of || typeof of !== 'object' || Array.isArray(of)) throw new TemplateError(`The language expression property '${node.name}' can't be evaluated: the value is not an object.`);
      const hit = Object.entries(of).find(([k]) => k.toLowerCase() === node.name.toLowerCase());
      if (!hit) throw new TemplateError(`The language expression property '${node.name}' doesn't exist.`);
      return hit[1];
    }
    case 'index': {
      const of = run(node.of, ctx, seen);
      const at = run(node.at, ctx, seen);
      if (Array.isArray(of) && typeof at === 'number') {
        if (at < 0 || at >= of.length) throw new TemplateError(`The language expression index '${at}' is out of bounds.`);
        return of[at];
      }
      if (of && typeof of === 'object' && typeof at === 'string') return run({ k: 'prop', of: { k: 'lit', v: of }, name: at }, ctx, seen);
      throw new TemplateError('The language expression index is not valid.');
    }
  }
}

/** A JSON string value: an expression's result, the literal with `[[` unescaped, or the string itself. */
export function evaluateString(s: string, ctx: ExpressionContext, seen: Set<string> = new Set()): unknown {
  if (!s.startsWith('[') || !s.endsWith(']')) return s;
  if (s.startsWith('[[')) return s.slice(1);
  return run(parse(s.slice(1, -1)), ctx, seen);
}

/** Every string of a JSON value evaluated (object keys are never expressions here). */
export function evaluateValue(v: unknown, ctx: ExpressionContext, seen: Set<string> = new Set()): unknown {
  if (typeof v === 'string') return evaluateString(v, ctx, seen);
  if (Array.isArray(v)) return v.map((x) => evaluateValue(x, ctx, seen));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = evaluateValue(x, ctx, seen);
    return out;
  }
  return v;
}
