/**
 * Request/response pairs written from the x-ms-examples of the REST specs in Azure/azure-rest-api-specs
 * (each fixture names its example file). Facts carry over — property names, kinds, enum values, statuses;
 * long prose values are shortened to a string of the same type, since the replay compares shapes, not
 * values. Paths are relative to the emulator scope the replay maps the example's parameters onto:
 * `ws` = the workspace's Microsoft.SecurityInsights provider, `rg` = the resource group, `sub` = the subscription.
 */

export interface SpecExample {
  /** Unique title (also the order the replay runs them in, within a group). */
  title: string;
  /** Example file in Azure/azure-rest-api-specs. */
  spec: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  scope: 'ws' | 'rg' | 'sub';
  path: string;
  apiVersion: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Replace the body's etag by the resource's current one (etag values are the emulator's). */
  currentEtag?: boolean;
  /** The example's response status this replay is compared with. */
  status: number;
  /** The example's response body for that status (shape compared); absent when the example has none. */
  response?: unknown;
  /** Dotted paths (`*` for any array element) whose object keys are data, not schema (tags, itemsKeyValue, …). */
  maps?: string[];
  /** Dotted paths where the emulator answers null for a value the example shows (a documented emulator choice). */
  nullable?: string[];
}

const SI = 'specification/securityinsights/resource-manager/Microsoft.SecurityInsights';
const WB = 'specification/applicationinsights/resource-manager/Microsoft.Insights/stable/2023-06-01/examples';

// ---- alert rules ------------------------------------------------------------------------------------------

const SCHEDULED_ID = '73e01a99-5cd7-4139-a149-9f2736ff2ab5';

const scheduledProps = {
  displayName: 'My scheduled rule',
  description: 'An example for a scheduled rule',
  severity: 'High',
  enabled: true,
  tactics: ['Persistence', 'LateralMovement'],
  query: 'Heartbeat',
  queryFrequency: 'PT1H',
  queryPeriod: 'P2DT1H30M',
  triggerOperator: 'GreaterThan',
  triggerThreshold: 0,
  suppressionDuration: 'PT1H',
  suppressionEnabled: false,
  eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
  customDetails: { OperatingSystemName: 'OSName', OperatingSystemType: 'OSType' },
  entityMappings: [
    { entityType: 'Host', fieldMappings: [{ identifier: 'FullName', columnName: 'Computer' }] },
    { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'ComputerIP' }] },
  ],
  alertDetailsOverride: {
    alertDisplayNameFormat: 'Alert from {{Computer}}',
    alertDescriptionFormat: 'Suspicious activity was made by {{ComputerIP}}',
    alertDynamicProperties: [
      { alertProperty: 'ProductComponentName', value: 'ProductComponentNameCustomColumn' },
      { alertProperty: 'ProductName', value: 'ProductNameCustomColumn' },
      { alertProperty: 'AlertLink', value: 'Link' },
    ],
  },
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: {
      enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'Selected',
      groupByEntities: ['Host'], groupByAlertDetails: ['DisplayName'], groupByCustomDetails: ['OperatingSystemType', 'OperatingSystemName'],
    },
  },
};

const resource = (type: string, name: string) => ({ id: `/x/${name}`, name, type, etag: '"e"' });

/** The Scheduled rule as CreateScheduledAlertRule.json answers it. */
const scheduledResponse = {
  ...resource('Microsoft.SecurityInsights/alertRules', SCHEDULED_ID),
  kind: 'Scheduled',
  properties: { alertRuleTemplateName: null, ...scheduledProps, lastModifiedUtc: '2021-03-01T13:15:30Z' },
};

/** As GetScheduledAlertRule.json / GetAllAlertRules.json show it: the override with the two unset formats as null, no dynamic properties. */
const scheduledRead = {
  ...scheduledResponse,
  properties: {
    ...scheduledResponse.properties,
    alertDetailsOverride: { alertDisplayNameFormat: 'f', alertDescriptionFormat: 'f', alertTacticsColumnName: null, alertSeverityColumnName: null },
  },
};

