import { DOCS, type ConformanceCase } from './types.ts';

const NULLS = `let T = datatable(x:long)[1, long(null), 3];\n`;

export const matchingCases: ConformanceCase[] = [
  // ---- nulls (null-values): null == value is false, null != value is true, null vs null is null;
  // other binary operators are "sticky" (null); where drops rows whose predicate is null.
  { name: 'where x != 1 keeps the null row (null != value is true)', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `${NULLS}T | where x != 1`, rows: [[null], [3]] },
  { name: 'where x == 1 matches only 1', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `${NULLS}T | where x == 1`, rows: [[1]] },
  { name: 'null == null is null: where drops the row', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `${NULLS}T | where x == long(null) | count`, rows: [[0]] },
  { name: 'x != null: true for the values, null (dropped) for the null row', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `${NULLS}T | where x != long(null) | count`, rows: [[2]] },
  { name: 'equality results with null operands', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `print a = long(null) == long(null), b = long(null) != 1, c = long(null) == 1, d = 1 < long(null)`, rows: [[null, true, false, null]] },
  {
    name: 'the documented comparison table',
    doc: `${DOCS}scalar-data-types/null-values (example)`,
    query: `datatable(val:int)[5, int(null)]
| extend IsBiggerThan3 = val > 3
| extend IsBiggerThan3OrNull = val > 3 or isnull(val)
| extend IsEqualToNull = val == int(null)
| extend IsNotEqualToNull = val != int(null)`,
    rows: [[5, true, true, false, true], [null, null, true, null, null]],
  },
  { name: 'where ival != 5 keeps the null row', doc: `${DOCS}scalar-data-types/null-values (null values and the where operator)`, query: `datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5`, rows: [[null, 'b']] },
  { name: 'arithmetic with null is null', doc: `${DOCS}scalar-data-types/null-values (binary operators)`, query: `datatable(val:int)[5, int(null)] | extend Add = val + 10, Multiply = val * 10`, rows: [[5, 15, 50], [null, null, null]] },
  { name: 'where x > 1 drops the null row (null comparison is null)', doc: `${DOCS}scalar-data-types/null-values (binary operators)`, query: `${NULLS}T | where x > 1`, rows: [[3]] },
  { name: 'not() of null is null', doc: `${DOCS}scalar-data-types/null-values (logical NOT)`, query: `print v = not(bool(null))`, rows: [[null]] },
  { name: 'not(x == 1) keeps the null row (x == 1 is false there)', doc: `${DOCS}scalar-data-types/null-values (equality; logical NOT)`, query: `${NULLS}T | where not(x == 1)`, rows: [[null], [3]] },
  { name: 'in is an OR of equalities: a null is in no list', doc: `${DOCS}scalar-data-types/null-values (in operator)`, query: `${NULLS}T | where x in (1, 3)`, rows: [[1], [3]] },
  { name: '!in is an AND of inequalities: a null is not in the list', doc: `${DOCS}scalar-data-types/null-values (in operator)`, query: `${NULLS}T | where x !in (1)`, rows: [[null], [3]] },
  { name: 'in / !in of a null against a list holding a null is null', doc: `${DOCS}scalar-data-types/null-values (in operator; null vs null)`, query: `print a = long(null) in (1, long(null)), b = long(null) !in (1, long(null)), c = long(null) in (1, 2)`, rows: [[null, null, false]] },
  { name: 'isnull finds the null row', doc: `${DOCS}isnull-function`, query: `${NULLS}T | where isnull(x) | count`, rows: [[1]] },
  { name: 'or: false or null is null, true or null is true', doc: `${DOCS}scalar-data-types/null-values (exceptions: OR)`, query: `print a = false or bool(null), b = true or bool(null), c = false and bool(null)`, rows: [[null, true, false]] },
  { name: 'string columns have no null: empty string is unequal to a value', doc: `${DOCS}scalar-data-types/null-values (string has no null)`, query: `datatable(s:string)['a', ''] | where s != 'a'`, rows: [['']] },
  { name: 'extend comparisons of a null column', doc: `${DOCS}scalar-data-types/null-values (equality and inequality)`, query: `datatable(x:long)[long(null)] | extend e = x == 1, n = x != 1`, rows: [[null, false, true]] },
  // ---- indexof
  { name: 'indexof finds the first occurrence', doc: `${DOCS}indexof-function (idx1)`, query: `print v = indexof("abcdefg", "cde")`, rows: [[2]] },
  { name: 'indexof within start and length', doc: `${DOCS}indexof-function (idx2)`, query: `print v = indexof("abcdefg", "cde", 1, 4)`, rows: [[2]] },
  { name: 'indexof: the match must fit in the examined length', doc: `${DOCS}indexof-function (idx3)`, query: `print v = indexof("abcdefg", "cde", 1, 2)`, rows: [[-1]] },
  { name: 'indexof: a start after the occurrence', doc: `${DOCS}indexof-function (idx4)`, query: `print v = indexof("abcdefg", "cde", 3, 4)`, rows: [[-1]] },
  { name: 'indexof: a negative start counts from the end', doc: `${DOCS}indexof-function (idx5)`, query: `print v = indexof("abcdefg", "cde", -5)`, rows: [[2]] },
  { name: 'indexof casts non-strings to string', doc: `${DOCS}indexof-function (idx6)`, query: `print v = indexof(1234567, 5, 1, 4)`, rows: [[4]] },
  { name: 'indexof: length -1 is unlimited', doc: `${DOCS}indexof-function (idx7)`, query: `print v = indexof("abcdefg", "cde", 2, -1)`, rows: [[2]] },
  { name: 'indexof: the second occurrence within the range', doc: `${DOCS}indexof-function (idx8)`, query: `print v = indexof("abcdefgabcdefg", "cde", 1, 10, 2)`, rows: [[9]] },
  { name: 'indexof: no third occurrence', doc: `${DOCS}indexof-function (idx9)`, query: `print v = indexof("abcdefgabcdefg", "cde", 1, -1, 3)`, rows: [[-1]] },
  { name: 'indexof: length below -1 is null', doc: `${DOCS}indexof-function (returns null)`, query: `print v = indexof("abcdefg", "cde", 0, -2)`, rows: [[null]] },
  { name: 'indexof: a negative occurrence is null', doc: `${DOCS}indexof-function (returns null)`, query: `print v = indexof("abcdefg", "cde", 0, -1, -1)`, rows: [[null]] },
  { name: 'indexof: not found is -1', doc: `${DOCS}indexof-function (returns -1)`, query: `print v = indexof("abcdefg", "xyz")`, rows: [[-1]] },
  // ---- indexof_regex
  { name: 'indexof_regex finds the first match', doc: `${DOCS}indexof-regex-function (idx1)`, query: `print v = indexof_regex("abcabc", @"a.c")`, rows: [[0]] },
  { name: 'indexof_regex second occurrence in range', doc: `${DOCS}indexof-regex-function (idx2)`, query: `print v = indexof_regex("abcabcdefg", @"a.c", 0, 9, 2)`, rows: [[3]] },
  { name: 'indexof_regex: no second occurrence after start', doc: `${DOCS}indexof-regex-function (idx3)`, query: `print v = indexof_regex("abcabc", @"a.c", 1, -1, 2)`, rows: [[-1]] },
  { name: 'indexof_regex: matches do not overlap', doc: `${DOCS}indexof-regex-function (idx4)`, query: `print v = indexof_regex("ababaa", @"a.a", 0, -1, 2)`, rows: [[-1]] },
  { name: 'indexof_regex: a negative start is invalid (null)', doc: `${DOCS}indexof-regex-function (idx5)`, query: `print v = indexof_regex("abcabc", @"a|ab", -1)`, rows: [[null]] },
  // ---- has_any_index
  { name: 'has_any_index: first item found', doc: `${DOCS}has-any-index-function (idx1)`, query: `print v = has_any_index("this is an example", dynamic(['this', 'example']))`, rows: [[0]] },
  { name: 'has_any_index: last item found', doc: `${DOCS}has-any-index-function (idx2)`, query: `print v = has_any_index("this is an example", dynamic(['not', 'example']))`, rows: [[1]] },
  { name: 'has_any_index: none found', doc: `${DOCS}has-any-index-function (idx3)`, query: `print v = has_any_index("this is an example", dynamic(['not', 'found']))`, rows: [[-1]] },
  { name: 'has_any_index over an array of integers', doc: `${DOCS}has-any-index-function (idx4)`, query: `print v = has_any_index("Example number 2", range(1, 3, 1))`, rows: [[1]] },
  { name: 'has_any_index: empty array', doc: `${DOCS}has-any-index-function (idx5)`, query: `print v = has_any_index("this is an example", dynamic([]))`, rows: [[-1]] },
  { name: 'has_any_index matches whole terms case-insensitively', doc: `${DOCS}has-any-index-function (has: terms)`, query: `print a = has_any_index("Hello World", dynamic(["world"])), b = has_any_index("abcdef", dynamic(["bcd"]))`, rows: [[0, -1]] },
  { name: 'range() builds an array, stop inclusive', doc: `${DOCS}range-function`, query: `print r = range(1, 8, 3)`, rows: [[[1, 4, 7]]] },
  // ---- parse_json / parsejson
  { name: 'parse_json then property access', doc: `${DOCS}parse-json-function (duration metrics)`, query: `datatable(m:string)['{"duration":{"value":118.0,"count":5.0,"min":100.0}}'] | extend d = parse_json(m) | project v = todouble(d.duration.value), mn = todouble(d.duration.min)`, rows: [[118, 100]] },
  { name: 'parsejson is the deprecated alias of parse_json', doc: `${DOCS}parse-json-function (deprecated aliases)`, query: `print v = toint(parsejson('{"a": 1}').a)`, rows: [[1]] },
  { name: 'parse_json of text that is not JSON keeps the string', doc: `${DOCS}parse-json-function (returns)`, query: `print v = gettype(parse_json("not json")), s = tostring(parse_json("not json"))`, rows: [['string', 'not json']] },
  { name: 'parse_json of a dynamic value is the value as-is', doc: `${DOCS}parse-json-function (returns)`, query: `print v = toint(parse_json(dynamic({"x": 1})).x)`, rows: [[1]] },
  { name: 'nested JSON: parse twice through tostring', doc: `${DOCS}parse-json-function (nested JSON parsing)`, query: `let d = '{"a":123, "b":"{\\\\"c\\\\":456}"}';\nprint d_b_c = toint(parse_json(tostring(parse_json(d).b)).c)`, rows: [[456]] },
  { name: 'parse_json of an array, then an element', doc: `${DOCS}parse-json-function`, query: `print v = toint(parse_json('[1, 2]')[1]), t = gettype(parse_json('[1, 2]'))`, rows: [[2, 'array']] },
];
