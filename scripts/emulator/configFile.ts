/**
 * Emulator configuration from a YAML/JSON file (`--config`). Errors are one line with
 * file:line:col and what to do. The emulator is standalone (it imports only scripts/model/), so it
 * parses with `yaml` itself, as safely as the content loader: invalid UTF-8, duplicate keys,
 * prototype-altering keys and alias bombs are errors at their position.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError, normaliseConfig, type EmulatorConfig } from './config.ts';

const TOP_KEYS = ['host', 'port', 'tenants', 'workspaces', 'tables', 'delegations', 'throttling', 'faults', 'pageSize', 'watchlists', 'stateFile', 'tokenSecret', 'tokenLifetimeSeconds', 'https'];
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Cap on alias dereferences (a "billion laughs" document needs many). */
const MAX_ALIAS_COUNT = 100;

interface Parsed {
  doc: Document;
  value: unknown;
  at(offset: number): string;
}

function parseConfigYaml(display: string, bytes: Buffer): Parsed {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ConfigError(`${display}:1:1: invalid UTF-8; save the file as UTF-8`);
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${line}:${col}`;
  };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const first = doc.errors[0];
  if (first) throw new ConfigError(`${display}:${at(first.pos[0])}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        throw new ConfigError(`${display}:${at(pair.key.range?.[0] ?? 0)}: key "${String(pair.key.value)}" is not allowed (it would alter object prototypes)`);
      }
    },
  });
  try {
    return { doc, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), at };
  } catch (e) {
    let alias = 0;
    visit(doc, {
      Alias(_, node) {
        alias = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    throw new ConfigError(`${display}:${at(alias)}: too many alias expansions (limit ${MAX_ALIAS_COUNT}): ${(e as Error).message.replace(/\.$/, '')}`);
  }
}

/** Position of the node at a config path such as "tenants[0].subscriptions[1].subscriptionId" (its key for a mapping entry). */
function positionOf(parsed: Parsed, where: string): string {
  const path = where.split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n > 0; n--) {
    const node = parsed.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return parsed.at(node.range[0]);
  }
  return '1:1';
}

/**
 * `https: {certFile, keyFile, port?}` in a config file: PEM files, relative to the config file, read
 * into the programmatic `https: {cert, key, port?}` (which a file may also give inline).
 */
function readHttpsFiles(config: Record<string, unknown>, dir: string, display: string, parsed: Parsed): void {
  const h = config.https;
  if (h === undefined) return;
  if (!h || typeof h !== 'object' || Array.isArray(h)) throw new ConfigError(`${display}:${positionOf(parsed, 'https')}: https must be a mapping {certFile, keyFile, port?}`);
  const tls = { ...(h as Record<string, unknown>) };
  for (const [fileKey, key] of [['certFile', 'cert'], ['keyFile', 'key']] as const) {
    const path = tls[fileKey];
    if (path === undefined) continue;
    if (typeof path !== 'string' || !path) throw new ConfigError(`${display}:${positionOf(parsed, `https.${fileKey}`)}: https.${fileKey} must be a file path`);
    const full = resolve(dir, path);
    if (!existsSync(full)) throw new ConfigError(`${display}:${positionOf(parsed, `https.${fileKey}`)}: https.${fileKey}: ${path} not found`);
    tls[key] = readFileSync(full, 'utf8');
    delete tls[fileKey];
  }
  config.https = tls;
}

export function loadConfigFile(file: string, root = process.cwd()): EmulatorConfig {
  const display = relative(root, file) || file;
  if (!existsSync(file)) throw new ConfigError(`${display}: file not found`);
  const parsed = parseConfigYaml(display, readFileSync(file));
  const { value } = parsed;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${display}:1:1: the emulator config must be a mapping (tenants, workspaces, throttling, faults, …)`);
  }
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(`${display}:${positionOf(parsed, key)}: unknown key '${key}' (allowed: ${TOP_KEYS.join(', ')})`);
  }
  readHttpsFiles(config, dirname(file), display, parsed);
  try {
    normaliseConfig(config as EmulatorConfig);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const where = /^([\w.[\]]+)[: ]/.exec(e.message)?.[1] ?? '';
    throw new ConfigError(`${display}:${positionOf(parsed, where)}: ${e.message}`);
  }
  return config as EmulatorConfig;
}
