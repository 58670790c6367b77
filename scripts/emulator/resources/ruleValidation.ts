/**
 * The SecurityInsights service's own validation of alert rules, and the defaults it fills.
 * Pure: properties in, properties out (or an ArmError 400 whose message names the field).
 */
import { badRequest } from '../errors.ts';
import { describeMs, isoDurationMs } from '../../model/duration.ts';
import {
  AGGREGATION_KINDS, ALERT_DETAILS, ARM_TRIGGER_OPERATORS, ENTITY_TYPES, LIMITS, MATCHING_METHODS, RULE_SEVERITIES, TACTICS,
} from '../../model/sentinel.ts';
import type { Json } from './common.ts';

/** `productFilter` of MicrosoftSecurityIncidentCreation rules (REST spec `MicrosoftSecurityProductName`). */
export const PRODUCT_FILTERS = [
  'Microsoft Cloud App Security', 'Azure Security Center', 'Azure Advanced Threat Protection',
  'Azure Active Directory Identity Protection', 'Azure Security Center for IoT', 'Office 365 Advanced Threat Protection',
  'Microsoft Defender Advanced Threat Protection',
];

/** Service limits as [min, max] ranges of the fields they bound (Microsoft Sentinel service limits, in model/). */
const RANGES = {
  queryFrequency: [LIMITS.minFrequencyMs, LIMITS.maxFrequencyMs],
  queryPeriod: [LIMITS.minPeriodMs, LIMITS.maxPeriodMs],
  suppressionDuration: [LIMITS.minSuppressionMs, LIMITS.maxSuppressionMs],
  lookbackDuration: [LIMITS.minGroupingLookbackMs, LIMITS.maxGroupingLookbackMs],
  triggerThreshold: [LIMITS.minTriggerThreshold, LIMITS.maxTriggerThreshold],
} as const;

const field = (name: string) => `properties.${name}`;

function required(p: Json, name: string): unknown {
  const v = p[name];
  if (v === undefined || v === null) throw badRequest(`The ${field(name)} field is required.`);
  return v;
}

function str(p: Json, name: string, opts: { required?: boolean; nonEmpty?: boolean; max?: number } = {}): string | undefined {
  const v = opts.required ? required(p, name) : p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`Invalid value for ${field(name)}: expected a string, got ${JSON.stringify(v)}.`);
  if (opts.nonEmpty && v.trim() === '') throw badRequest(`The ${field(name)} field must not be empty.`);
  if (opts.max !== undefined && v.length > opts.max) throw badRequest(`${field(name)} is ${v.length} characters long; the maximum is ${opts.max}.`);
  return v;
}

function bool(p: Json, name: string, isRequired: boolean): void {
  const v = isRequired ? required(p, name) : p[name];
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw badRequest(`Invalid value for ${field(name)}: expected true or false, got ${JSON.stringify(v)}.`);
}

function oneOf(path: string, v: unknown, allowed: readonly string[]): void {
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw badRequest(`Invalid value ${JSON.stringify(v)} for ${path}. Allowed values: ${allowed.join(', ')}.`);
  }
}

function list(path: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw badRequest(`Invalid value for ${path}: expected an array, got ${JSON.stringify(v)}.`);
  return v;
}

function duration(path: string, v: unknown, [min, max]: readonly [number, number], label: string): number {
  const ms = typeof v === 'string' ? isoDurationMs(v) : undefined;
  if (ms === undefined) throw badRequest(`Invalid value ${JSON.stringify(v)} for ${path}: expected an ISO 8601 duration such as PT5H or P1D.`);
  if (ms < min || ms > max) {
    throw badRequest(`Invalid value '${String(v)}' for ${path}: the ${label} must be between ${describeMs(min)} and ${describeMs(max)}.`);
  }
  return ms;
}

