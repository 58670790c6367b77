import { DOCS, type ConformanceCase } from './types.ts';

/** A datetime with millisecond precision (the evaluator keeps milliseconds). */
const DT = `let dt = datetime(2017-10-30 01:02:03.765);\n`;

export const datetimeCases: ConformanceCase[] = [
  // ---- datetime_part: every documented part
  { name: 'datetime_part year', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("year", dt)`, rows: [[2017]] },
  { name: 'datetime_part quarter', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("quarter", dt)`, rows: [[4]] },
  { name: 'datetime_part month', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("month", dt)`, rows: [[10]] },
  { name: 'datetime_part week_of_year (ISO 8601)', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("week_of_year", dt)`, rows: [[44]] },
  { name: 'datetime_part day', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("day", dt)`, rows: [[30]] },
  { name: 'datetime_part dayOfYear (case-insensitive part)', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("dayOfYear", dt)`, rows: [[303]] },
  { name: 'datetime_part hour', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("hour", dt)`, rows: [[1]] },
  { name: 'datetime_part minute', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("minute", dt)`, rows: [[2]] },
  { name: 'datetime_part second', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("second", dt)`, rows: [[3]] },
  { name: 'datetime_part millisecond', doc: `${DOCS}datetime-part-function (example)`, query: `${DT}print v = datetime_part("millisecond", dt)`, rows: [[765]] },
  { name: 'datetime_part microsecond is the fraction of the second in microseconds', doc: `${DOCS}datetime-part-function (microsecond)`, query: `${DT}print v = datetime_part("microsecond", dt)`, rows: [[765000]] },
  { name: 'datetime_part nanosecond is the fraction of the second in nanoseconds', doc: `${DOCS}datetime-part-function (nanosecond)`, query: `${DT}print v = datetime_part("nanosecond", dt)`, rows: [[765000000]] },
  { name: 'week_of_year: 1 January on a Sunday belongs to the last week of the year before', doc: `${DOCS}datetime-part-function (week_of_year note: ISO 8601)`, query: `print v = datetime_part("week_of_year", datetime(2017-01-01))`, rows: [[52]] },
  { name: 'week_of_year: the week holding the first Thursday is week 1', doc: `${DOCS}datetime-part-function (week_of_year note: ISO 8601)`, query: `print v = datetime_part("week_of_year", datetime(2021-01-04))`, rows: [[1]] },
  { name: 'week_of_year: 53-week years', doc: `${DOCS}datetime-part-function (week_of_year note: ISO 8601)`, query: `print v = datetime_part("week_of_year", datetime(2020-12-31))`, rows: [[53]] },
  { name: 'week_of_year: late December can be week 1 of the next year', doc: `${DOCS}datetime-part-function (week_of_year note: ISO 8601)`, query: `print v = datetime_part("week_of_year", datetime(2024-12-30))`, rows: [[1]] },
  { name: 'datetime_part of a null datetime is null', doc: `${DOCS}datetime-part-function`, query: `print v = datetime_part("year", datetime(null))`, rows: [[null]] },
  // ---- datetime_diff: every documented period (datetime1 - datetime2)
  { name: 'datetime_diff year', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('year', datetime(2017-01-01), datetime(2000-12-31))`, rows: [[17]] },
  { name: 'datetime_diff quarter', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('quarter', datetime(2017-07-01), datetime(2017-03-30))`, rows: [[2]] },
  { name: 'datetime_diff month', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('month', datetime(2017-01-01), datetime(2015-12-30))`, rows: [[13]] },
  { name: 'datetime_diff week', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('week', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))`, rows: [[5]] },
  { name: 'datetime_diff day', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('day', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))`, rows: [[29]] },
  { name: 'datetime_diff hour', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('hour', datetime(2017-10-31 01:00), datetime(2017-10-30 23:59))`, rows: [[2]] },
  { name: 'datetime_diff minute', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('minute', datetime(2017-10-30 23:05:01), datetime(2017-10-30 23:00:59))`, rows: [[5]] },
  { name: 'datetime_diff second', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('second', datetime(2017-10-30 23:00:10.100), datetime(2017-10-30 23:00:00.900))`, rows: [[10]] },
  { name: 'datetime_diff millisecond', doc: `${DOCS}datetime-diff-function (example)`, query: `print v = datetime_diff('millisecond', datetime(2017-10-30 23:00:00.200), datetime(2017-10-30 23:00:00.100))`, rows: [[100]] },
  { name: 'datetime_diff microsecond', doc: `${DOCS}datetime-diff-function (microsecond)`, query: `print v = datetime_diff('microsecond', datetime(2017-10-30 23:00:00.002), datetime(2017-10-30 23:00:00.001))`, rows: [[1000]] },
  { name: 'datetime_diff nanosecond is negative when datetime1 is earlier', doc: `${DOCS}datetime-diff-function (nanosecond)`, query: `print v = datetime_diff('nanosecond', datetime(2017-10-30 23:00:00.000), datetime(2017-10-30 23:00:00.001))`, rows: [[-1000000]] },
  { name: 'datetime_diff periods are case-insensitive', doc: `${DOCS}datetime-diff-function (possible values: case insensitive)`, query: `print v = datetime_diff('Day', datetime(2017-01-05), datetime(2017-01-01))`, rows: [[4]] },
  { name: 'datetime_diff counts boundaries, not elapsed periods', doc: `${DOCS}datetime-diff-function`, query: `print v = datetime_diff('year', datetime(2018-01-01), datetime(2017-12-31))`, rows: [[1]] },
  { name: 'datetime_diff with datetime1 earlier is negative', doc: `${DOCS}datetime-diff-function (datetime1 - datetime2)`, query: `print v = datetime_diff('day', datetime(2017-01-01), datetime(2017-01-05))`, rows: [[-4]] },
  // ---- bin_at
  { name: 'bin_at on reals aligned to a fixed point', doc: `${DOCS}bin-at-function (example 1)`, query: `print v = bin_at(6.5, 2.5, 7)`, rows: [[4.5]] },
  { name: 'bin_at on timespans can go below zero', doc: `${DOCS}bin-at-function (example 2)`, query: `print v = bin_at(time(1h), 1d, 12h)`, rows: [['-12:00:00']] },
  { name: 'bin_at daily bins aligned to noon', doc: `${DOCS}bin-at-function (example 3)`, query: `print v = bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))`, rows: [['2017-05-14T12:00:00Z']] },
  { name: 'bin_at weekly bins aligned to a later Sunday', doc: `${DOCS}bin-at-function (example 4)`, query: `print v = bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0))`, rows: [['2017-05-14T00:00:00Z']] },
  {
    name: 'summarize by bin_at keeps the fixed point in a bin',
    doc: `${DOCS}bin-at-function (example 5)`,
    query: `datatable(Date:datetime, NumOfEvents:int)[datetime(2018-02-24T15:14), 3, datetime(2018-02-24T15:24), 4, datetime(2018-02-23T16:14), 4, datetime(2018-02-23T17:29), 4, datetime(2018-02-26T15:14), 5]