const FUSION_ID = 'myFirstFusionRule';
const fusionResponse = {
  ...resource('Microsoft.SecurityInsights/alertRules', FUSION_ID),
  kind: 'Fusion',
  properties: {
    displayName: 'Advanced Multi-Stage Attack Detection',
    description: 'text',
    alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8',
    tactics: ['Persistence', 'LateralMovement', 'Exfiltration', 'CommandAndControl'],
    severity: 'High',
    enabled: true,
    lastModifiedUtc: '2019-09-04T13:13:11.5340061Z',
  },
};

const MSIC_ID = 'microsoftSecurityIncidentCreationRuleExample';
const msicResponse = {
  ...resource('Microsoft.SecurityInsights/alertRules', MSIC_ID),
  kind: 'MicrosoftSecurityIncidentCreation',
  properties: {
    productFilter: 'Microsoft Cloud App Security',
    severitiesFilter: null,
    displayNamesFilter: null,
    displayName: 'testing displayname',
    enabled: true,
    description: null,
    alertRuleTemplateName: null,
    lastModifiedUtc: '2019-09-04T12:05:35.7296311Z',
  },
};

const nrtProps = {
  displayName: 'Rule2',
  description: '',
  severity: 'High',
  enabled: true,
  tactics: ['Persistence', 'LateralMovement'],
  techniques: ['T1037', 'T1021'],
  query: 'ProtectionStatus | extend HostCustomEntity = Computer | extend IPCustomEntity = ComputerIP_Hidden',
  suppressionDuration: 'PT1H',
  suppressionEnabled: false,
  eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'Selected', groupByEntities: ['Host', 'Account'] },
  },
};
const nrtResponse = {
  ...resource('Microsoft.SecurityInsights/alertRules', SCHEDULED_ID),
  kind: 'NRT',
  properties: { alertRuleTemplateName: null, ...nrtProps, lastModifiedUtc: '2019-01-01T13:15:30Z' },
};
const CREATE_NRT = `${SI}/preview/2025-01-01-preview/examples/alertRules/CreateNrtAlertRule.json`;

const CREATE_SCHEDULED = `${SI}/stable/2024-09-01/examples/alertRules/CreateScheduledAlertRule.json`;
const CREATE_MSIC = `${SI}/stable/2024-09-01/examples/alertRules/CreateMicrosoftSecurityIncidentCreationAlertRule.json`;
const CREATE_FUSION = `${SI}/stable/2025-09-01/examples/alertRules/CreateFusionAlertRule.json`;
const DELETE_RULE = `${SI}/stable/2024-09-01/examples/alertRules/DeleteAlertRule.json`;
const RULE_MAPS = ['properties.customDetails'];

