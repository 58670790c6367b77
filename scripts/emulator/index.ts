/** Public API of the local ARM emulator. */
export { startEmulator, type EmulatorHandle, type PortalActions } from './server.ts';
export type { EmulatorConfig, EmulatorTenantConfig, EmulatorWorkspaceRef, EmulatorClient, FaultConfig, ThrottlingConfig } from './config.ts';
export { ConfigError, DEFAULT_CLIENT } from './config.ts';
export type { EmulatorStats, Counter, StatsRow } from './stats.ts';
export { EmulatorCredential, emulatorAuthPolicy, useEmulatorAuth, isLoopbackUrl, ARM_SCOPE } from './credential.ts';
export { SUPPORTED_VERSIONS } from './apiVersions.ts';
export { loadConfigFile, workspacesFromTargets, workspacesOf } from './configFile.ts';
