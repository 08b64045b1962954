/**
 * Ingresses, IngressClasses and NetworkPolicies (networking/validation).
 */
import { forbidden, go, invalid, notSupported, required, tooLong, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { validateLabelSelector } from './meta';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, nameIsDNSSubdomain } from './names';
import { cidrContains, parseCIDR, parseIP } from './net';
import { arr, int, isObj, obj, objs, s, str, strings, type Obj } from './read';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];

function validateTypedReference(r: Report, ref: Obj, path: FieldPath): void {
  const group = str(ref.apiGroup);
  if (group !== undefined) for (const m of isDNS1123Subdomain(group)) r.add(invalid(path.child('apiGroup'), group, m));
  if (!s(ref.kind)) r.add(required(path.child('kind'), 'kind is required'));
  else for (const m of isValidPathSegmentName(s(ref.kind))) r.add(invalid(path.child('kind'), s(ref.kind), m));
  if (!s(ref.name)) r.add(required(path.child('name'), 'name is required'));
  else for (const m of isValidPathSegmentName(s(ref.name))) r.add(invalid(path.child('name'), s(ref.name), m));
}

function validateBackend(r: Report, backend: Obj, path: FieldPath): void {
  const resource = obj(backend.resource);
  const service = obj(backend.service);
  if (resource && service) return r.add(invalid(path, '', 'cannot set both resource and service backends'));
  if (resource) return validateTypedReference(r, resource, path.child('resource'));
  if (!service) return r.add(invalid(path, '', 'resource or service backend is required'));
  const name = s(service.name);
  if (!name) r.add(required(path.child('service', 'name')));
  else for (const m of isDNS1035Label(name)) r.add(invalid(path.child('service', 'name'), name, m));
  const port = obj(service.port) ?? {};
  const portName = s(port.name);
  const portNumber = int(port.number) ?? 0;
  if (portName && portNumber) r.add(invalid(path, '', 'cannot set both port name & port number'));
  else if (portName) for (const m of isValidPortName(portName)) r.add(invalid(path.child('service', 'port', 'name'), portName, m));
  else if (portNumber) for (const m of isValidPortNum(portNumber)) r.add(invalid(path.child('service', 'port', 'number'), portNumber, m));
  else r.add(required(path, 'port name or number is required'));
}

function validatePath(r: Report, p: Obj, path: FieldPath): void {
  const type = p.pathType;
  if (typeof type !== 'string') return r.add(required(path.child('pathType'), 'pathType must be specified'));
  const value = s(p.path);
  if (type === 'Exact' || type === 'Prefix') {
    if (!value.startsWith('/')) r.add(invalid(path.child('path'), value, 'must be an absolute path'));
    if (value) {
      for (const seq of BAD_SEQUENCES) if (value.includes(seq)) r.add(invalid(path.child('path'), value, `must not contain '${seq}'`));
      for (const suffix of BAD_SUFFIXES) if (value.endsWith(suffix)) r.add(invalid(path.child('path'), value, `cannot end with '${suffix}'`));
    }
  } else if (type === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) r.add(invalid(path.child('path'), value, 'must be an absolute path'));
  } else r.add(notSupported(path.child('pathType'), type, PATH_TYPES));
  validateBackend(r, obj(p.backend) ?? {}, path.child('backend'));
}

