/** The emulator's ARM template expressions (templateExpressions.ts): the functions exported templates use. */
import { describe, expect, it } from 'vitest';
import { evaluateString, evaluateValue, TemplateError, type ExpressionContext } from '../../scripts/emulator/templateExpressions.ts';

const ctx: ExpressionContext = {
  parameters: new Map<string, unknown>([['workspace', 'law-soc'], ['n', 3], ['list', ['a', 'b']]]),
  variables: new Map<string, unknown>([['wsid', "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspace'))]"], ['loop', "[variables('loop')]"]]),
  scope: { tenantId: 't', subscriptionId: 'sub-1', resourceGroup: 'rg-soc', location: 'westeurope' },
};
const ev = (s: string) => evaluateString(s, ctx);
const WS = '/subscriptions/sub-1/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc';

describe('template expressions', () => {
  it('parameters, variables and concat build nested names', () => {
    expect(ev("[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'rule-1')]")).toBe('law-soc/Microsoft.SecurityInsights/rule-1');
    expect(ev("[parameters('WORKSPACE')]")).toBe('law-soc'); // names are case-insensitive
    expect(ev("[variables('wsId')]")).toBe(WS);
    expect(ev("[concat(parameters('list'), parameters('list'))]")).toEqual(['a', 'b', 'a', 'b']);
    expect(ev("[concat('n=', parameters('n'))]")).toBe('n=3');
  });

  it('resourceId, extensionResourceId, resourceGroup() and subscription()', () => {
    expect(ev("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspace'))]")).toBe(WS);
    expect(ev("[resourceId('Microsoft.OperationalInsights/workspaces/providers/watchlists', 'law-soc', 'Microsoft.SecurityInsights', 'Allow')]"))
      .toBe(`${WS}/providers/Microsoft.SecurityInsights/watchlists/Allow`);
    expect(ev("[resourceId('other-rg', 'Microsoft.Insights/workbooks', 'wb')]")).toBe('/subscriptions/sub-1/resourceGroups/other-rg/providers/Microsoft.Insights/workbooks/wb');
    expect(ev("[extensionResourceId(resourceId('Microsoft.OperationalInsights/workspaces', 'law-soc'), 'Microsoft.SecurityInsights/alertRules', 'r1')]"))
      .toBe(`${WS}/providers/Microsoft.SecurityInsights/alertRules/r1`);
    expect(ev('[resourceGroup().location]')).toBe('westeurope');
    expect(ev("[resourceGroup()['name']]")).toBe('rg-soc');
    expect(ev('[subscription().subscriptionId]')).toBe('sub-1');
  });

  it('format, toLower, string literals with doubled quotes', () => {
    expect(ev("[format('{0}/Microsoft.SecurityInsights/{1}', parameters('workspace'), 'x')]")).toBe('law-soc/Microsoft.SecurityInsights/x');
    expect(ev("[toLower('ABC')]")).toBe('abc');
    expect(ev("[concat('it''s', ' ok')]")).toBe("it's ok");
  });

  it('literals: no brackets, or [[ escaping one', () => {
    expect(ev('plain')).toBe('plain');
    expect(ev('[[not an expression]')).toBe('[not an expression]');
    expect(ev('[half')).toBe('[half');
    expect(evaluateValue({ a: ["[parameters('n')]", 'x'], b: 1 }, ctx)).toEqual({ a: [3, 'x'], b: 1 });
  });

  it('unknown functions, parameters and bad syntax are TemplateErrors', () => {
    expect(() => ev("[uniqueString('x')]")).toThrow(TemplateError);
    expect(() => ev("[uniqueString('x')]")).toThrow("The template function 'uniqueString' is not valid");
    expect(() => ev("[parameters('nope')]")).toThrow("The template parameter 'nope' is not found.");
    expect(() => ev("[concat('a']")).toThrow(TemplateError);
    expect(() => ev("[variables('loop')]")).toThrow('references itself');
    expect(() => ev("[resourceId('Microsoft.OperationalInsights/workspaces/savedSearches', 'law-soc')]")).toThrow('requires');
  });
});
