/**
 * ServiceAccount tokens as kube-apiserver issues and checks them (pkg/serviceaccount): signed JWTs
 * (ES256 here) with the issuer, audiences, expiry and the `kubernetes.io` claims naming the
 * namespace, the ServiceAccount and the Pod or Secret the token is bound to. A token is accepted
 * while it has not expired, is meant for this API server's audience, and its ServiceAccount (and
 * bound object) still exist with the same uid — deleting the ServiceAccount revokes its tokens.
 */
import { createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { KubeObject } from '../../src/kube/types';
import type { UserInfo } from './auth';
import { serviceAccountUser } from './rbac';
import type { ResourceRegistry } from './resources';
import type { ObjectStore } from './store';

export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';

interface Ref {
  name: string;
  uid: string;
}

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  nbf: number;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: Ref; pod?: Ref; secret?: Ref };
}

export interface IssueOptions {
  audiences?: string[];
  expirationSeconds: number;
  /** The object the token lives and dies with. */
  bound?: { kind: 'Pod' | 'Secret'; object: KubeObject };
  now?: Date;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keyId: string;
  /** --api-audiences: tokens for other audiences are not accepted here. */
  readonly apiAudiences: string[];

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    readonly issuer = defaultIssuer,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
    this.apiAudiences = [issuer];
  }

  /** A signed token for `serviceAccount`; its expiry as an RFC 3339 time. */
  issue(serviceAccount: KubeObject, options: IssueOptions): { token: string; expirationTimestamp: string } {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const namespace = serviceAccount.metadata.namespace ?? '';
    const claims: Claims = {
      aud: options.audiences?.length ? options.audiences : this.apiAudiences,
      exp: now + options.expirationSeconds,
      iat: now,
      iss: this.issuer,
      'kubernetes.io': { namespace, serviceaccount: { name: serviceAccount.metadata.name, uid: serviceAccount.metadata.uid } },
      nbf: now,
      sub: serviceAccountUser(namespace, serviceAccount.metadata.name),
    };
    if (options.bound) {
      const ref = { name: options.bound.object.metadata.name, uid: options.bound.object.metadata.uid };
      if (options.bound.kind === 'Pod') claims['kubernetes.io'].pod = ref;
      else claims['kubernetes.io'].secret = ref;
    }
    const signingInput = `${base64url(JSON.stringify({ alg: 'ES256', kid: this.keyId }))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${signingInput}.${base64url(signature)}`, expirationTimestamp: new Date(claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  private claimsOf(token: string): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
      if (header.alg !== 'ES256') return undefined;
      const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
      return valid ? (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims) : undefined;
    } catch {
      return undefined;
    }
  }

  private stillExists(kind: string, namespace: string, ref: Ref | undefined): boolean {
    if (!ref) return true;
    return this.store.get(this.registry.kind(kind), namespace, ref.name)?.metadata.uid === ref.uid;
  }

  /** Who the token stands for, when it is one of ours, current, for `audiences`, and not revoked. */
  authenticate(token: string, audiences: readonly string[] = this.apiAudiences): (UserInfo & { audiences: string[] }) | undefined {
    const claims = this.claimsOf(token);
    if (!claims || claims.iss !== this.issuer) return undefined;
    const now = Date.now() / 1000;
    if (claims.exp <= now || claims.nbf > now + 60) return undefined;
    const accepted = claims.aud.filter((a) => audiences.includes(a));
    if (accepted.length === 0) return undefined;
    const k8s = claims['kubernetes.io'];
    if (!this.stillExists('ServiceAccount', k8s.namespace, k8s.serviceaccount)) return undefined;
    if (!this.stillExists('Pod', k8s.namespace, k8s.pod) || !this.stillExists('Secret', k8s.namespace, k8s.secret)) return undefined;
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    return {
      name: claims.sub,
      uid: k8s.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`],
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
      audiences: accepted,
    };
  }
}
