import { DOCS, type ConformanceCase } from './types.ts';

const TRACES = `let Traces = datatable(EventText:string)[
  "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
  "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00, previousLockTime=02/17/2016 08:39:00)"];
`;
const BAGS = `let B = datatable(d:dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Age": 40}), dynamic({"Name": "Jasmine", "Age": 30})];\n`;
const SALES = `let S = datatable(Region:string, Person:string, Amount:long)['N', 'ann', 10, 'N', 'bob', 5, 'N', 'ann', 7, 'S', 'cy', 20, 'S', 'dee', 1, 'E', 'eve', 3];\n`;
const SERIES = `let data = datatable(timestamp:datetime, metric:real)[datetime(2016-12-31T06:00), 50, datetime(2017-01-01), 4, datetime(2017-01-02), 3, datetime(2017-01-03), 4, datetime(2017-01-03T03:00), 6, datetime(2017-01-05), 8, datetime(2017-01-05T13:40), 13, datetime(2017-01-06), 4, datetime(2017-01-07), 3, datetime(2017-01-08), 8, datetime(2017-01-08T21:00), 8, datetime(2017-01-09), 2, datetime(2017-01-09T12:00), 11, datetime(2017-01-10T05:00), 5];\n`;
const TEN = `let N = range x from 1 to 10 step 1;\n`;
const LR = `let L = datatable(a:long, t:long)[1, 5, 2, 6, 3, 1]; let R = datatable(b:long, u:long)[1, 3, 2, 10, 9, 0];\n`;

