/**
 * `sentinel.config.yaml`: the repository identity (model/identity.ts), read with source positions
 * and checked against its schema; and the text `sentinel init` writes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../model/types.ts';
import { REPO_CONFIG_FILE, type RepoIdentity } from '../model/identity.ts';
import { parseYamlFile } from './yaml.ts';
import { checkSchema } from './schema.ts';

export type RepoConfigResult =
  | { status: 'missing' }
  | { status: 'invalid'; diagnostics: Diagnostic[] }
  | { status: 'ok'; identity: RepoIdentity };

/** Reads the repository identity from `<root>/sentinel.config.yaml`. */
export async function readRepoConfig(root: string): Promise<RepoConfigResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(root, REPO_CONFIG_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw e;
  }
  const parsed = parseYamlFile(REPO_CONFIG_FILE, bytes);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || parsed.value === undefined) {
    return { status: 'invalid', diagnostics: errors.length ? errors : [{ file: REPO_CONFIG_FILE, line: 1, col: 1, severity: 'error', code: 'config/empty', message: 'empty file: run `sentinel init --force` to write the repository identity' }] };
  }
  const checked = checkSchema('repo-config', parsed.value, parsed.source);
  if (!checked.ok) return { status: 'invalid', diagnostics: checked.diagnostics };
  const r = checked.value.repository;
  return { status: 'ok', identity: { id: r.id.toLowerCase(), name: r.name, legacyOwners: r.legacyOwners ?? [], template: r.template ?? false } };
}

/** The file `sentinel init` writes. */
export function repoConfigText(identity: RepoIdentity): string {
  return (
    '# yaml-language-server: $schema=scripts/content/schemas/repo-config.schema.json\n' +
    '# The repository identity (written by `sentinel init`; see docs/deploy.md#repository-identity).\n' +
    '# Every item this repository deploys is recorded in Sentinel metadata under this id: never change it\n' +
    '# for a repository that has deployed, and never copy it to another repository.\n' +
    'repository:\n' +
    `  id: ${identity.id}\n` +
    `  name: ${JSON.stringify(identity.name)}\n` +
    (identity.legacyOwners.length ? `  legacyOwners: [${identity.legacyOwners.map((n) => JSON.stringify(n)).join(', ')}]\n` : '') +
    (identity.template ? '  template: true\n' : '')
  );
}
