// Types of debian-packages.mjs, for the tests that import it.
export declare const BROWSER_PACKAGES: string[];
export declare const CODE_SERVER_PACKAGES: string[];
export declare const ALL_PACKAGES: string[];
export type InstallPrivileges = 'root' | 'sudo' | 'none' | 'no-apt';
export declare function missingPackages(packages: readonly string[]): string[];
export declare function installPrivileges(): InstallPrivileges;
export declare function installCommand(missing: readonly string[]): string;
export interface EnsureDebianPackagesDeps {
  missing?: (packages: readonly string[]) => string[];
  privileges?: () => InstallPrivileges;
  exec?: (cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv }) => Promise<unknown>;
  log?: (line: string) => void;
  teardown?: unknown;
}
export declare function ensureDebianPackages(packages: readonly string[], purpose: string, deps?: EnsureDebianPackagesDeps): Promise<string[]>;
