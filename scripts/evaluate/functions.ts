/**
 * Scalar built-in functions of the local evaluator. Each takes evaluated arguments; `call` carries
 * the pinned `now()` and the analyzer's result type. A function missing here is reported as
 * "not supported by the local evaluator".
 */
import type { ScalarFn } from './functions/common.ts';
import { conversionFunctions } from './functions/conversion.ts';
import { datetimeFunctions } from './functions/datetime.ts';
import { dynamicFunctions } from './functions/dynamic.ts';
import { ipFunctions } from './functions/ip.ts';
import { stringFunctions } from './functions/string.ts';

export type { CallInfo, ScalarFn } from './functions/common.ts';
export { flattenArgs } from './functions/common.ts';
export { binValue, datetimeDiff, formatDateTimeWith } from './functions/datetime.ts';

/** Every scalar built-in by name, one family per module under functions/. */
export const scalarFunctions: Record<string, ScalarFn> = {
  ...conversionFunctions,
  ...stringFunctions,
  ...dynamicFunctions,
  ...datetimeFunctions,
  ...ipFunctions,
};