| summarize TotalEvents = sum(NumOfEvents) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000))`,
    columns: ['Date', 'TotalEvents'],
    rows: [['2018-02-23T15:14:00Z', 8], ['2018-02-24T15:14:00Z', 7], ['2018-02-26T15:14:00Z', 5]],
    unordered: true,
  },
  { name: 'bin_at: a value on the fixed point is its own bin start', doc: `${DOCS}bin-at-function (returns)`, query: `print v = bin_at(7, 2.5, 7)`, rows: [[7]] },
  { name: 'bin_at on longs', doc: `${DOCS}bin-at-function (returns)`, query: `print v = bin_at(16, 5, 2)`, rows: [[12]] },
  { name: 'bin_at of null is null', doc: `${DOCS}bin-at-function`, query: `print v = bin_at(long(null), 5, 2)`, rows: [[null]] },
  // ---- make_datetime
  { name: 'make_datetime(year, month, day)', doc: `${DOCS}make-datetime-function (example 1)`, query: `print v = make_datetime(2017, 10, 01)`, rows: [['2017-10-01T00:00:00Z']] },
  { name: 'make_datetime with hour and minute', doc: `${DOCS}make-datetime-function (example 2)`, query: `print v = make_datetime(2017, 10, 01, 12, 10)`, rows: [['2017-10-01T12:10:00Z']] },
  { name: 'make_datetime with fractional seconds', doc: `${DOCS}make-datetime-function (example 3)`, query: `print v = make_datetime(2017, 10, 01, 12, 11, 0.5)`, rows: [['2017-10-01T12:11:00.5000000Z']] },
  { name: 'make_datetime: a month out of range is null', doc: `${DOCS}make-datetime-function (returns: otherwise null)`, query: `print v = make_datetime(2017, 13, 1)`, rows: [[null]] },
  { name: 'make_datetime: a day past the end of the month is null', doc: `${DOCS}make-datetime-function (day between 1 and 28-31)`, query: `print v = make_datetime(2023, 2, 29)`, rows: [[null]] },
  { name: 'make_datetime: 29 February of a leap year', doc: `${DOCS}make-datetime-function (day between 1 and 28-31)`, query: `print v = make_datetime(2024, 2, 29)`, rows: [['2024-02-29T00:00:00Z']] },
  { name: 'make_datetime: hour 24 is out of range', doc: `${DOCS}make-datetime-function (hour between 0 and 23)`, query: `print v = make_datetime(2017, 1, 1, 24, 0)`, rows: [[null]] },
  { name: 'make_datetime: seconds up to 59.9999999', doc: `${DOCS}make-datetime-function (second between 0 and 59.9999999)`, query: `print v = make_datetime(2017, 1, 1, 23, 59, 59.25)`, rows: [['2017-01-01T23:59:59.2500000Z']] },
];