function validateTactics(p: Json): void {
  if (p['tactics'] != null) list(field('tactics'), p['tactics']).forEach((t, i) => oneOf(`${field('tactics')}[${i}]`, t, TACTICS));
  if (p['techniques'] != null) {
    list(field('techniques'), p['techniques']).forEach((t, i) => {
      if (typeof t !== 'string' || !/^T\d{4}$/.test(t)) throw badRequest(`Invalid value ${JSON.stringify(t)} for ${field('techniques')}[${i}]: expected a MITRE ATT&CK technique id like T1098 (sub-techniques go in subTechniques).`);
    });
  }
  if (p['subTechniques'] != null) {
    list(field('subTechniques'), p['subTechniques']).forEach((t, i) => {
      if (typeof t !== 'string' || !/^T\d{4}\.\d{3}$/.test(t)) throw badRequest(`Invalid value ${JSON.stringify(t)} for ${field('subTechniques')}[${i}]: expected a MITRE ATT&CK sub-technique id like T1098.001.`);
    });
  }
}

function validateEntityMappings(p: Json): void {
  const em = p['entityMappings'];
  if (em == null) return;
  const mappings = list(field('entityMappings'), em);
  if (mappings.length > LIMITS.maxEntityMappings) throw badRequest(`${field('entityMappings')} has ${mappings.length} entries; at most ${LIMITS.maxEntityMappings} entity mappings are allowed.`);
  mappings.forEach((m, i) => {
    const path = `${field('entityMappings')}[${i}]`;
    if (typeof m !== 'object' || m === null) throw badRequest(`Invalid value for ${path}: expected an object.`);
    const mapping = m as Json;
    oneOf(`${path}.entityType`, mapping['entityType'], ENTITY_TYPES);
    const fms = list(`${path}.fieldMappings`, mapping['fieldMappings'] ?? null);
    if (fms.length === 0 || fms.length > LIMITS.maxIdentifiersPerMapping) {
      throw badRequest(`${path}.fieldMappings must have between 1 and ${LIMITS.maxIdentifiersPerMapping} identifiers, got ${fms.length}.`);
    }
    fms.forEach((f, j) => {
      const fp = `${path}.fieldMappings[${j}]`;
      const fm = (f ?? {}) as Json;
      for (const key of ['identifier', 'columnName']) {
        if (typeof fm[key] !== 'string' || (fm[key] as string) === '') throw badRequest(`The ${fp}.${key} field is required.`);
      }
    });
  });
}

function validateCustomDetails(p: Json): void {
  const cd = p['customDetails'];
  if (cd == null) return;
  if (typeof cd !== 'object' || Array.isArray(cd)) throw badRequest(`Invalid value for ${field('customDetails')}: expected an object of key → column name.`);
  const entries = Object.entries(cd as Json);
  if (entries.length > LIMITS.maxCustomDetails) throw badRequest(`${field('customDetails')} has ${entries.length} entries; at most ${LIMITS.maxCustomDetails} are allowed.`);
  for (const [k, v] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw badRequest(`Invalid key '${k}' in ${field('customDetails')}: keys must start with a letter or underscore and contain only letters, digits and underscores.`);
    if (typeof v !== 'string' || v === '') throw badRequest(`Invalid value for ${field('customDetails')}.${k}: expected a column name.`);
  }
}

function validateIncidentConfiguration(p: Json): void {
  const ic = p['incidentConfiguration'];
  if (ic == null) return;
  const path = field('incidentConfiguration');
  if (typeof ic !== 'object' || Array.isArray(ic)) throw badRequest(`Invalid value for ${path}: expected an object.`);
  const c = ic as Json;
  if (typeof c['createIncident'] !== 'boolean') throw badRequest(`The ${path}.createIncident field is required (true or false).`);
  const g = c['groupingConfiguration'];
  if (g == null) return;
  const gp = `${path}.groupingConfiguration`;
  const gc = g as Json;
  for (const key of ['enabled', 'reopenClosedIncident']) {
    if (typeof gc[key] !== 'boolean') throw badRequest(`The ${gp}.${key} field is required (true or false).`);
  }
  duration(`${gp}.lookbackDuration`, gc['lookbackDuration'], RANGES.lookbackDuration, 'grouping lookback duration');
  oneOf(`${gp}.matchingMethod`, gc['matchingMethod'], MATCHING_METHODS);
  if (gc['groupByEntities'] != null) list(`${gp}.groupByEntities`, gc['groupByEntities']).forEach((e, i) => oneOf(`${gp}.groupByEntities[${i}]`, e, ENTITY_TYPES));
  if (gc['groupByAlertDetails'] != null) list(`${gp}.groupByAlertDetails`, gc['groupByAlertDetails']).forEach((e, i) => oneOf(`${gp}.groupByAlertDetails[${i}]`, e, ALERT_DETAILS));
  if (gc['matchingMethod'] === 'Selected') {
    const n = ['groupByEntities', 'groupByAlertDetails', 'groupByCustomDetails'].reduce((s, k) => s + (Array.isArray(gc[k]) ? (gc[k] as unknown[]).length : 0), 0);
    if (n === 0) throw badRequest(`${gp}: when matchingMethod is Selected, at least one of groupByEntities, groupByAlertDetails or groupByCustomDetails must be non-empty.`);
  }
}

