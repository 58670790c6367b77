/**
 * The built-in catalogue: the Log Analytics / Microsoft Sentinel tables with typed columns as
 * documented in the Azure Monitor table reference, and the ASIM parser functions with their
 * parameters and output columns. The data and its loader live in `model/tables.ts`
 * (`model/data/tables.json`, `model/data/asim.json`: domain facts the standalone emulator reads
 * too); the refresh procedure is in `catalogue/README.md`. This module is the Kusto world's entry.
 */
export {
  loadAsimFunctions,
  loadCatalogue,
  STANDARD_COLUMNS,
  type ColumnDef,
  type FunctionDef,
  type FunctionParameterDef,
  type KqlType,
  type TableDef,
} from '../model/tables.ts';
