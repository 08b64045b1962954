/**
 * What kube-apiserver's Service registry does with the addresses it hands out (single-stack IPv4,
 * as most clusters run): ClusterIPs from the service CIDR — a random free address, from the upper
 * band first as ServiceIPStaticSubrange does, a requested one only when it is free and in range —
 * NodePorts from 30000-32767, the IP family fields, and what a type change allocates or drops.
 *
 * Which addresses are taken is read from the stored Services (kept current from the store's
 * events), so a deleted Service, a type change or a write that failed never keeps one.
 */
import { randomInt } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { invalid, type StatusCause } from './status';
import { keyOf, type ObjectStore } from './store';

type Cause = Required<StatusCause>;

interface ServicePort {
  port?: number;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  selector?: Record<string, string>;
  ports?: ServicePort[];
}

export interface ServiceAddressOptions {
  /** The service CIDR (kube-apiserver's --service-cluster-ip-range); default 10.96.0.0/12, kubeadm's and kind's. */
  serviceCidr?: string;
  /** --service-node-port-range; default 30000-32767. */
  nodePorts?: { first: number; last: number };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Go's %#v of a []string, as field errors print values: `[]string{"10.96.0.10"}`. */
export function goStrings(values: readonly string[] | undefined): string {
  return values === undefined ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** An IPv4 range as the bitmap allocator sees it: every address but the network and broadcast ones. */
class Ipv4Range {
  readonly first: number;
  readonly size: number;
  /** Addresses kept for static assignment: dynamic allocation takes them only when the rest is full. */
  readonly staticBand: number;

  constructor(readonly cidr: string) {
    const [base, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (!isIPv4(base) || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`service CIDR ${cidr} is not an IPv4 range from /8 to /30`);
    const network = ipToInt(base) - (ipToInt(base) % 2 ** (32 - prefix));
    this.first = network + 1;
    this.size = 2 ** (32 - prefix) - 2;
    this.staticBand = Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.first && n < this.first + this.size;
  }

  at(offset: number): string {
    return intToIp(this.first + offset);
  }
}

const externalName = 'ExternalName';

function specOf(service: KubeObject): ServiceSpec {
  service.spec ??= {};
  return service.spec as ServiceSpec;
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== externalName;
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function sameList(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function forbidden(field: string, why: string): Cause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${why}`, field };
}

function invalidValue(field: string, value: string, why: string): Cause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${why}`, field };
}

export class ServiceAddresses implements Disposable {
  private readonly range: Ipv4Range;
  private readonly nodePorts: { first: number; last: number };
  /** address -> Service key, and Service key -> its addresses (IPs and NodePorts). */
  private readonly takenIps = new Map<string, string>();
  private readonly takenPorts = new Map<number, string>();
  private readonly held = new Map<string, { ips: string[]; ports: number[] }>();
  private readonly subscription: Disposable;

  constructor(
    store: ObjectStore,
    private readonly info: ResourceInfo,
    options: ServiceAddressOptions = {},
  ) {
    this.range = new Ipv4Range(options.serviceCidr ?? '10.96.0.0/12');
    this.nodePorts = options.nodePorts ?? { first: 30000, last: 32767 };
    // The first address is the `kubernetes` Service's on every cluster.
    this.takenIps.set(this.range.at(0), 'default/kubernetes');
    for (const service of store.list(info)) this.index(service);
    this.subscription = store.onEvent((event) => {
      if (event.info.kind !== info.kind) return;
      if (event.type === 'DELETED') this.unindex(keyOf(event.object.metadata.namespace, event.object.metadata.name));
      else this.index(event.object);
    });
  }

  get serviceCidr(): string {
    return this.range.cidr;
  }

  private index(service: KubeObject): void {
    const key = keyOf(service.metadata.namespace, service.metadata.name);
    this.unindex(key);
    const spec = (service.spec ?? {}) as ServiceSpec;
    const ips = needsClusterIP(spec) ? (spec.clusterIPs ?? []).filter((ip) => ip !== 'None' && ip !== '') : [];
    const ports = needsNodePorts(spec) ? (spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : [])) : [];
    for (const ip of ips) this.takenIps.set(ip, key);
    for (const port of ports) this.takenPorts.set(port, key);
    this.held.set(key, { ips, ports });
  }

  private unindex(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    for (const ip of held.ips) if (this.takenIps.get(ip) === key) this.takenIps.delete(ip);
    for (const port of held.ports) if (this.takenPorts.get(port) === key) this.takenPorts.delete(port);
    this.held.delete(key);
  }

  /**
   * Fills in and checks the address fields of a Service being created (`existing` undefined) or
   * updated, as the registry does before validation; throws 422 Invalid like the API server.
   */
  admit(service: KubeObject, existing?: KubeObject): void {
    const spec = specOf(service);
    const old = existing ? ((existing.spec ?? {}) as ServiceSpec) : undefined;
    const key = keyOf(service.metadata.namespace, service.metadata.name);
    if (old) {
      this.keepAllocated(spec, old);
      this.dropTypeDependent(spec, old);
    }
    if (!needsClusterIP(spec)) {
      this.checkExternalName(service, spec);
      return;
    }
    this.normalise(service, spec, old);
    if (old && needsClusterIP(old)) this.checkUnchanged(service, spec, old);
    else this.allocateIps(service, spec, key);
    this.allocateNodePorts(service, spec, old, key);
  }

  /** patchAllocatedValues: an update that leaves out what the server assigned keeps it. */
  private keepAllocated(spec: ServiceSpec, old: ServiceSpec): void {
    if (needsClusterIP(old) && needsClusterIP(spec)) {
      if (!spec.clusterIP) spec.clusterIP = old.clusterIP;
      if (!spec.clusterIPs?.length && old.clusterIPs?.length) spec.clusterIPs = [...old.clusterIPs];
      spec.ipFamilies ??= old.ipFamilies ? [...old.ipFamilies] : undefined;
      spec.ipFamilyPolicy ??= old.ipFamilyPolicy;
    }
    if (needsNodePorts(old) && needsNodePorts(spec)) {
      for (const port of spec.ports ?? []) {
        if (port.nodePort) continue;
        const before = (old.ports ?? []).find((p) => p.port === port.port)?.nodePort;
        if (before) port.nodePort = before;
      }
    }
  }

  /** dropTypeDependentFields: a type that needs no ClusterIP (or NodePort) sheds the ones it had. */
  private dropTypeDependent(spec: ServiceSpec, old: ServiceSpec): void {
    if (needsClusterIP(old) && !needsClusterIP(spec)) {
      if (spec.clusterIP === old.clusterIP && sameList(spec.clusterIPs, old.clusterIPs)) {
        delete spec.clusterIP;
        delete spec.clusterIPs;
      }
      if (sameList(spec.ipFamilies, old.ipFamilies)) delete spec.ipFamilies;
      if (spec.ipFamilyPolicy === old.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    }
    if (needsNodePorts(old) && !needsNodePorts(spec)) {
      for (const port of spec.ports ?? []) {
        const before = (old.ports ?? []).find((p) => p.port === port.port)?.nodePort;
        if (port.nodePort !== undefined && port.nodePort === before) delete port.nodePort;
      }
    }
  }

  private checkExternalName(service: KubeObject, spec: ServiceSpec): void {
    const causes: Cause[] = [];
    if (spec.clusterIP || spec.clusterIPs?.length) causes.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (spec.ipFamilies?.length) causes.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined) causes.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    if (causes.length > 0) throw invalid(this.info, service.metadata.name, causes);
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }

  /** NormalizeClusterIPs and the IP family defaults of initIPFamilyFields, then the field checks. */
  private normalise(service: KubeObject, spec: ServiceSpec, old: ServiceSpec | undefined): void {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    const headless = spec.clusterIP === 'None';
    const selectorless = Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy ??= old?.ipFamilyPolicy ?? (headless && selectorless ? 'RequireDualStack' : 'SingleStack');
    const causes: Cause[] = [];
    if (spec.clusterIP) {
      if (spec.clusterIPs?.[0] !== spec.clusterIP) causes.push(invalidValue('spec.clusterIPs', goStrings(spec.clusterIPs), 'first value must match `clusterIP`'));
    } else if (spec.clusterIPs?.length) {
      causes.push(invalidValue('spec.clusterIPs', goStrings(spec.clusterIPs), 'must be empty when `clusterIP` is not specified'));
    }
    (spec.clusterIPs ?? []).forEach((ip, i) => {
      if (i === 0 && ip === 'None') return;
      if (!isIPv4(ip) && !isIPv6(ip)) causes.push(invalidValue(`spec.clusterIPs[${i}]`, JSON.stringify(ip), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      else if (isIPv6(ip)) causes.push(invalidValue(`spec.clusterIPs[${i}]`, goStrings(spec.clusterIPs), 'IPv6 is not configured on this cluster'));
    });
    if (!['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(spec.ipFamilyPolicy)) {
      causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: "${spec.ipFamilyPolicy}": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"`, field: 'spec.ipFamilyPolicy' });
    }
    if (headless && selectorless) {
      spec.ipFamilies = spec.ipFamilies?.length ? spec.ipFamilies : ['IPv4'];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
    } else {
      if (spec.ipFamilyPolicy === 'RequireDualStack') causes.push(invalidValue('spec.ipFamilyPolicy', JSON.stringify(spec.ipFamilyPolicy), 'this cluster is not configured for dual-stack services'));
      (spec.ipFamilies ?? []).forEach((family, i) => {
        if (family !== 'IPv4') causes.push(invalidValue(`spec.ipFamilies[${i}]`, JSON.stringify(family), 'not configured on this cluster'));
      });
      if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    }
    if (causes.length > 0) throw invalid(this.info, service.metadata.name, causes);
  }

  /** validateUpgradeDowngradeClusterIPs for a single-stack cluster: the ClusterIP is immutable. */
  private checkUnchanged(service: KubeObject, spec: ServiceSpec, old: ServiceSpec): void {
    const before = old.clusterIPs ?? [];
    const after = spec.clusterIPs ?? [];
    if (before[0] === 'None' && after[0] === 'None') return;
    const causes: Cause[] = [];
    if (after.length === 0 && before.length > 0) causes.push(invalidValue('spec.clusterIPs[0]', goStrings(after), 'primary clusterIP can not be unset'));
    else if (before.length > 0 && after[0] !== before[0]) causes.push(invalidValue('spec.clusterIPs[0]', goStrings(after), 'may not change once set'));
    if (causes.length > 0) throw invalid(this.info, service.metadata.name, causes);
  }

  private allocateIps(service: KubeObject, spec: ServiceSpec, key: string): void {
    if (spec.clusterIP === 'None') return;
    const requested = spec.clusterIP;
    if (!requested) {
      const ip = this.nextFreeIp(service);
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return;
    }
    let why: string | undefined;
    if (!this.range.contains(requested)) why = `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.range.cidr}`;
    else if (this.takenIps.has(requested) && this.takenIps.get(requested) !== key) why = 'provided IP is already allocated';
    if (why) throw invalid(this.info, service.metadata.name, [invalidValue('spec.clusterIPs', goStrings(spec.clusterIPs), `failed to allocate IP ${requested}: ${why}`)]);
  }

  /** A random free address, the upper band first; the static band only once the rest is full. */
  private nextFreeIp(service: KubeObject): string {
    const { size, staticBand } = this.range;
    const bands: [number, number][] = [[staticBand, size], [0, staticBand]];
    for (const [from, to] of bands) {
      const span = to - from;
      if (span <= 0) continue;
      const start = randomInt(span);
      for (let i = 0; i < span; i++) {
        const ip = this.range.at(from + ((start + i) % span));
        if (!this.takenIps.has(ip)) return ip;
      }
    }
    throw new Error(`Service "${service.metadata.name}": failed to allocate a serviceIP: range is full`);
  }

  private allocateNodePorts(service: KubeObject, spec: ServiceSpec, old: ServiceSpec | undefined, key: string): void {
    if (!needsNodePorts(spec)) return;
    const mine = new Set(old && needsNodePorts(old) ? (old.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : [])) : []);
    const used = new Set<number>();
    const { first, last } = this.nodePorts;
    const causes: Cause[] = [];
    (spec.ports ?? []).forEach((port, i) => {
      if (port.nodePort) {
        const owner = this.takenPorts.get(port.nodePort);
        if (port.nodePort < first || port.nodePort > last) causes.push(invalidValue(`spec.ports[${i}].nodePort`, String(port.nodePort), `provided port is not in the valid range. The range of valid ports is ${first}-${last}`));
        else if ((owner !== undefined && owner !== key && !mine.has(port.nodePort)) || used.has(port.nodePort)) causes.push(invalidValue(`spec.ports[${i}].nodePort`, String(port.nodePort), 'provided port is already allocated'));
        used.add(port.nodePort);
        return;
      }
      const span = last - first + 1;
      const start = randomInt(span);
      for (let j = 0; j < span; j++) {
        const candidate = first + ((start + j) % span);
        if (!this.takenPorts.has(candidate) && !used.has(candidate)) {
          port.nodePort = candidate;
          used.add(candidate);
          return;
        }
      }
      throw new Error(`Service "${service.metadata.name}": failed to allocate a nodePort: range is full`);
    });
    if (causes.length > 0) throw invalid(this.info, service.metadata.name, causes);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
