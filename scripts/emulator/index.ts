/**
 * Public API of the local ARM emulator: the one module anything outside scripts/emulator/ imports
 * (the CLI's demo/emulator verbs and tests; enforced by .dependency-cruiser.cjs).
 */
export { startEmulator, type EmulatorHandle, type EmulatorClientCredentials, type PortalActions } from './server.ts';
export type { EmulatorConfig, EmulatorTenantConfig, EmulatorWorkspaceRef, EmulatorClient, FaultConfig, ThrottlingConfig } from './config.ts';
export { ConfigError, DEFAULT_CLIENT } from './config.ts';
export type { EmulatorStats, Counter, StatsRow } from './stats.ts';
export { SUPPORTED_VERSIONS } from './apiVersions.ts';
export { loadConfigFile } from './configFile.ts';
