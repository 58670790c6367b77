/**
 * The top-level structure of an ARM deployment template, written here from the facts of the published
 * schema https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json
 * (Azure/azure-resource-manager-schemas, schemas/2019-04-01/deploymentTemplate.json): its property
 * names and types, `additionalProperties: false`, required `$schema`, `contentVersion`, `resources`,
 * the contentVersion and apiVersion patterns, the parameter type enum, ARMResourceBase (`name` and
 * `type` required; `apiVersion`, `dependsOn`, `condition`), `resourceKind` and the `output` definition.
 * The official schema's per-provider resource definitions (hundreds of $refs to other files) are left
 * out: it is not available offline, and the resources' `properties` are checked against our own
 * mapping instead (export-template.test.ts).
 */
export const PARAMETER_TYPES = ['string', 'securestring', 'int', 'bool', 'object', 'secureObject', 'array'];

const expression = { type: 'string', pattern: '^\\[([^\\[].*)?\\]$' };

export const DEPLOYMENT_TEMPLATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'contentVersion', 'resources'],
  properties: {
    $schema: { type: 'string' },
    apiProfile: { type: 'string', enum: ['2017-03-09-profile', '2018-03-01-hybrid', '2018-06-01-profile'] },
    contentVersion: { type: 'string', pattern: '(^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$)' },
    variables: { type: 'object' },
    parameters: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['type'],
        properties: {
          type: { enum: PARAMETER_TYPES },
          defaultValue: { type: ['string', 'boolean', 'integer', 'number', 'object', 'array', 'null'] },
          allowedValues: { type: 'array' },
          metadata: { type: 'object' },
          minValue: { type: 'integer' },
          maxValue: { type: 'integer' },
          minLength: { type: 'integer' },
          maxLength: { type: 'integer' },
        },
      },
    },
    functions: { type: 'array', items: { type: 'object' } },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type'],
        properties: {
          name: { type: 'string' },
          type: { type: 'string' },
          condition: { oneOf: [{ type: 'boolean' }, expression] },
          apiVersion: { type: 'string', pattern: '(^((\\d\\d\\d\\d-\\d\\d-\\d\\d)|([0-9]+(\\.[0-9]+)?))(-[a-zA-Z][a-zA-Z0-9]*)?$)' },
          dependsOn: { type: 'array', items: { type: 'string' } },
          location: { type: 'string' },
          tags: { type: 'object' },
          kind: { type: 'string', maxLength: 64, pattern: '(^[a-zA-Z0-9_.()-]+$)' },
          comments: { type: 'string' },
          properties: { type: 'object' },
        },
      },
    },
    outputs: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['type', 'value'], properties: { type: { enum: PARAMETER_TYPES } } },
    },
  },
} as const;
