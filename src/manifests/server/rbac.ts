/**
 * Roles, ClusterRoles and their bindings (rbac/validation).
 */
import { goStrings, invalid, notSupported, required, type Report } from './fieldErrors';
import { FieldPath } from './fieldPath';
import { validateLabelSelector } from './meta';
import { isValidPathSegmentName, nameIsDNSSubdomain } from './names';
import { arr, obj, objs, s, strings, type Obj } from './read';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRule(r: Report, rule: Obj, namespaced: boolean, path: FieldPath): void {
  if (arr(rule.verbs).length === 0) r.add(required(path.child('verbs'), 'verbs must contain at least one value'));
  const urls = strings(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) r.add(invalid(path.child('nonResourceURLs'), goStrings(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (arr(rule.apiGroups).length || arr(rule.resources).length || arr(rule.resourceNames).length) {
      r.add(invalid(path.child('nonResourceURLs'), goStrings(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return;
  }
  if (arr(rule.apiGroups).length === 0) r.add(required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (arr(rule.resources).length === 0) r.add(required(path.child('resources'), 'resource rules must supply at least one resource'));
}

export function validateRole(r: Report, role: Obj, namespaced: boolean): void {
  r.as('server-rbac', () => {
    for (const [rule, i] of objs(role.rules)) validateRule(r, rule, namespaced, FieldPath.root('rules').index(i));
    const aggregation = obj(role.aggregationRule);
    if (!namespaced && aggregation) {
      const p = FieldPath.root('aggregationRule', 'clusterRoleSelectors');
      if (arr(aggregation.clusterRoleSelectors).length === 0) r.add(required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
      for (const [selector, i] of objs(aggregation.clusterRoleSelectors)) validateLabelSelector(r, selector, p.index(i));
    }
  });
}

export function validateBinding(r: Report, binding: Obj, namespaced: boolean): void {
  r.as('server-rbac', () => {
    const ref = obj(binding.roleRef) ?? {};
    if (s(ref.apiGroup) !== RBAC_GROUP) r.add(notSupported(FieldPath.root('roleRef', 'apiGroup'), s(ref.apiGroup), [RBAC_GROUP]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (!kinds.includes(s(ref.kind))) r.add(notSupported(FieldPath.root('roleRef', 'kind'), s(ref.kind), kinds));
    const name = s(ref.name);
    if (!name) r.add(required(FieldPath.root('roleRef', 'name')));
    else for (const m of isValidPathSegmentName(name)) r.add(invalid(FieldPath.root('roleRef', 'name'), name, m));
    for (const [subject, i] of objs(binding.subjects)) {
      const p = FieldPath.root('subjects').index(i);
      const subjectName = s(subject.name);
      if (!subjectName) r.add(required(p.child('name')));
      switch (subject.kind) {
        case 'ServiceAccount':
          if (subjectName) for (const m of nameIsDNSSubdomain(subjectName, false)) r.add(invalid(p.child('name'), subjectName, m));
          if (s(subject.apiGroup)) r.add(notSupported(p.child('apiGroup'), s(subject.apiGroup), ['']));
          if (!namespaced && !s(subject.namespace)) r.add(required(p.child('namespace')));
          break;
        case 'User':
        case 'Group':
          if (s(subject.apiGroup) !== RBAC_GROUP) r.add(notSupported(p.child('apiGroup'), s(subject.apiGroup), [RBAC_GROUP]));
          break;
        default:
          r.add(notSupported(p.child('kind'), s(subject.kind), ['ServiceAccount', 'User', 'Group']));
      }
    }
  });
}
