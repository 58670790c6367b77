/**
 * Emulator configuration from files: a YAML/JSON config (`--config`), or the workspaces named by
 * the repo's deployment targets (`targets/*.yaml`: tenantId, subscriptionId, resourceGroup,
 * workspaceName, location). Errors are one line with file:line:col and what to do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadRepo } from '../content/load.ts';
import type { SourceFile, Target } from '../model/types.ts';
import { parseYamlFile } from '../content/yaml.ts';
import { ConfigError, normaliseConfig, type EmulatorConfig, type EmulatorWorkspaceRef } from './config.ts';

const TOP_KEYS = ['host', 'port', 'tenants', 'workspaces', 'delegations', 'throttling', 'faults', 'pageSize', 'stateFile', 'tokenSecret', 'tokenLifetimeSeconds'];

/** Position of the node at a config path such as "tenants[0].subscriptions[1].subscriptionId". */
function positionOf(source: SourceFile, where: string): string {
  const path = where.split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const { line, col } = source.pos(path);
  return `${line}:${col}`;
}

export function loadConfigFile(file: string, root = process.cwd()): EmulatorConfig {
  const display = relative(root, file) || file;
  if (!existsSync(file)) throw new ConfigError(`${display}: file not found`);
  // The same safe loader as content files: encoding, alias bombs and prototype keys are errors.
  const { value, source, diagnostics } = parseYamlFile(display, readFileSync(file));
  const first = diagnostics.find((d) => d.severity === 'error');
  if (first) throw new ConfigError(`${display}:${first.line}:${first.col}: ${first.message}`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${display}:1:1: the emulator config must be a mapping (tenants, workspaces, throttling, faults, …)`);
  }
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(`${display}:${positionOf(source, key)}: unknown key '${key}' (allowed: ${TOP_KEYS.join(', ')})`);
  }
  try {
    normaliseConfig(config as EmulatorConfig);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const where = /^([\w.[\]]+)[: ]/.exec(e.message)?.[1] ?? '';
    throw new ConfigError(`${display}:${positionOf(source, where)}: ${e.message}`);
  }
  return config as EmulatorConfig;
}

/** The workspace each deployment target names, as the emulator holds it. */
export function workspacesOf(targets: readonly Target[]): EmulatorWorkspaceRef[] {
  return targets.map((t) => ({
    tenantId: t.tenantId, subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, workspace: t.workspaceName, location: t.location,
  }));
}

/** Workspaces of the repo's targets, loaded and schema-checked like every content file. */
export async function workspacesFromTargets(root: string): Promise<EmulatorWorkspaceRef[]> {
  const repo = await loadRepo(root);
  const first = repo.diagnostics.find((d) => d.severity === 'error' && d.file.startsWith('targets/'));
  if (first) throw new ConfigError(`${first.file}:${first.line}:${first.col}: ${first.message}`);
  return workspacesOf(repo.targets.map((t) => t.target));
}
