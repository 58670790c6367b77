/**
 * Emulator configuration from files: a YAML/JSON config (`--config`), or the workspaces named by
 * the repo's deployment targets (`targets/*.yaml`: tenantId, subscriptionId, resourceGroup,
 * workspaceName, location). Errors are one line with file:line:col and what to do.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
import { ConfigError, normaliseConfig, type EmulatorConfig, type EmulatorWorkspaceRef } from './config.ts';

const TOP_KEYS = ['host', 'port', 'tenants', 'workspaces', 'throttling', 'faults', 'pageSize', 'stateFile', 'tokenSecret', 'tokenLifetimeSeconds'];

function parseYamlFile(file: string, display: string): { doc: Document; lines: LineCounter } {
  if (!existsSync(file)) throw new ConfigError(`${display}: file not found`);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    throw new ConfigError(`${display}:${line}:${col}: ${err.message.split('\n')[0]}`);
  }
  return { doc, lines };
}

/** Position of the node at a config path such as "tenants[0].subscriptions[1].subscriptionId". */
function positionOf(doc: Document, lines: LineCounter, where: string): string {
  const path = where.split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

export function loadConfigFile(file: string, root = process.cwd()): EmulatorConfig {
  const display = relative(root, file) || file;
  const { doc, lines } = parseYamlFile(file, display);
  if (!isMap(doc.contents)) throw new ConfigError(`${display}:1:1: the emulator config must be a mapping (tenants, workspaces, throttling, faults, …)`);
  const config = doc.toJS() as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(`${display}:${positionOf(doc, lines, key)}: unknown key '${key}' (allowed: ${TOP_KEYS.join(', ')})`);
  }
  try {
    normaliseConfig(config as EmulatorConfig);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const where = /^([\w.[\]]+)[: ]/.exec(e.message)?.[1] ?? '';
    throw new ConfigError(`${display}:${positionOf(doc, lines, where)}: ${e.message}`);
  }
  return config as EmulatorConfig;
}

/** Workspaces of the repo's targets (only the fields the emulator needs; the deploy stage validates targets fully). */
export function workspacesFromTargets(root: string): EmulatorWorkspaceRef[] {
  const dir = join(root, 'targets');
  if (!existsSync(dir)) return [];
  const out: EmulatorWorkspaceRef[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const display = `targets/${name}`;
    const { doc, lines } = parseYamlFile(join(dir, name), display);
    const t = (doc.toJS() ?? {}) as Record<string, unknown>;
    const get = (key: string): string => {
      const v = t[key];
      if (typeof v !== 'string' || v === '') throw new ConfigError(`${display}:${positionOf(doc, lines, key)}: '${key}' is required to emulate this target's workspace`);
      return v;
    };
    out.push({
      tenantId: get('tenantId'),
      subscriptionId: get('subscriptionId'),
      resourceGroup: get('resourceGroup'),
      workspace: get('workspaceName'),
      ...(typeof t['location'] === 'string' ? { location: t['location'] } : {}),
    });
  }
  return out;
}