export const shapingCases: ConformanceCase[] = [
  // ---- parse / parse-where
  {
    name: 'parse with * and typed columns',
    doc: `${DOCS}parse-operator (parse and extend results)`,
    query: `${TRACES}Traces | parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices:long * "sliceNumber=" sliceNumber:long * "lockTime=" lockTime ", releaseTime=" * | project resourceName, totalSlices, sliceNumber, lockTime`,
    rows: [['PipelineScheduler', 27, 23, '02/17/2016 08:40:01'], ['PipelineScheduler', 27, 15, '02/17/2016 08:40:00']],
  },
  {
    name: 'parse: email alias and domain',
    doc: `${DOCS}parse-operator (extract email alias and DNS)`,
    query: `datatable(Contacts:string)["Event: LeadContact (email=john@contosohotel.com, Website=https:contosohotel.com)", "Event: LeadContact (email=abi@fourthcoffee.com, Website=https:www.fourthcoffee.com)"]
| parse Contacts with * "email=" alias:string "@" domain:string ", Website=https:" WebsiteDomain:string ")"
| project EmailAddress = strcat(alias, "@", domain), EmailAlias = alias, WebsiteDomain`,
    rows: [['john@contosohotel.com', 'john', 'contosohotel.com'], ['abi@fourthcoffee.com', 'abi', 'www.fourthcoffee.com']],
  },
  { name: 'parse: a column at the end takes the rest of the text', doc: `${DOCS}parse-operator`, query: `print s = "key=value with spaces" | parse s with "key=" v | project v`, rows: [['value with spaces']] },
  { name: 'parse simple: a value that does not convert fails the row (nulls)', doc: `${DOCS}parse-operator (kind=simple: strict)`, query: `print s = "x=abc y=5" | parse s with "x=" v:long " y=" w:long | project v, w`, rows: [[null, null]] },
  { name: 'parse relaxed: only the column that does not convert is null', doc: `${DOCS}parse-operator (kind=relaxed)`, query: `print s = "x=abc y=5" | parse kind=relaxed s with "x=" v:long " y=" w:long | project v, w`, rows: [[null, 5]] },
  { name: 'parse: a missing delimiter gives nulls', doc: `${DOCS}parse-operator (unsuccessfully parsed strings return null)`, query: `print s = "nothing here" | parse s with "id=" id:long | project id`, rows: [[null]] },
  { name: 'parse kind=regex with regex delimiters', doc: `${DOCS}parse-operator (regex mode)`, query: `print s = "id=42;name=Bob" | parse kind=regex s with @"id\\s*=\\s*" id:long ";name=" name:string | project id, name`, rows: [[42, 'Bob']] },
  { name: 'parse kind=regex flags=i', doc: `${DOCS}parse-operator (regex mode with regex flags)`, query: `print s = "RESOURCENAME=Pipe," | parse kind=regex flags=i s with "resourcename=" r "," | project r`, rows: [['Pipe']] },
  { name: 'parse: a datetime column', doc: `${DOCS}parse-operator (columnType)`, query: `print s = "at 2016-02-17T08:40:00Z done" | parse s with "at " t:datetime " done" | project t`, rows: [['2016-02-17T08:40:00Z']] },
  { name: 'parse-where drops rows that do not parse', doc: `${DOCS}parse-where-operator`, query: `datatable(s:string)['k=1', 'nope', 'k=3'] | parse-where s with 'k=' k:long | project k`, rows: [[1], [3]] },
  // ---- getschema
  {
    name: 'getschema lists columns, ordinals, .NET and Kusto types',
    doc: `${DOCS}getschema-operator (example)`,
    query: `datatable(StartTime:datetime, EpisodeId:int, State:string, BeginLat:real, StormSummary:dynamic)[] | getschema`,
    columns: ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'],
    rows: [['StartTime', 0, 'System.DateTime', 'datetime'], ['EpisodeId', 1, 'System.Int32', 'int'], ['State', 2, 'System.String', 'string'], ['BeginLat', 3, 'System.Double', 'real'], ['StormSummary', 4, 'System.Object', 'dynamic']],
  },
  { name: 'getschema of a projection', doc: `${DOCS}getschema-operator`, query: `print a = 1, b = 'x' | getschema | project ColumnName, ColumnType`, rows: [['a', 'long'], ['b', 'string']] },
  // ---- evaluate bag_unpack
  { name: 'bag_unpack: one column per slot', doc: `${DOCS}bag-unpack-plugin (expand a bag)`, query: `${BAGS}B | evaluate bag_unpack(d)`, columns: ['Age', 'Name'], rows: [[20, 'John'], [40, 'Dave'], [30, 'Jasmine']] },
  { name: 'bag_unpack with a column prefix', doc: `${DOCS}bag-unpack-plugin (OutputColumnPrefix)`, query: `${BAGS}B | evaluate bag_unpack(d, 'Property_')`, columns: ['Property_Age', 'Property_Name'], rows: [[20, 'John'], [40, 'Dave'], [30, 'Jasmine']] },
  { name: "bag_unpack columnsConflict='replace_source'", doc: `${DOCS}bag-unpack-plugin (columnsConflict)`, query: `datatable(Name:string, d:dynamic)['Old_name', dynamic({"Name": "John", "Age": 20})] | evaluate bag_unpack(d, columnsConflict='replace_source')`, columns: ['Age', 'Name'], rows: [[20, 'John']] },
  { name: "bag_unpack columnsConflict='keep_source'", doc: `${DOCS}bag-unpack-plugin (columnsConflict)`, query: `datatable(Name:string, d:dynamic)['Old_name', dynamic({"Name": "John", "Age": 20})] | evaluate bag_unpack(d, columnsConflict='keep_source')`, columns: ['Name', 'Age'], rows: [['Old_name', 20]] },
  { name: 'bag_unpack: a slot missing in a row is null there', doc: `${DOCS}bag-unpack-plugin (expand a bag: Height)`, query: `datatable(d:dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Height": 170, "Age": 40})] | evaluate bag_unpack(d)`, columns: ['Age', 'Height', 'Name'], rows: [[20, null, 'John'], [40, 170, 'Dave']] },
  { name: 'bag_unpack with an output schema and *', doc: `${DOCS}bag-unpack-plugin (OutputSchema with wildcard)`, query: `datatable(d:dynamic, Description:string)[dynamic({"Name": "John", "Age": 20, "height": 180}), "Student", dynamic({"Name": "Dave", "Age": 40, "height": 160}), "Teacher"] | evaluate bag_unpack(d) : (*, Name:string, Age:long)`, columns: ['Description', 'Name', 'Age'], rows: [['Student', 'John', 20], ['Teacher', 'Dave', 40]] },
  { name: 'bag_unpack: the other columns stay', doc: `${DOCS}bag-unpack-plugin (returns: input column removed)`, query: `datatable(id:long, d:dynamic)[1, dynamic({"k": "v"})] | evaluate bag_unpack(d)`, columns: ['id', 'k'], rows: [[1, 'v']] },
  // ---- top-nested
  { name: 'top-nested: top 2 regions by sum', doc: `${DOCS}top-nested-operator`, query: `${SALES}S | top-nested 2 of Region by sum(Amount)`, columns: ['Region', 'aggregated_Region'], rows: [['N', 22], ['S', 21]], unordered: true },
  { name: 'top-nested: two levels', doc: `${DOCS}top-nested-operator (hierarchy)`, query: `${SALES}S | top-nested 2 of Region by sum(Amount), top-nested 1 of Person by sum(Amount)`, columns: ['Region', 'aggregated_Region', 'Person', 'aggregated_Person'], rows: [['N', 22, 'ann', 17], ['S', 21, 'cy', 20]], unordered: true },
  { name: 'top-nested with others', doc: `${DOCS}top-nested-operator (with others)`, query: `${SALES}S | top-nested 1 of Region with others = "Other" by sum(Amount)`, rows: [['N', 22], ['Other', 24]], unordered: true },
  { name: 'top-nested without N returns all values', doc: `${DOCS}top-nested-operator (N omitted)`, query: `${SALES}S | top-nested of Region by count()`, rows: [['N', 3], ['S', 2], ['E', 1]], unordered: true },
  { name: 'top-nested with named columns', doc: `${DOCS}top-nested-operator (Name = Expr, Name = Aggregation)`, query: `${SALES}S | top-nested 1 of R = Region by Total = sum(Amount)`, columns: ['R', 'Total'], rows: [['N', 22]] },
  { name: 'top-nested asc takes the smallest', doc: `${DOCS}top-nested-operator (asc)`, query: `${SALES}S | top-nested 1 of Region by sum(Amount) asc`, rows: [['E', 3]] },
  { name: 'top-nested by max', doc: `${DOCS}top-nested-operator (supported aggregations)`, query: `${SALES}S | top-nested 1 of Person by max(Amount)`, rows: [['cy', 20]] },
  // ---- make-series
  {
    name: 'make-series avg on a daily axis, gaps filled with 0',
    doc: `${DOCS}make-series-operator (example)`,
    query: `${SERIES}data | make-series avg(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-10) step 1d`,
    columns: ['avg_metric', 'timestamp'],
    rows: [[[4, 3, 5, 0, 10.5, 4, 3, 8, 6.5], ['2017-01-01T00:00:00Z', '2017-01-02T00:00:00Z', '2017-01-03T00:00:00Z', '2017-01-04T00:00:00Z', '2017-01-05T00:00:00Z', '2017-01-06T00:00:00Z', '2017-01-07T00:00:00Z', '2017-01-08T00:00:00Z', '2017-01-09T00:00:00Z']]],
  },
  { name: 'make-series on an empty input gives no rows', doc: `${DOCS}make-series-operator (empty input)`, query: `${SERIES}data | take 0 | make-series avg(metric) default=1.0 on timestamp from datetime(2017-01-01) to datetime(2017-01-10) step 1d | count`, rows: [[0]] },
  { name: 'make-series kind=nonempty on an empty input gives the defaults', doc: `${DOCS}make-series-operator (kind=nonempty)`, query: `${SERIES}data | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`, rows: [[[1, 1, 1], ['2017-01-01T00:00:00Z', '2017-01-02T00:00:00Z', '2017-01-03T00:00:00Z']]] },
  { name: 'make-series by a column, default value', doc: `${DOCS}make-series-operator (by, default)`, query: `datatable(t:datetime, v:long, k:string)[datetime(2024-01-01), 1, 'a', datetime(2024-01-03), 2, 'a', datetime(2024-01-02), 5, 'b'] | make-series s = sum(v) default = -1 on t from datetime(2024-01-01) to datetime(2024-01-04) step 1d by k | project k, s`, rows: [['a', [1, -1, 2]], ['b', [-1, 5, -1]]], unordered: true },
  { name: 'make-series: end is exclusive', doc: `${DOCS}make-series-operator (end: non-inclusive)`, query: `datatable(t:datetime)[datetime(2024-01-03)] | make-series c = count() on t from datetime(2024-01-01) to datetime(2024-01-03) step 1d | project c`, rows: [[[0, 0]]] },
  { name: 'make-series count() per bin', doc: `${DOCS}make-series-operator (count)`, query: `datatable(t:datetime)[datetime(2024-01-01 01:00), datetime(2024-01-01 02:00), datetime(2024-01-02 05:00)] | make-series c = count() on t from datetime(2024-01-01) to datetime(2024-01-03) step 1d | project c`, rows: [[[2, 1]]] },
  { name: 'make-series on a numeric axis without from/to', doc: `${DOCS}make-series-operator (start/end omitted)`, query: `datatable(t:long)[1, 4, 5] | make-series c = count() on t step 2`, columns: ['c', 't'], rows: [[[1, 0, 2], [0, 2, 4]]] },
  // ---- prev / next / row_number over serialized rows
  { name: 'prev() of the first row is null', doc: `${DOCS}prev-function (extend row with data from the previous row)`, query: `datatable(x:long)[1, 2, 3] | serialize p = prev(x)`, rows: [[1, null], [2, 1], [3, 2]] },
  { name: 'prev() with offset and default', doc: `${DOCS}prev-function (offset, default_value)`, query: `datatable(x:long)[1, 2, 3] | serialize | extend p = prev(x, 2, -1)`, rows: [[1, -1], [2, -1], [3, 1]] },
  { name: 'next() of the last row is null', doc: `${DOCS}next-function`, query: `datatable(x:long)[1, 2, 3] | serialize | extend n = next(x)`, rows: [[1, 2], [2, 3], [3, null]] },
  { name: 'next() with offset and default', doc: `${DOCS}next-function (offset, default_value)`, query: `datatable(x:long)[1, 2, 3] | serialize | extend n = next(x, 2, 0)`, rows: [[1, 3], [2, 0], [3, 0]] },
  { name: 'prev() in where after sort compares adjacent rows', doc: `${DOCS}prev-function (filter data based on comparison between adjacent rows)`, query: `datatable(t:long)[10, 30, 35, 90] | sort by t asc | where t - prev(t, 1, 0) > 10`, rows: [[30], [90]] },
  { name: 'datetime_diff against prev() timestamps', doc: `${DOCS}prev-function (timeDiffInMilliseconds)`, query: `datatable(ts:datetime)[datetime(2022-04-13 00:00:00.000), datetime(2022-04-13 00:00:00.300)] | sort by ts asc | extend d = datetime_diff('millisecond', ts, prev(ts, 1)) | project d`, rows: [[null], [300]] },
  { name: 'row_number() counts from 1 after sort', doc: `${DOCS}row-number-function (example 1)`, query: `range a from 1 to 4 step 1 | sort by a desc | extend rn = row_number()`, rows: [[4, 1], [3, 2], [2, 3], [1, 4]] },
  { name: 'row_number(7) starts at 7', doc: `${DOCS}row-number-function (example 2)`, query: `range a from 1 to 3 step 1 | sort by a desc | extend rn = row_number(7)`, rows: [[3, 7], [2, 8], [1, 9]] },
  {
    name: 'row_number restarts per partition',
    doc: `${DOCS}row-number-function (example 3)`,
    query: `datatable(Airport:string, Airline:string, Departures:long)["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]
| sort by Airport asc, Departures desc
| extend Rank = row_number(1, prev(Airport) != Airport)`,
    rows: [['SEA', 'BA', 2, 1], ['SEA', 'LH', 1, 2], ['SEA', 'LY', 0, 3], ['TLV', 'LY', 100, 1], ['TLV', 'LH', 1, 2]],
  },
  // ---- percentiles (nearest rank)
  { name: 'percentile 50 of 1..10 is 5 (nearest rank)', doc: `${DOCS}percentiles-aggregation-function (nearest-rank percentile)`, query: `${TEN}N | summarize percentile(x, 50)`, columns: ['percentile_x_50'], rows: [[5]] },
  { name: 'percentiles in several columns', doc: `${DOCS}percentiles-aggregation-function (multiple percentiles)`, query: `${TEN}N | summarize percentiles(x, 5, 50, 95)`, columns: ['percentile_x_5', 'percentile_x_50', 'percentile_x_95'], rows: [[1, 5, 10]] },
  { name: 'percentile 0 is the minimum, 100 the maximum', doc: `${DOCS}percentiles-aggregation-function (0 and 100 are exact)`, query: `${TEN}N | summarize lo = percentile(x, 0), hi = percentile(x, 100)`, rows: [[1, 10]] },
  { name: 'percentiles_array returns one dynamic array', doc: `${DOCS}percentiles-aggregation-function (percentiles_array)`, query: `${TEN}N | summarize p = percentiles_array(x, 25, 75)`, rows: [[[3, 8]]] },
  { name: 'percentiles_array over a dynamic array of percentiles', doc: `${DOCS}percentiles-aggregation-function (dynamic array of percentiles)`, query: `${TEN}N | summarize p = percentiles_array(x, dynamic([10, 90]))`, rows: [[[1, 9]]] },
  { name: 'percentile by group', doc: `${DOCS}percentiles-aggregation-function (by State)`, query: `datatable(k:string, v:long)['a', 1, 'a', 9, 'a', 5, 'b', 2] | summarize percentile(v, 50) by k`, rows: [['a', 5], ['b', 2]], unordered: true },
  // ---- join conditions
  { name: 'join … where: equality plus an extra condition', doc: `${DOCS}join-operator ($left/$right conditions)`, query: `${LR}L | join kind=inner R where $left.a == $right.b and $left.t > $right.u`, columns: ['a', 't', 'b', 'u'], rows: [[1, 5, 1, 3]] },
  { name: 'join … where without an equality pairs every row', doc: `${DOCS}join-operator ($left/$right conditions)`, query: `${LR}L | join kind=inner R where $left.t > $right.u | project a, b`, rows: [[1, 1], [1, 9], [2, 1], [2, 9], [3, 9]], unordered: true },
  { name: 'join kind=leftouter … where keeps unmatched left rows', doc: `${DOCS}join-leftouter`, query: `${LR}L | join kind=leftouter R where $left.a == $right.b and $left.t < $right.u | project a, b`, rows: [[1, null], [2, 2], [3, null]], unordered: true },
  { name: 'join kind=leftanti … where', doc: `${DOCS}join-leftanti`, query: `${LR}L | join kind=leftanti R where $left.a == $right.b`, rows: [[3, 1]] },
  { name: 'join kind=rightouter … where keeps unmatched right rows', doc: `${DOCS}join-rightouter`, query: `${LR}L | join kind=rightouter R where $left.a == $right.b | project a, b`, rows: [[1, 1], [2, 2], [null, 9]], unordered: true },
  // ---- arg_max / arg_min with *, toscalar with non-constant bounds
  { name: 'arg_min with * by group', doc: `${DOCS}arg-min-aggregation-function (*)`, query: `datatable(k:string, x:long, y:string)['a', 2, 'p', 'a', 1, 'q', 'b', 5, 'r'] | summarize arg_min(x, *) by k`, columns: ['k', 'x', 'y'], rows: [['a', 1, 'q'], ['b', 5, 'r']], unordered: true },
  { name: 'arg_max with named columns', doc: `${DOCS}arg-max-aggregation-function`, query: `datatable(k:string, x:long, y:string)['a', 2, 'p', 'a', 1, 'q'] | summarize arg_max(x, y) by k`, columns: ['k', 'x', 'y'], rows: [['a', 2, 'p']] },
  { name: 'toscalar as a range bound', doc: `${DOCS}toscalar-function`, query: `let n = toscalar(datatable(x:long)[3, 5] | summarize max(x)); range i from 1 to n step 1 | count`, rows: [[5]] },
  { name: 'toscalar bounds of between', doc: `${DOCS}toscalar-function`, query: `let lo = toscalar(datatable(x:long)[2] | summarize min(x)); datatable(v:long)[1, 2, 3, 4, 5] | where v between (lo .. lo + 2)`, rows: [[2], [3], [4]] },
  // ---- ingestion_time()
  { name: 'ingestion_time() is the record’s ingestion time (_TimeReceived in fixtures)', doc: `${DOCS}ingestion-time-function`, query: `datatable(TimeGenerated:datetime, _TimeReceived:datetime)[datetime(2024-01-01), datetime(2024-01-01 00:05)] | project i = ingestion_time()`, rows: [['2024-01-01T00:05:00Z']] },
  { name: 'ingestion_time() over a look-back with overlap', doc: `${DOCS}ingestion-time-function`, query: `datatable(TimeGenerated:datetime, _TimeReceived:datetime)[datetime(2023-12-31 22:00), datetime(2023-12-31 23:30), datetime(2023-12-31 21:00), datetime(2023-12-31 21:10)] | where ingestion_time() > ago(1h) | project TimeGenerated`, rows: [['2023-12-31T22:00:00Z']] },
];
