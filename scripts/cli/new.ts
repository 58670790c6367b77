/** `sentinel new <kind> <name>`: writes the scaffold of a content item (content/scaffold.ts); never overwrites. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError, type VerbHandler } from './context.ts';
import { isGuid } from '../model/guid.ts';
import { NEW_KINDS, ScaffoldError, scaffoldRule, scaffoldTarget, scaffoldWatchlist, scaffoldWorkbook, type NewKind, type ScaffoldFile } from '../content/scaffold.ts';

interface NewOpts {
  kind: 'Scheduled' | 'NRT';
  table: string;
  tenant?: string;
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  wave?: number;
}

function filesFor(kind: NewKind, name: string, o: NewOpts): ScaffoldFile[] {
  switch (kind) {
    case 'rule': return scaffoldRule({ name, kind: o.kind, table: o.table });
    case 'watchlist': return scaffoldWatchlist(name);
    case 'workbook': return scaffoldWorkbook(name);
    case 'target':
      for (const [flag, v] of [['--tenant', o.tenant], ['--subscription', o.subscription]] as const) {
        if (v !== undefined && !isGuid(v)) throw new UsageError(`${flag} must be a GUID (got "${v}")`);
      }
      return scaffoldTarget({
        name,
        ...(o.tenant ? { tenantId: o.tenant } : {}), ...(o.subscription ? { subscriptionId: o.subscription } : {}),
        ...(o.resourceGroup ? { resourceGroup: o.resourceGroup } : {}), ...(o.workspace ? { workspaceName: o.workspace } : {}),
        ...(o.wave !== undefined ? { wave: o.wave } : {}),
      });
  }
}

export const runNew: VerbHandler<NewOpts> = async (input, ctx) => {
  const [kind, name] = input.operands as [string, string];
  if (!(NEW_KINDS as readonly string[]).includes(kind)) throw new UsageError(`unknown kind "${kind}": use one of ${NEW_KINDS.join(', ')}`, true);
  let files: ScaffoldFile[];
  try {
    files = filesFor(kind as NewKind, name, input.opts);
  } catch (e) {
    if (e instanceof ScaffoldError) throw new UsageError(e.message);
    throw e;
  }
  const existing = files.filter((f) => existsSync(join(ctx.root, f.path)));
  if (existing.length) throw new UsageError(`${existing.map((f) => f.path).join(', ')} already exists; choose another name (nothing was written)`);
  for (const f of files) {
    await mkdir(dirname(join(ctx.root, f.path)), { recursive: true });
    await writeFile(join(ctx.root, f.path), f.text, { flag: 'wx' });
    ctx.out(`created ${f.path}`);
  }
  if (kind === 'rule') {
    ctx.out(`next: write the query and the test rows, then \`sentinel docs\` (its docs page), \`sentinel validate\` and \`sentinel test ${files[1]!.path}\``);
  }
  return 0;
};
