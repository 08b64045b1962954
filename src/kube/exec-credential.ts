/**
 * Exec credential plugins (client.authentication.k8s.io), run the way kubectl runs them:
 * KUBERNETES_EXEC_INFO in the environment, no stdin, credentials cached until their
 * expirationTimestamp (or, without one, until the server answers 401), one run shared by all
 * concurrent requests, and a deadline so a plugin waiting for a login prompt cannot hang us.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Disposable } from '../lifecycle';
import { systemClock, type Clock } from './clock';

export interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  installHint?: string;
  provideClusterInfo?: boolean;
}

export interface ExecClusterInfo {
  server: string;
  caData?: string;
  skipTLSVerify?: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** ms since epoch; undefined = valid until the server rejects it. */
  expiresAt?: number;
}

/** Errors carry what explain.ts needs: `code` ENOENT/EACCES from spawn, or the plugin's stderr as message. */
export class ExecCredentialProvider implements Disposable {
  private cached?: ExecCredential;
  private inflight?: Promise<ExecCredential>;
  private child?: ChildProcess;
  private disposed = false;

  constructor(
    readonly config: ExecConfig,
    private readonly cluster: ExecClusterInfo,
    private readonly options: { timeoutMs?: number; clock?: Clock; env?: NodeJS.ProcessEnv } = {},
  ) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** A valid credential, running the plugin only when the cached one is missing or about to expire. */
  get(): Promise<ExecCredential> {
    const cached = this.cached;
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - 10_000 > this.clock.now())) return Promise.resolve(cached);
    this.inflight ??= this.run().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forget the cached credential (the server answered 401). */
  invalidate(): void {
    this.cached = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.child?.kill();
  }

  private execInfo(): string {
    const spec: Record<string, unknown> = { interactive: false };
    if (this.config.provideClusterInfo) {
      const cluster: Record<string, unknown> = { server: this.cluster.server };
      if (this.cluster.caData) cluster['certificate-authority-data'] = this.cluster.caData;
      if (this.cluster.skipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
      if (this.cluster.tlsServerName) cluster['tls-server-name'] = this.cluster.tlsServerName;
      if (this.cluster.proxyUrl) cluster['proxy-url'] = this.cluster.proxyUrl;
      spec.cluster = cluster;
    }
    return JSON.stringify({ apiVersion: this.config.apiVersion ?? 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec });
  }

  private run(): Promise<ExecCredential> {
    if (this.disposed) return Promise.reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    const env: NodeJS.ProcessEnv = { ...(this.options.env ?? process.env), KUBERNETES_EXEC_INFO: this.execInfo() };
    for (const { name, value } of this.config.env ?? []) env[name] = value;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    return new Promise<ExecCredential>((resolve, reject) => {
      const child = spawn(this.config.command, this.config.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      this.child = child;
      let stdout = '';
      let stderr = '';
      let spawnError: Error | undefined;
      const timer = this.clock.setTimeout(() => {
        spawnError = new Error(`it did not finish within ${Math.round(timeoutMs / 1000)} s (is it waiting for an interactive login?)`);
        child.kill();
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.once('error', (err) => (spawnError = err));
      child.once('close', (code, signal) => {
        this.clock.clearTimeout(timer);
        this.child = undefined;
        if (spawnError) return reject(spawnError);
        if (code !== 0) return reject(new Error(stderr.trim() || `it exited with ${code ?? signal}`));
        try {
          resolve(this.accept(stdout));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private accept(stdout: string): ExecCredential {
    let parsed: { kind?: string; status?: { token?: string; clientCertificateData?: string; clientKeyData?: string; expirationTimestamp?: string } };
    try {
      parsed = JSON.parse(stdout) as typeof parsed;
    } catch {
      throw new Error('it printed something that is not an ExecCredential (JSON expected on stdout)');
    }
    const status = parsed.status;
    if (!status || (!status.token && !(status.clientCertificateData && status.clientKeyData))) {
      throw new Error('its ExecCredential has neither status.token nor a client certificate and key');
    }
    const credential: ExecCredential = {};
    if (status.token) credential.token = status.token;
    if (status.clientCertificateData && status.clientKeyData) {
      credential.clientCertificateData = status.clientCertificateData;
      credential.clientKeyData = status.clientKeyData;
    }
    if (status.expirationTimestamp) {
      const at = Date.parse(status.expirationTimestamp);
      if (!Number.isNaN(at)) credential.expiresAt = at;
    }
    this.cached = credential;
    return credential;
  }
}
