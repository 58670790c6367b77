/** The workbook schema (workbook.schema.json): an Azure Monitor gallery template as YAML. */
import { Type } from '@sinclair/typebox';
import { JSON_SCHEMA_DRAFT, common, openObject, text } from './common.ts';

export const WorkbookSchema = Type.Object({
  id: common('guid', { description: "Stable GUID; the workbook's ARM resource name." }),
  displayName: text({ maxLength: 256 }),
  description: Type.Optional(Type.String()),
  version: common('semver'),
  template: openObject({
    version: Type.Literal('Notebook/1.0'),
    items: Type.Array(openObject({
      type: Type.Integer({ description: 'Workbook item type: 1 text, 3 query, 9 parameters, 12 group, …' }),
    }), { minItems: 1 }),
  }, { description: 'The gallery template (`Notebook/1.0`) as plain data; serialised to JSON on deploy.' }),
}, {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'workbook.schema.json',
  title: 'Microsoft Sentinel workbook (Azure Monitor workbook gallery template as YAML)',
  additionalProperties: false,
});
