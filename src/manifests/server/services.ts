/**
 * Services (core/validation: ValidateService, validateServicePort, the traffic policy fields and
 * ValidateServiceClusterIPsRelatedFields), plus the NodePort range the default allocator enforces.
 */
import { duplicate, forbidden, go, goStrings, invalid, notSupported, required, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './names';
import { isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseCIDR, parseIP } from './net';
import { validatePortNumOrName } from './probes';
import { validateLabels } from './meta';
import { arr, int, obj, objs, s, str, strings, type Obj } from './read';
import type { ServerFeatures } from './versions';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const NODE_PORT_RANGE: [number, number] = [30000, 32767];
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const spec = FieldPath.root('spec');

function isHeadless(sp: Obj): boolean {
  const ips = strings(sp.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

function validatePorts(r: Report, sp: Obj): void {
  const ports = objs(sp.ports);
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  const keys = new Set<string>();
  for (const [port, i] of ports) {
    const p = spec.child('ports').index(i);
    const name = s(port.name);
    if (ports.length > 1 && !name) r.add(required(p.child('name')));
    else if (name) {
      for (const m of isDNS1123Label(name)) r.add(invalid(p.child('name'), name, m));
      if (names.has(name)) r.add(duplicate(p.child('name'), name));
      else names.add(name);
    }
    const num = int(port.port) ?? 0;
    for (const m of isValidPortNum(num)) r.add(invalid(p.child('port'), num, m));
    const protocol = s(port.protocol);
    if (!protocol) r.add(required(p.child('protocol')));
    else if (!PROTOCOLS.includes(protocol)) r.add(notSupported(p.child('protocol'), protocol, PROTOCOLS));
    validatePortNumOrName(r, port.targetPort, p.child('targetPort'));
    const appProtocol = str(port.appProtocol);
    if (appProtocol !== undefined) for (const m of isQualifiedName(appProtocol)) r.add(invalid(p.child('appProtocol'), appProtocol, m));
    const nodePort = int(port.nodePort) ?? 0;
    if (nodePort !== 0) {
      if (sp.type === 'ClusterIP') r.add(forbidden(p.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
      const key = `${protocol}/${nodePort}`;
      if (nodePorts.has(key)) r.add(duplicate(p.child('nodePort'), nodePort));
      nodePorts.add(key);
      if ((sp.type === 'NodePort' || sp.type === 'LoadBalancer') && (nodePort < NODE_PORT_RANGE[0] || nodePort > NODE_PORT_RANGE[1])) {
        r.add(invalid(p.child('nodePort'), nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`));
      }
    }
    const key = `${protocol}/${num}`;
    if (keys.has(key)) r.add(duplicate(p, go(`core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${num}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)));
    keys.add(key);
  }
}

function validateClusterIPs(r: Report, sp: Obj): void {
  if (sp.type === 'ExternalName') return;
  const clusterIP = s(sp.clusterIP);
  const clusterIPs = strings(sp.clusterIPs);
  const ipsPath = spec.child('clusterIPs');
  if (clusterIP) {
    if (clusterIPs.length === 0) r.add(required(ipsPath));
    else if (clusterIPs[0] !== clusterIP) r.add(invalid(ipsPath, goStrings(clusterIPs), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length) r.add(invalid(ipsPath, goStrings(clusterIPs), 'must be empty when `clusterIP` is not specified'));
  const families = strings(sp.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') r.add(notSupported(spec.child('ipFamilies').index(i), f, ['IPv4', 'IPv6']));
    if (seen.has(f)) r.add(duplicate(spec.child('ipFamilies').index(i), f));
    seen.add(f);
  });
  const policy = sp.ipFamilyPolicy;
  if (typeof policy === 'string' && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(policy)) r.add(notSupported(spec.child('ipFamilyPolicy'), policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  let bad = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        bad = true;
        r.add(invalid(ipsPath, goStrings(clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!parseIP(ip)) {
      bad = true;
      r.add(invalid(ipsPath.index(i), ip, IP_MESSAGE));
    }
  });
  if (clusterIPs.length > 2) r.add(invalid(ipsPath, goStrings(clusterIPs), 'may only hold up to 2 values'));
  if (bad) return;
  if (clusterIPs.length > 1) {
    const v4 = clusterIPs.map((ip) => parseIP(ip)?.v4);
    if (clusterIPs.length !== 2 || v4[0] === v4[1]) r.add(invalid(ipsPath, goStrings(clusterIPs), 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(sp)) {
    clusterIPs.forEach((ip, i) => {
      const family = families[i];
      const parsed = parseIP(ip);
      if (!family || !parsed) return;
      if (family === 'IPv4' && !parsed.v4) r.add(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === 'IPv6' && parsed.v4) r.add(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
}

function validateTrafficPolicies(r: Report, sp: Obj, features: ServerFeatures): void {
  const type = s(sp.type);
  const external = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && arr(sp.externalIPs).length > 0);
  const etp = s(sp.externalTrafficPolicy);
  if (!external) {
    if (etp) r.add(invalid(spec.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (!etp) r.add(required(spec.child('externalTrafficPolicy')));
  else if (etp !== 'Cluster' && etp !== 'Local') r.add(notSupported(spec.child('externalTrafficPolicy'), etp, ['Cluster', 'Local']));
  const health = int(sp.healthCheckNodePort) ?? 0;
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  if (!needsHealthCheck && health !== 0) r.add(invalid(spec.child('healthCheckNodePort'), health, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  else if (needsHealthCheck && health !== 0) for (const m of isValidPortNum(health)) r.add(invalid(spec.child('healthCheckNodePort'), health, m));
  const itp = sp.internalTrafficPolicy;
  if (typeof itp === 'string' && itp !== 'Cluster' && itp !== 'Local') r.add(notSupported(spec.child('internalTrafficPolicy'), itp, ['Cluster', 'Local']));
  const td = sp.trafficDistribution;
  if (typeof td === 'string' && features.trafficDistribution) {
    const supported = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];
    if (!supported.includes(td)) r.add(notSupported(spec.child('trafficDistribution'), td, ['PreferClose']));
  }
}

export function validateService(r: Report, svc: Obj, features: ServerFeatures): void {
  const sp = obj(svc.spec) ?? {};
  const type = s(sp.type);
  r.as('server-services', () => {
    if (arr(sp.ports).length === 0 && !isHeadless(sp) && type !== 'ExternalName') r.add(required(spec.child('ports')));
    if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(sp)) r.add(invalid(spec.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${type} services`));
    if (type === 'ExternalName') {
      if (arr(sp.clusterIPs).length > 0) r.add(forbidden(spec.child('clusterIPs'), 'may not be set for ExternalName services'));
      if (arr(sp.ipFamilies).length > 0) r.add(forbidden(spec.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (sp.ipFamilyPolicy !== undefined && sp.ipFamilyPolicy !== null) r.add(forbidden(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      const cname = s(sp.externalName).replace(/\.$/, '');
      if (cname) for (const m of isDNS1123Subdomain(cname)) r.add(invalid(spec.child('externalName'), cname, m));
      else r.add(required(spec.child('externalName')));
    }
    validatePorts(r, sp);
    if (sp.selector !== undefined && sp.selector !== null) r.as('server-metadata', () => validateLabels(r, sp.selector, spec.child('selector')));
    const affinity = s(sp.sessionAffinity);
    if (!affinity) r.add(required(spec.child('sessionAffinity')));
    else if (affinity !== 'ClientIP' && affinity !== 'None') r.add(notSupported(spec.child('sessionAffinity'), affinity, ['ClientIP', 'None']));
    if (affinity === 'ClientIP') {
      const timeout = int(obj(obj(sp.sessionAffinityConfig)?.clientIP)?.timeoutSeconds);
      if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) r.add(invalid(spec.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'), timeout, 'must be greater than 0 and less than 86400'));
    } else if (affinity === 'None' && obj(sp.sessionAffinityConfig)) r.add(forbidden(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
    validateClusterIPs(r, sp);
    strings(sp.externalIPs).forEach((ip, i) => {
      const p = spec.child('externalIPs').index(i);
      const parsed = parseIP(ip);
      if (!parsed) return r.add(invalid(p, ip, IP_MESSAGE));
      if (isUnspecified(parsed)) r.add(invalid(p, ip, `may not be unspecified (${ip})`));
      if (isLoopback(parsed)) r.add(invalid(p, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
      if (isLinkLocalUnicast(parsed)) r.add(invalid(p, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
      if (isLinkLocalMulticast(parsed)) r.add(invalid(p, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
    });
    if (!type) r.add(required(spec.child('type')));
    else if (!TYPES.includes(type)) r.add(notSupported(spec.child('type'), type, TYPES));
    const ranges = strings(sp.loadBalancerSourceRanges);
    if (ranges.length) {
      // The server names this field with a capital L (a historical quirk); the manifest has it lower-case.
      const p = spec.child('LoadBalancerSourceRanges');
      const at = spec.child('loadBalancerSourceRanges');
      if (type !== 'LoadBalancer') r.add({ ...forbidden(p, "may only be used when `type` is 'LoadBalancer'"), at });
      ranges.forEach((v, i) => {
        if (!parseCIDR(v.trim())) r.add({ ...invalid(p.index(i), v.trim(), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'), at: at.index(i) });
      });
    }
    if (sp.allocateLoadBalancerNodePorts !== undefined && sp.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') r.add(forbidden(spec.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
    const lbClass = str(sp.loadBalancerClass);
    if (lbClass !== undefined) {
      if (type === 'LoadBalancer') for (const m of isQualifiedName(lbClass)) r.add(invalid(spec.child('loadBalancerClass'), lbClass, m));
      else r.add(forbidden(spec.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
    }
    validateTrafficPolicies(r, sp, features);
  });
}
