/**
 * The repository identity: who owns what this repository deploys. Every ownership record (Sentinel
 * metadata, see deploy/plan/ownership.ts) carries it, and the workspace lease names it. Set once by
 * `sentinel init` in `sentinel.config.yaml` (content/repo-config.ts reads it).
 *
 *   id             a GUID, fresh per repository: ownership is matched on it (metadata source.sourceId)
 *   name           a human name (metadata source.name and author.name, plan output, lease holder)
 *   legacyOwners   names records were written under before identities existed (then source.name ==
 *                  source.sourceId == the package.json name): such records are still recognised as
 *                  this repository's and are rewritten with the id on the next apply
 *   template       the template's own identity: a clone must run `sentinel init --force`
 */
export interface RepoIdentity {
  id: string;
  name: string;
  legacyOwners: readonly string[];
  template: boolean;
}

/** The file holding the identity, at the repository root. */
export const REPO_CONFIG_FILE = 'sentinel.config.yaml';

/**
 * An owner as the deploy stage takes it: an identity, or a bare name (tests, `--repo-name`) that is
 * both the id and the human name.
 */
export type OwnerRef = string | RepoIdentity;

export function ownerOf(o: OwnerRef): RepoIdentity {
  return typeof o === 'string' ? { id: o, name: o, legacyOwners: [], template: false } : o;
}

/** "name (id)", for plan output and messages. */
export function describeOwner(o: OwnerRef): string {
  const i = ownerOf(o);
  return i.id === i.name ? i.name : `${i.name} (${i.id})`;
}
