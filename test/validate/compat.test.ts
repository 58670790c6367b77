import { afterEach, describe, expect, it } from 'vitest';
import { goodRepo, writeDocs, type TempRepo } from '../helpers/repo.ts';
import { QUIRKY_RULE as QUIRKY, QUIRKY_RULE_PATH as IMPORTED } from '../helpers/quirky-rule.ts';
import { validate } from '../../scripts/validate/validate.ts';
import { staleDocs } from '../../scripts/cli/docs.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('validate: Azure-Sentinel quirks are warnings, real defects stay errors', () => {
  it('a quirky imported rule gets compat/* warnings and no error; its missing docs page is a warning', async () => {
    repo = goodRepo({ [IMPORTED]: QUIRKY });
    await writeDocs(repo);
    repo.remove('docs/rules/role-member-added.md');
    const res = await validate(repo.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
    const mine = res.diagnostics.filter((d) => d.file === IMPORTED || d.file.startsWith('docs/') || d.file === 'README.md');
    expect(mine.filter((d) => d.severity === 'error')).toEqual([]);
    expect(mine.map((d) => `${d.line} ${d.severity} ${d.code}`)).toEqual(expect.arrayContaining([
      '1 warning content/schema-header', '2 warning compat/kind-missing', '5 warning compat/value-case', '8 warning compat/key-case',
      '10 warning compat/duration-form', '12 warning compat/trigger-operator', '16 warning compat/legacy-field',
      '23 warning compat/null-value', '24 warning compat/null-value', '25 warning compat/legacy-field',
    ]));
    expect(res.diagnostics).toContainEqual(expect.objectContaining({ file: 'docs/rules/role-member-added.md', severity: 'warning', code: 'docs/missing' }));
  });

  it('a rule written to the pack conventions (an investigationGuide) still gets an error for its missing page', async () => {
    repo = goodRepo({ [IMPORTED]: QUIRKY.replace('version: 1.0.0\n', 'version: 1.0.0\ninvestigationGuide: Check the actor.\n') });
    await writeDocs(repo);
    repo.remove('docs/rules/role-member-added.md');
    const res = await validate(repo.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
    expect(res.diagnostics).toContainEqual(expect.objectContaining({ file: 'docs/rules/role-member-added.md', severity: 'error', code: 'docs/missing' }));
  });

  it('a technique outside the listed tactics: a warning for an imported rule, an error under the pack conventions', async () => {
    const outside = QUIRKY.replace('  - T1098\n', '  - T1528\n');
    repo = goodRepo({ [IMPORTED]: outside });
    await writeDocs(repo);
    const imported = await validate(repo.root, { cacheDir: false, workers: 0 });
    expect(imported.diagnostics).toContainEqual(expect.objectContaining({ file: IMPORTED, severity: 'warning', code: 'check/attack-tactic' }));
    repo.cleanup();
    repo = goodRepo({ [IMPORTED]: outside.replace('version: 1.0.0\n', 'version: 1.0.0\ninvestigationGuide: Check the actor.\n') });
    await writeDocs(repo);
    const pack = await validate(repo.root, { cacheDir: false, workers: 0 });
    expect(pack.diagnostics).toContainEqual(expect.objectContaining({ file: IMPORTED, severity: 'error', code: 'check/attack-tactic' }));
  });

  it('real defects in a quirky rule stay errors: unknown technique, duplicate id, a query the engine refuses', async () => {
    repo = goodRepo({
      [IMPORTED]: QUIRKY.replace('  - T1098\n', '  - T9999\n').replace('== "Add member to role"', '== 42 and OperationName == "Add member to role"'),
      'analytics-rules/imported/copy.yaml': QUIRKY.replace('name: Member added to a privileged role', 'name: Copy'),
    });
    await writeDocs(repo);
    const res = await validate(repo.root, { cacheDir: false, workers: 0, extraChecks: [staleDocs] });
    const errors = res.diagnostics.filter((d) => d.severity === 'error' && d.file === IMPORTED).map((d) => d.code);
    expect(errors).toEqual(expect.arrayContaining(['check/attack-unknown', 'check/duplicate-id']));
    expect(errors.some((c) => c.startsWith('kql/'))).toBe(true);
    // The technique error points at the line where the file has it (under its ARM name).
    expect(res.diagnostics).toContainEqual(expect.objectContaining({ file: IMPORTED, line: 17, code: 'check/attack-unknown' }));
  });
});


describe('unknown top-level fields', () => {
  it('in an imported rule: a compat warning with the closest field, the rule loads; under the pack conventions: a schema error', async () => {
    repo = goodRepo({ [IMPORTED]: QUIRKY.replace('version: 1.0.0\n', 'version: 1.0.0\ntag: [identity]\n') });
    await writeDocs(repo);
    const imported = await validate(repo.root, { cacheDir: false, workers: 0 });
    const mine = imported.diagnostics.filter((d) => d.file === IMPORTED);
    expect(mine).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'compat/unknown-field', message: expect.stringContaining('unknown field "tag" (did you mean "tags"?)') }));
    expect(mine.filter((d) => d.severity === 'error')).toEqual([]);
    expect(imported.repo.rules.some((r) => r.source.file === IMPORTED)).toBe(true);
    repo.cleanup();
    repo = goodRepo({ [IMPORTED]: QUIRKY.replace('version: 1.0.0\n', 'version: 1.0.0\ninvestigationGuide: Check the actor.\ntag: [identity]\n') });
    const pack = await validate(repo.root, { cacheDir: false, workers: 0 });
    expect(pack.diagnostics).toContainEqual(expect.objectContaining({ file: IMPORTED, severity: 'error', code: 'schema/additionalProperties' }));
  });
});

describe('ATT&CK for ICS techniques', () => {
  it('are a warning (Sentinel accepts them for OT content); a made-up Enterprise id stays an error', async () => {
    repo = goodRepo({ [IMPORTED]: QUIRKY.replace('  - T1098\n', '  - T0863\n  - T1999\n') });
    await writeDocs(repo);
    const res = await validate(repo.root, { cacheDir: false, workers: 0 });
    const mine = res.diagnostics.filter((d) => d.file === IMPORTED && d.code.startsWith('check/attack'));
    expect(mine.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning check/attack-ics', 'error check/attack-unknown']);
  });
});