export const ALERT_RULE_EXAMPLES: SpecExample[] = [
  {
    title: 'Creates a Scheduled alert rule (201)', spec: CREATE_SCHEDULED, method: 'PUT', scope: 'ws', path: `alertRules/${SCHEDULED_ID}`,
    apiVersion: '2024-09-01', body: { kind: 'Scheduled', etag: '"0300bf09-0000-0000-0000-5c37296e0000"', properties: scheduledProps },
    status: 201, response: scheduledResponse, maps: RULE_MAPS,
  },
  {
    title: 'Updates the Scheduled alert rule (200)', spec: CREATE_SCHEDULED, method: 'PUT', scope: 'ws', path: `alertRules/${SCHEDULED_ID}`,
    apiVersion: '2024-09-01', body: { kind: 'Scheduled', etag: '"0300bf09-0000-0000-0000-5c37296e0000"', properties: scheduledProps }, currentEtag: true,
    status: 200, response: scheduledResponse, maps: RULE_MAPS,
  },
  {
    title: 'Creates a Fusion alert rule (201)', spec: CREATE_FUSION, method: 'PUT', scope: 'ws', path: `alertRules/${FUSION_ID}`,
    apiVersion: '2025-09-01', body: { kind: 'Fusion', etag: '3d00c3ca-0000-0100-0000-5d42d5010000', properties: { enabled: true, alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8' } },
    status: 201, response: fusionResponse,
  },
  {
    title: 'Creates a MicrosoftSecurityIncidentCreation rule (201)', spec: CREATE_MSIC, method: 'PUT', scope: 'ws', path: `alertRules/${MSIC_ID}`,
    apiVersion: '2024-09-01', body: { etag: '"260097e0-0000-0d00-0000-5d6fa88f0000"', kind: 'MicrosoftSecurityIncidentCreation', properties: { productFilter: 'Microsoft Cloud App Security', displayName: 'testing displayname', enabled: true } },
    status: 201, response: msicResponse,
  },
  {
    title: 'Gets a Scheduled alert rule', spec: `${SI}/stable/2024-09-01/examples/alertRules/GetScheduledAlertRule.json`, method: 'GET', scope: 'ws',
    path: `alertRules/${SCHEDULED_ID}`, apiVersion: '2024-09-01', status: 200, response: scheduledRead, maps: RULE_MAPS,
  },
  {
    title: 'Gets a Fusion alert rule', spec: `${SI}/stable/2024-09-01/examples/alertRules/GetFusionAlertRule.json`, method: 'GET', scope: 'ws',
    path: `alertRules/${FUSION_ID}`, apiVersion: '2024-09-01', status: 200, response: fusionResponse,
  },
  {
    title: 'Gets a MicrosoftSecurityIncidentCreation rule', spec: `${SI}/stable/2024-09-01/examples/alertRules/GetMicrosoftSecurityIncidentCreationAlertRule.json`,
    method: 'GET', scope: 'ws', path: `alertRules/${MSIC_ID}`, apiVersion: '2024-09-01', status: 200, response: msicResponse,
  },
  {
    title: 'Gets all alert rules', spec: `${SI}/stable/2024-09-01/examples/alertRules/GetAllAlertRules.json`, method: 'GET', scope: 'ws', path: 'alertRules',
    apiVersion: '2024-09-01', status: 200, response: { value: [scheduledRead, msicResponse, { ...fusionResponse, properties: { ...fusionResponse.properties, enabled: false } }] },
    maps: ['value.*.properties.customDetails'],
  },
  { title: 'Deletes an alert rule (200)', spec: DELETE_RULE, method: 'DELETE', scope: 'ws', path: `alertRules/${SCHEDULED_ID}`, apiVersion: '2024-09-01', status: 200 },
  { title: 'Deletes an absent alert rule (204)', spec: DELETE_RULE, method: 'DELETE', scope: 'ws', path: `alertRules/${SCHEDULED_ID}`, apiVersion: '2024-09-01', status: 204 },
  // NRT exists only in the preview specs; the example reuses the Scheduled rule's id, deleted above.
  {
    title: 'Creates an NRT alert rule (201)', spec: CREATE_NRT, method: 'PUT', scope: 'ws', path: `alertRules/${SCHEDULED_ID}`, apiVersion: '2025-01-01-preview',
    body: { kind: 'NRT', etag: '"0300bf09-0000-0000-0000-5c37296e0000"', properties: nrtProps }, status: 201, response: nrtResponse,
  },
  {
    title: 'Gets an NRT alert rule', spec: `${SI}/preview/2025-01-01-preview/examples/alertRules/GetNrtAlertRule.json`, method: 'GET', scope: 'ws',
    path: `alertRules/${SCHEDULED_ID}`, apiVersion: '2025-01-01-preview', status: 200, response: nrtResponse,
  },
];

// ---- metadata ---------------------------------------------------------------------------------------------

const PARENT = '/subscriptions/2e1dc338-d04d-4443-b721-037eff4fdcac/resourceGroups/myRg/providers/Microsoft.OperationalInsights/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/alertRules/ruleName';

const metadataProps = {
  contentId: 'c00ee137-7475-47c8-9cce-ec6f0f1bedd0',
  version: '1.0.0.0',
  kind: 'AnalyticsRule',
  parentId: PARENT,
  source: { kind: 'Solution', name: 'Contoso Solution 1.0', sourceId: 'b688a130-76f4-4a07-bf57-762222a3cadf' },
  author: { name: 'User Name', email: 'email@microsoft.com' },
  support: { name: 'Microsoft', email: 'support@microsoft.com', link: 'https://support.microsoft.com/', tier: 'Partner' },
  dependencies: {
    operator: 'AND',
    criteria: [
      {
        operator: 'OR',
        criteria: [
          { contentId: '045d06d0-ee72-4794-aba4-cf5646e4c756', kind: 'DataConnector', name: 'Microsoft Defender for Endpoint' },
          { contentId: 'dbfcb2cc-d782-40ef-8d94-fe7af58a6f2d', kind: 'DataConnector' },
          { contentId: 'de4dca9b-eb37-47d6-a56f-b8b06b261593', kind: 'DataConnector', version: '2.0' },
        ],
      },
      { kind: 'Playbook', contentId: '31ee11cc-9989-4de8-b176-5e0ef5c4dbab', version: '1.0' },
      { kind: 'Parser', contentId: '21ba424a-9438-4444-953a-7059539a7a1b' },
    ],
  },
  categories: { domains: ['Application', 'Security – Insider Threat'], verticals: ['Healthcare'] },
  providers: ['Amazon', 'Microsoft'],
  firstPublishDate: '2021-05-18',
  lastPublishDate: '2021-05-18',
  previewImages: ['firstImage.png', 'secondImage.jpeg'],
  previewImagesDark: ['firstImageDark.png', 'secondImageDark.jpeg'],
  contentSchemaVersion: '2.0',
  customVersion: '1.0',
  threatAnalysisTactics: ['reconnaissance', 'commandandcontrol'],
  threatAnalysisTechniques: ['T1548', 'T1548.001'],
};

const metadataResponse = { id: '/x/metadataName', name: 'metadataName', type: 'Microsoft.SecurityInsights/metadata', properties: metadataProps };
const PUT_METADATA = `${SI}/stable/2024-09-01/examples/metadata/PutMetadata.json`;
const PUT_METADATA_MIN = `${SI}/stable/2024-09-01/examples/metadata/PutMetadataMinimal.json`;
const minimalProps = { contentId: 'c00ee137-7475-47c8-9cce-ec6f0f1bedd0', kind: 'AnalyticsRule', parentId: PARENT };
const minimalResponse = { id: '/x/metadataMinimal', name: 'metadataMinimal', type: 'Microsoft.SecurityInsights/metadata', properties: { kind: 'AnalyticsRule', parentId: PARENT } };

export const METADATA_EXAMPLES: SpecExample[] = [
  { title: 'Creates metadata (201)', spec: PUT_METADATA, method: 'PUT', scope: 'ws', path: 'metadata/metadataName', apiVersion: '2024-09-01', body: { properties: metadataProps }, status: 201, response: metadataResponse },
  { title: 'Updates metadata (200)', spec: PUT_METADATA, method: 'PUT', scope: 'ws', path: 'metadata/metadataName', apiVersion: '2024-09-01', body: { properties: metadataProps }, status: 200, response: metadataResponse },
  // The example's metadataName is mapped to a second name so that its create answers 201.
  { title: 'Creates minimal metadata (201)', spec: PUT_METADATA_MIN, method: 'PUT', scope: 'ws', path: 'metadata/metadataMinimal', apiVersion: '2024-09-01', body: { properties: minimalProps }, status: 201, response: minimalResponse },
  { title: 'Updates minimal metadata (200)', spec: PUT_METADATA_MIN, method: 'PUT', scope: 'ws', path: 'metadata/metadataMinimal', apiVersion: '2024-09-01', body: { properties: minimalProps }, status: 200, response: minimalResponse },
  { title: 'Gets metadata', spec: `${SI}/stable/2024-09-01/examples/metadata/GetMetadata.json`, method: 'GET', scope: 'ws', path: 'metadata/metadataName', apiVersion: '2024-09-01', status: 200, response: metadataResponse },
  {
    // The example pages with $skip=2 past two items of four; this workspace holds two, so $skip is mapped to 0.
    title: 'Lists metadata with $filter, $orderby, $skip, $top', spec: `${SI}/stable/2024-09-01/examples/metadata/GetAllMetadataOData.json`, method: 'GET', scope: 'ws',
    path: 'metadata', apiVersion: '2024-09-01', query: { $filter: "properties/kind eq 'AnalyticsRule'", $orderby: 'properties/parentId desc', $skip: '0', $top: '2' },
    status: 200,
    response: {
      value: [{
        id: '/x/metadataName1', name: 'metadataName1', type: 'Microsoft.SecurityInsights/metadata',
        properties: { contentId: 'c00ee137-7475-47c8-9cce-ec6f0f1bedd0', version: '1.0.0.0', kind: 'AnalyticsRule', parentId: PARENT, source: { kind: 'Solution', name: 'Contoso Solution 1.0', sourceId: 'b688a130-76f4-4a07-bf57-762222a3cadf' } },
      }],
    },
  },
  {
    title: 'Patches metadata', spec: `${SI}/stable/2025-09-01/examples/metadata/PatchMetadata.json`, method: 'PATCH', scope: 'ws', path: 'metadata/metadataMinimal', apiVersion: '2025-09-01',
    body: { properties: { author: { name: 'User Name', email: 'email@microsoft.com' } } },
    status: 200, response: { ...minimalResponse, properties: { ...minimalProps, author: { name: 'User Name', email: 'email@microsoft.com' } } },
  },
  { title: 'Deletes metadata (200)', spec: `${SI}/stable/2025-09-01/examples/metadata/DeleteMetadata.json`, method: 'DELETE', scope: 'ws', path: 'metadata/metadataName', apiVersion: '2025-09-01', status: 200 },
  { title: 'Deletes absent metadata (204)', spec: `${SI}/stable/2025-09-01/examples/metadata/DeleteMetadata.json`, method: 'DELETE', scope: 'ws', path: 'metadata/metadataName', apiVersion: '2025-09-01', status: 204 },
];

// ---- watchlists -------------------------------------------------------------------------------------------

const user = { objectId: '2046feea-040d-4a46-9e2b-91c2941bfa70', email: 'john@contoso.com', name: 'john doe' };
const watchlistProps = {
  watchlistId: '76d5a51f-ba1f-4038-9d22-59fda38dc017',
  displayName: 'High Value Assets Watchlist',
  provider: 'Microsoft',
  source: 'watchlist.csv',
  sourceType: 'Local',
  created: '2020-09-28T00:26:54.7746089+00:00',
  updated: '2020-09-28T00:26:57+00:00',
  createdBy: user,
  updatedBy: user,
  description: 'Watchlist from CSV content',
  watchlistType: 'watchlist',
  watchlistAlias: 'highValueAsset',
  itemsSearchKey: 'header1',
  isDeleted: false,
  tenantId: 'f686d426-8d16-42db-81b7-ab578e110ccd',
};
/**
 * UserInfo email/name: the example's caller is a user; the emulator's callers are applications
 * (client credentials), for which it answers null (README, watchlists).
 */
const USER_NULLABLE = ['properties.createdBy.email', 'properties.createdBy.name', 'properties.updatedBy.email', 'properties.updatedBy.name'];
const LIST_USER_NULLABLE = USER_NULLABLE.map((p) => `value.*.${p}`);
const watchlistResponse = { id: '/x/highValueAsset', name: 'highValueAsset', etag: '"e"', type: 'Microsoft.SecurityInsights/Watchlists', properties: watchlistProps };
const CREATE_WATCHLIST = `${SI}/stable/2025-09-01/examples/watchlists/CreateWatchlist.json`;
const createWatchlistBody = {
  etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
  properties: { displayName: 'High Value Assets Watchlist', source: 'watchlist.csv', sourceType: 'Local', provider: 'Microsoft', description: 'Watchlist from CSV content', itemsSearchKey: 'header1' },
};
const ITEM_ID = '82ba292c-dc97-4dfc-969d-d4dd9e666842';
const itemKeyValue = {
  'Gateway subnet': '10.0.255.224/27', 'Web Tier': '10.0.1.0/24', 'Business tier': '10.0.2.0/24',
  'Data tier': '10.0.2.0/24', 'Private DMZ in': '10.0.0.0/27', 'Public DMZ out': '10.0.0.96/27',
};
const itemResponse = {
  id: '/x/item', etag: '0300bf09-0000-0000-0000-5c37296e0000', type: 'Microsoft.SecurityInsights/Watchlists/WatchlistItems',
  properties: {
    watchlistItemType: 'watchlist-item', watchlistItemId: ITEM_ID, tenantId: '4008512e-1d30-48b2-9ee2-d3612ed9d3ea', isDeleted: false,
    created: '2020-11-15T04:58:56.0748363+00:00', updated: '2020-11-16T16:05:20+00:00', createdBy: user, updatedBy: user, itemsKeyValue: itemKeyValue,
  },
};

export const WATCHLIST_EXAMPLES: SpecExample[] = [
  { title: 'Creates a watchlist (201)', spec: CREATE_WATCHLIST, method: 'PUT', scope: 'ws', path: 'watchlists/highValueAsset', apiVersion: '2025-09-01', body: createWatchlistBody, status: 201, response: watchlistResponse, nullable: USER_NULLABLE },
  // The read examples below show this watchlist with labels and a defaultDuration: the replay's update sets them (the create example has none).
  {
    title: 'Updates the watchlist (200)', spec: CREATE_WATCHLIST, method: 'PUT', scope: 'ws', path: 'watchlists/highValueAsset', apiVersion: '2025-09-01',
    body: { ...createWatchlistBody, properties: { ...createWatchlistBody.properties, labels: ['Tag1', 'Tag2'], defaultDuration: 'P1279DT12H30M5S' } }, currentEtag: true,
    status: 200, response: watchlistResponse, nullable: USER_NULLABLE,
  },
  {
    title: 'Gets a watchlist by alias', spec: `${SI}/stable/2025-09-01/examples/watchlists/GetWatchlistByAlias.json`, method: 'GET', scope: 'ws', path: 'watchlists/highValueAsset',
    apiVersion: '2025-09-01', status: 200, response: { ...watchlistResponse, properties: { ...watchlistProps, labels: ['Tag1', 'Tag2'], defaultDuration: 'P1279DT12H30M5S' } }, nullable: USER_NULLABLE,
  },
  {
    // The example's item has no 'header1' (the search key) column; the spec does not require it.
    title: 'Creates a watchlist item (201)', spec: `${SI}/stable/2024-09-01/examples/watchlists/CreateWatchlistItem.json`, method: 'PUT', scope: 'ws',
    path: `watchlists/highValueAsset/watchlistItems/${ITEM_ID}`, apiVersion: '2024-09-01',
    body: { etag: '0300bf09-0000-0000-0000-5c37296e0000', properties: { itemsKeyValue: itemKeyValue } }, status: 201, response: itemResponse, maps: ['properties.itemsKeyValue'], nullable: USER_NULLABLE,
  },
  {
    // The example's path id (3f8901fe-…) is mapped onto the item the previous example created.
    title: 'Gets a watchlist item', spec: `${SI}/stable/2025-09-01/examples/watchlists/GetWatchlistItemById.json`, method: 'GET', scope: 'ws',
    path: `watchlists/highValueAsset/watchlistItems/${ITEM_ID}`, apiVersion: '2025-09-01', status: 200,
    response: { ...itemResponse, name: ITEM_ID, properties: { ...itemResponse.properties, entityMapping: {} } }, maps: ['properties.itemsKeyValue', 'properties.entityMapping'], nullable: USER_NULLABLE,
  },
  {
    title: 'Lists watchlists', spec: `${SI}/stable/2025-09-01/examples/watchlists/GetWatchlists.json`, method: 'GET', scope: 'ws', path: 'watchlists',
    apiVersion: '2025-09-01', status: 200, response: { value: [{ ...watchlistResponse, properties: { ...watchlistProps, labels: ['Tag1', 'Tag2'], defaultDuration: 'P1279DT12H30M5S' } }] }, nullable: LIST_USER_NULLABLE,
  },
  {
    title: 'Lists watchlist items', spec: `${SI}/stable/2025-09-01/examples/watchlists/GetWatchlistItems.json`, method: 'GET', scope: 'ws', path: 'watchlists/highValueAsset/watchlistItems',
    apiVersion: '2025-09-01', status: 200,
    response: { value: [{ ...itemResponse, name: ITEM_ID, properties: { ...itemResponse.properties, entityMapping: {} } }] }, maps: ['value.*.properties.itemsKeyValue', 'value.*.properties.entityMapping'], nullable: LIST_USER_NULLABLE,
  },
  // The example's item id (4008512e-…) is mapped onto the item created above.
  { title: 'Deletes a watchlist item (200)', spec: `${SI}/stable/2024-09-01/examples/watchlists/DeleteWatchlistItem.json`, method: 'DELETE', scope: 'ws', path: `watchlists/highValueAsset/watchlistItems/${ITEM_ID}`, apiVersion: '2024-09-01', status: 200 },
  { title: 'Deletes an absent watchlist item (204)', spec: `${SI}/stable/2024-09-01/examples/watchlists/DeleteWatchlistItem.json`, method: 'DELETE', scope: 'ws', path: `watchlists/highValueAsset/watchlistItems/${ITEM_ID}`, apiVersion: '2024-09-01', status: 204 },
  {
    title: 'Creates a watchlist with items from rawContent (201)', spec: `${SI}/stable/2024-09-01/examples/watchlists/CreateWatchlistAndWatchlistItems.json`, method: 'PUT', scope: 'ws',
    path: 'watchlists/highValueAsset2', apiVersion: '2024-09-01',
    body: {
      etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
      properties: {
        displayName: 'High Value Assets Watchlist', source: 'watchlist.csv', sourceType: 'Local file', provider: 'Microsoft', description: 'Watchlist from CSV content',
        numberOfLinesToSkip: 1, rawContent: 'This line will be skipped\nheader1,header2\nvalue1,value2', itemsSearchKey: 'header1', contentType: 'text/csv',
      },
    },
    status: 201, response: { ...watchlistResponse, name: 'highValueAsset2', properties: { ...watchlistProps, sourceType: 'Local file', watchlistAlias: 'highValueAsset2' } }, nullable: USER_NULLABLE,
  },
  // DeleteWatchlist.json (stable/2025-09-01) answers 202 with Azure-AsyncOperation, or 204.
  { title: 'Deletes a watchlist (202)', spec: `${SI}/stable/2025-09-01/examples/watchlists/DeleteWatchlist.json`, method: 'DELETE', scope: 'ws', path: 'watchlists/highValueAsset', apiVersion: '2025-09-01', status: 202 },
];


// ---- workbooks (stable/2023-06-01) ------------------------------------------------------------------------

const WB_NAME = 'deadb33f-5e0d-4064-8ebb-1a4ed0313eb2';
const UAI = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-resource-group/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myid';
const STORAGE = '/subscriptions/6b643656-33eb-422f-aee8-3ac145d124af/resourceGroups/my-resource-group/providers/Microsoft.Storage/storageAccounts/mystorage/blobServices/default/containers/mycontainer';
const wbData = '{"version":"Notebook/1.0","items":[{"type":1,"content":{"json":"test"},"name":"text - 0"}],"isLocked":false}';
const wbIdentityOut = { type: 'UserAssigned', userAssignedIdentities: { [UAI]: { clientId: '00000000-0000-0000-0000-000000000000', principalId: '00000000-0000-0000-0000-000000000000' } } };
const wbResponse = {
  identity: wbIdentityOut,
  id: `/x/${WB_NAME}`, name: WB_NAME, type: 'Microsoft.Insights/workbooks', location: 'westus', kind: 'shared',
  properties: {
    displayName: 'Sample workbook', serializedData: wbData, version: 'Notebook/1.0', category: 'workbook', userId: '70d90f65-8a70-4e42-b8d5-86gv25e0a90f',
    sourceId: '/subscriptions/6b643656-33eb-422f-aee8-3ac145d124af/resourcegroups/my-resource-group', timeModified: '2020-10-20T22:00:26.4229554Z',
    description: 'Sample workbook', revision: '1e2f8435b98248febee70c64ac22e1bb', storageUri: STORAGE,
  },
};
const WB_MAPS = ['tags', 'identity.userAssignedIdentities'];
const listItem = (name: string, tags: Record<string, string>) => ({
  id: `/x/${name}`, name, type: 'Microsoft.Insights/workbooks', location: 'westus', tags, kind: 'shared',
  properties: {
    displayName: 'My Workbook', userId: 'userId', sourceId: 'src', serializedData: wbData, version: 'Notebook/1.0', category: 'workbook',
    timeModified: '2020-09-04T09:07:17.735638Z', storageUri: null, description: 'Sample workbook', revision: 'r',
  },
});

export const WORKBOOK_EXAMPLES: SpecExample[] = [
  {
    // The body has no properties.sourceId: the sourceId query parameter becomes the workbook's sourceId.
    title: 'Creates a workbook with a user-assigned identity and a sourceId query parameter (201)', spec: `${WB}/WorkbookManagedAdd.json`, method: 'PUT', scope: 'rg',
    path: `providers/Microsoft.Insights/workbooks/${WB_NAME}`, apiVersion: '2022-04-01', query: { sourceId: '/subscriptions/6b643656-33eb-422f-aee8-3ac145d124af/resourcegroups/my-resource-group' },
    body: {
      location: 'westus', kind: 'shared', identity: { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {} } },
      properties: { displayName: 'Sample workbook', serializedData: wbData, version: 'Notebook/1.0', category: 'workbook', description: 'Sample workbook', storageUri: STORAGE },
    },
    status: 201, response: wbResponse, maps: WB_MAPS,
  },
  {
    title: 'Gets a workbook with its identity', spec: `${WB}/WorkbookManagedGet.json`, method: 'GET', scope: 'rg', path: `providers/Microsoft.Insights/workbooks/${WB_NAME}`,
    apiVersion: '2023-06-01', status: 200, response: wbResponse, maps: WB_MAPS,
  },
  {
    title: 'Updates a workbook (PATCH)', spec: `${WB}/WorkbookManagedUpdate.json`, method: 'PATCH', scope: 'rg', path: `providers/Microsoft.Insights/workbooks/${WB_NAME}`,
    apiVersion: '2023-06-01', query: { sourceId: '/subscriptions/6b643656-33eb-422f-aee8-3ac145d124af/resourcegroups/my-resource-group' },
    body: {
      location: 'westus', tags: { TagSample01: 'sample01', TagSample02: 'sample02' }, kind: 'shared',
      identity: { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {} } },
      properties: { displayName: 'Sample workbook', version: 'Notebook/1.0', serializedData: wbData, category: 'workbook', description: 'Sample workbook', storageUri: STORAGE },
    },
    status: 200, response: { ...wbResponse, tags: { TagSample01: 'sample01', TagSample02: 'sample02', 'hidden-title': 'Sample workbook' } }, maps: WB_MAPS,
  },
  {
    title: 'Lists workbooks of a resource group by category and sourceId', spec: `${WB}/WorkbooksManagedList.json`, method: 'GET', scope: 'rg', path: 'providers/Microsoft.Insights/workbooks',
    apiVersion: '2023-06-01', query: { category: 'workbook', sourceId: '/subscriptions/6b643656-33eb-422f-aee8-3ac145d124af/resourcegroups/my-resource-group' },
    status: 200, response: { value: [{ ...listItem(WB_NAME, {}), identity: wbIdentityOut }] }, maps: ['value.*.tags', 'value.*.identity.userAssignedIdentities'],
  },
  {
    title: 'Lists workbooks of a resource group by category', spec: `${WB}/WorkbooksList.json`, method: 'GET', scope: 'rg', path: 'providers/Microsoft.Insights/workbooks',
    apiVersion: '2023-06-01', query: { category: 'workbook' }, status: 200, response: { value: [listItem(WB_NAME, {})] }, maps: ['value.*.tags'],
  },
  {
    title: 'Lists workbooks of a subscription by category', spec: `${WB}/WorkbooksListSub.json`, method: 'GET', scope: 'sub', path: 'providers/Microsoft.Insights/workbooks',
    apiVersion: '2023-06-01', query: { category: 'workbook' }, status: 200, response: { value: [listItem(WB_NAME, {})] }, maps: ['value.*.tags'],
  },
  { title: 'Deletes a workbook (200)', spec: `${WB}/WorkbookDelete.json`, method: 'DELETE', scope: 'rg', path: `providers/Microsoft.Insights/workbooks/${WB_NAME}`, apiVersion: '2023-06-01', status: 200 },
  { title: 'Deletes an absent workbook (204)', spec: `${WB}/WorkbookDelete.json`, method: 'DELETE', scope: 'rg', path: `providers/Microsoft.Insights/workbooks/${WB_NAME}`, apiVersion: '2023-06-01', status: 204 },
];