function validateQueryRule(p: Json): void {
  str(p, 'displayName', { required: true, nonEmpty: true, max: 256 });
  str(p, 'description', { max: 5000 });
  bool(p, 'enabled', true);
  str(p, 'query', { required: true, nonEmpty: true, max: LIMITS.maxQueryLength });
  oneOf(field('severity'), required(p, 'severity'), RULE_SEVERITIES);
  validateTactics(p);
  bool(p, 'suppressionEnabled', false);
  if (p['suppressionDuration'] != null) duration(field('suppressionDuration'), p['suppressionDuration'], RANGES.suppressionDuration, 'suppression duration');
  validateEntityMappings(p);
  validateCustomDetails(p);
  validateIncidentConfiguration(p);
  const eg = p['eventGroupingSettings'];
  if (eg != null) oneOf(`${field('eventGroupingSettings')}.aggregationKind`, (eg as Json)['aggregationKind'], AGGREGATION_KINDS);
  if (p['sentinelEntitiesMappings'] != null) {
    list(field('sentinelEntitiesMappings'), p['sentinelEntitiesMappings']).forEach((m, i) => {
      if (typeof (m as Json)?.['columnName'] !== 'string') throw badRequest(`The ${field('sentinelEntitiesMappings')}[${i}].columnName field is required.`);
    });
  }
}

function validateScheduled(p: Json): void {
  validateQueryRule(p);
  const freq = duration(field('queryFrequency'), required(p, 'queryFrequency'), RANGES.queryFrequency, 'query frequency');
  const period = duration(field('queryPeriod'), required(p, 'queryPeriod'), RANGES.queryPeriod, 'query period');
  if (period < freq) {
    throw badRequest(`Invalid value '${String(p['queryPeriod'])}' for ${field('queryPeriod')}: the query period must be greater than or equal to the query frequency '${String(p['queryFrequency'])}'.`);
  }
  oneOf(field('triggerOperator'), required(p, 'triggerOperator'), ARM_TRIGGER_OPERATORS);
  const t = required(p, 'triggerThreshold');
  const [tmin, tmax] = RANGES.triggerThreshold;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < tmin || t > tmax) {
    throw badRequest(`Invalid value ${JSON.stringify(t)} for ${field('triggerThreshold')}: expected an integer between ${tmin} and ${tmax}.`);
  }
}

function validateFusion(p: Json): void {
  str(p, 'alertRuleTemplateName', { required: true, nonEmpty: true });
  bool(p, 'enabled', true);
}

function validateIncidentCreation(p: Json): void {
  str(p, 'displayName', { required: true, nonEmpty: true, max: 256 });
  bool(p, 'enabled', true);
  oneOf(field('productFilter'), required(p, 'productFilter'), PRODUCT_FILTERS);
  if (p['severitiesFilter'] != null) list(field('severitiesFilter'), p['severitiesFilter']).forEach((s, i) => oneOf(`${field('severitiesFilter')}[${i}]`, s, RULE_SEVERITIES));
  for (const k of ['displayNamesFilter', 'displayNamesExcludeFilter']) if (p[k] != null) list(field(k), p[k]);
}

const VALIDATORS: Record<string, (p: Json) => void> = {
  Scheduled: validateScheduled,
  NRT: validateQueryRule,
  Fusion: validateFusion,
  MicrosoftSecurityIncidentCreation: validateIncidentCreation,
};