export function validateIngress(r: Report, ing: Obj): void {
  const sp = obj(ing.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-networking', () => {
    const rules = objs(sp.rules);
    if (rules.length === 0 && !isObj(sp.defaultBackend)) r.add(invalid(path, go(Array.isArray(sp.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
    if (isObj(sp.defaultBackend)) validateBackend(r, sp.defaultBackend, path.child('defaultBackend'));
    for (const [rule, i] of rules) {
      const rp = path.child('rules').index(i);
      const host = s(rule.host);
      if (host) {
        if (parseIP(host)) r.add(invalid(rp.child('host'), host, 'must be a DNS name, not an IP address'));
        const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
        for (const m of msgs) r.add(invalid(rp.child('host'), host, m));
      }
      const http = obj(rule.http);
      if (http) {
        if (arr(http.paths).length === 0) r.add(required(rp.child('http', 'paths')));
        for (const [p, j] of objs(http.paths)) validatePath(r, p, rp.child('http', 'paths').index(j));
      }
    }
    for (const [tls, i] of objs(sp.tls)) {
      strings(tls.hosts).forEach((host, j) => {
        const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
        for (const m of msgs) r.add(invalid(path.child('tls').index(i).child('hosts').index(j), host, m));
      });
      const secretName = s(tls.secretName);
      if (secretName) for (const m of nameIsDNSSubdomain(secretName, false)) r.add(invalid(path.child('tls').index(i).child('secretName'), secretName, m));
    }
    const className = str(sp.ingressClassName);
    if (className !== undefined) for (const m of nameIsDNSSubdomain(className, false)) r.add(invalid(path.child('ingressClassName'), className, m));
    const annotation = obj(obj(ing.metadata)?.annotations)?.['kubernetes.io/ingress.class'];
    if (typeof annotation === 'string' && className !== undefined && annotation !== className) {
      r.add({ ...invalid(FieldPath.root('annotations').child('kubernetes.io/ingress.class'), annotation, 'must match `ingressClassName` when both are specified'), at: FieldPath.root('metadata', 'annotations').key('kubernetes.io/ingress.class') });
    }
  });
}

export function validateIngressClass(r: Report, ic: Obj): void {
  const sp = obj(ic.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-networking', () => {
    const controller = s(sp.controller);
    if (controller.length > 250) r.add(tooLong(path.child('controller'), 250));
    if (!controller) r.add(required(path.child('controller')));
    else {
      const [host, rest] = [controller.slice(0, controller.indexOf('/')), controller.slice(controller.indexOf('/') + 1)];
      if (!controller.includes('/') || !host || !rest) r.add(invalid(path.child('controller'), controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
      else {
        for (const m of isDNS1123Subdomain(host)) r.add(invalid(path.child('controller'), host, m));
        if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) r.add(invalid(path.child('controller'), rest, "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"));
      }
    }
    const params = obj(sp.parameters);
    if (params) {
      const pp = path.child('parameters');
      validateTypedReference(r, params, pp);
      const scope = str(params.scope);
      if (scope === undefined) r.add(required(pp.child('scope')));
      else if (scope !== 'Cluster' && scope !== 'Namespace') r.add(notSupported(pp.child('scope'), scope, ['Cluster', 'Namespace']));
      else if (scope === 'Namespace') {
        const ns = str(params.namespace);
        if (ns === undefined) r.add(required(pp.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
        else for (const m of isDNS1123Label(ns)) r.add(invalid(pp.child('namespace'), ns, m));
      } else if (params.namespace !== undefined && params.namespace !== null) r.add(forbidden(pp.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
    }
  });
}

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validateIPBlock(r: Report, block: Obj, path: FieldPath): void {
  const cidr = s(block.cidr);
  if (!cidr) return r.add(required(path.child('cidr')));
  const parsed = parseCIDR(cidr);
  if (!parsed) return r.add(invalid(path.child('cidr'), cidr, CIDR_MESSAGE));
  strings(block.except).forEach((e, i) => {
    const ep = path.child('except').index(i);
    const ex = parseCIDR(e);
    if (!ex) return r.add(invalid(ep, e, CIDR_MESSAGE));
    if (!cidrContains(parsed, ex) || parsed.prefix >= ex.prefix) r.add(invalid(ep, e, 'must be a strict subset of `cidr`'));
  });
}

function validatePolicyPort(r: Report, port: Obj, path: FieldPath): void {
  const protocol = port.protocol;
  if (typeof protocol === 'string' && !['TCP', 'UDP', 'SCTP'].includes(protocol)) r.add(notSupported(path.child('protocol'), protocol, ['TCP', 'UDP', 'SCTP']));
  const p = port.port;
  const endPort = int(port.endPort);
  if (typeof p === 'number') {
    for (const m of isValidPortNum(p)) r.add(invalid(path.child('port'), p, m));
    if (endPort !== undefined) {
      if (endPort < p) r.add(invalid(path.child('endPort'), p, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(endPort)) r.add(invalid(path.child('endPort'), endPort, m));
    }
  } else if (typeof p === 'string') {
    if (endPort !== undefined) r.add(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(p)) r.add(invalid(path.child('port'), p, m));
  } else if (endPort !== undefined) r.add(invalid(path.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
}

function validatePeer(r: Report, peer: Obj, path: FieldPath): void {
  let count = 0;
  for (const f of ['podSelector', 'namespaceSelector']) {
    if (!isObj(peer[f])) continue;
    count++;
    validateLabelSelector(r, peer[f], path.child(f));
  }
  const block = obj(peer.ipBlock);
  if (block) {
    count++;
    validateIPBlock(r, block, path.child('ipBlock'));
  }
  if (count === 0) r.add(required(path, 'must specify a peer'));
  else if (count > 1 && block) r.add(forbidden(path, 'may not specify both ipBlock and another peer'));
}

export function validateNetworkPolicy(r: Report, np: Obj): void {
  const sp = obj(np.spec) ?? {};
  const path = FieldPath.root('spec');
  r.as('server-networking', () => {
    validateLabelSelector(r, sp.podSelector, path.child('podSelector'));
    for (const [field, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
      for (const [rule, i] of objs(sp[field])) {
        const rp = path.child(field).index(i);
        for (const [port, j] of objs(rule.ports)) validatePolicyPort(r, port, rp.child('ports').index(j));
        for (const [peer, j] of objs(rule[peers])) validatePeer(r, peer, rp.child(peers).index(j));
      }
    }
    const types = strings(sp.policyTypes);
    if (types.length > 2) return r.add(invalid(path.child('policyTypes'), go(`[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes'));
    types.forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') r.add(notSupported(path.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
    });
  });
}
