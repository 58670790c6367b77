/** The repository configuration (repo-config.schema.json): `sentinel.config.yaml`, written by `sentinel init`. */
import { Type } from '@sinclair/typebox';
import { JSON_SCHEMA_DRAFT, common, text } from './common.ts';

export const RepoConfigSchema = Type.Object({
  repository: Type.Object({
    id: common('guid'),
    name: text({ description: 'Human name of this repository: shown in plans and lease messages, written to Sentinel metadata.' }),
    legacyOwners: Type.Optional(Type.Array(text(), {
      description: 'Ownership names used before this identity existed (the package.json name): their records still count as this repository\'s.',
    })),
    template: Type.Optional(Type.Boolean({ description: 'The template\'s own identity: run `sentinel init --force` in a new repository.' })),
  }, { additionalProperties: false, description: 'The identity every ownership record and workspace lease carries. Set once by `sentinel init`.' }),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'repo-config.schema.json',
  title: 'Repository configuration: the repository identity',
  additionalProperties: false,
});