export function validateRule(kind: string, props: Json): void {
  VALIDATORS[kind]?.(props);
}

const DEFAULT_GROUPING = {
  enabled: false,
  reopenClosedIncident: false,
  lookbackDuration: 'PT5H',
  matchingMethod: 'AllEntities',
  groupByEntities: [],
  groupByAlertDetails: [],
  groupByCustomDetails: [],
};

function fillIncidentConfiguration(ic: unknown): Json {
  if (ic == null) return { createIncident: true, groupingConfiguration: structuredClone(DEFAULT_GROUPING) };
  const c = structuredClone(ic) as Json;
  c['groupingConfiguration'] = c['groupingConfiguration'] == null ? structuredClone(DEFAULT_GROUPING) : { ...structuredClone(DEFAULT_GROUPING), ...(c['groupingConfiguration'] as Json) };
  return c;
}

/** Defaults the service fills on Scheduled/NRT rules, so reads show them even when the write omitted them. */
export function fillRuleDefaults(kind: string, p: Json, knownFields: readonly string[]): Json {
  const out: Json = { ...p };
  const setIfAbsent = (k: string, v: unknown) => {
    if (knownFields.includes(k) && (out[k] === undefined || out[k] === null)) out[k] = v;
  };
  if (kind === 'Scheduled' || kind === 'NRT') {
    setIfAbsent('alertRuleTemplateName', null);
    setIfAbsent('templateVersion', null);
    setIfAbsent('tactics', []);
    setIfAbsent('techniques', []);
    setIfAbsent('subTechniques', []);
    setIfAbsent('suppressionEnabled', false);
    setIfAbsent('suppressionDuration', 'PT5H');
    setIfAbsent('eventGroupingSettings', { aggregationKind: 'SingleAlert' });
    setIfAbsent('customDetails', null);
    setIfAbsent('entityMappings', null);
    setIfAbsent('alertDetailsOverride', null);
    setIfAbsent('sentinelEntitiesMappings', null);
    out['incidentConfiguration'] = fillIncidentConfiguration(out['incidentConfiguration']);
    // A given alertDetailsOverride reads back with its unset formats as null (GetScheduledAlertRule.json and
    // GetAllAlertRules.json in stable/2024-09-01/examples/alertRules show alertTacticsColumnName and
    // alertSeverityColumnName: null for a rule created without them).
    const ado = out['alertDetailsOverride'];
    if (ado && typeof ado === 'object' && !Array.isArray(ado)) {
      const filled: Json = { ...(ado as Json) };
      for (const k of ['alertDisplayNameFormat', 'alertDescriptionFormat', 'alertTacticsColumnName', 'alertSeverityColumnName']) if (filled[k] === undefined) filled[k] = null;
      out['alertDetailsOverride'] = filled;
    }
  } else if (kind === 'Fusion') {
    setIfAbsent('displayName', 'Advanced Multistage Attack Detection');
    setIfAbsent('description', 'Microsoft Sentinel uses Fusion, a correlation engine based on scalable machine learning algorithms, to automatically detect multistage attacks.');
    setIfAbsent('severity', 'High');
    setIfAbsent('tactics', ['Collection', 'CommandAndControl', 'CredentialAccess', 'DefenseEvasion', 'Discovery', 'Execution', 'Exfiltration', 'Impact', 'InitialAccess', 'LateralMovement', 'Persistence', 'PrivilegeEscalation']);
    setIfAbsent('techniques', []);
    setIfAbsent('sourceSettings', []);
    setIfAbsent('scenarioExclusionPatterns', null);
  } else if (kind === 'MicrosoftSecurityIncidentCreation') {
    // The spec example (stable/2024-09-01/examples/alertRules/CreateMicrosoftSecurityIncidentCreationAlertRule.json)
    // answers a PUT without them with description, alertRuleTemplateName and the filters as null.
    setIfAbsent('description', null);
    setIfAbsent('alertRuleTemplateName', null);
    setIfAbsent('severitiesFilter', null);
    setIfAbsent('displayNamesFilter', null);
    setIfAbsent('displayNamesExcludeFilter', null);
  }
  return out;
}
