/**
 * Create/update validation the way the API server reports it: 422 Invalid with `details.causes`,
 * one cause per field error and the message joining them. The checks are the extension's own
 * model of kube-apiserver's validation (src/manifests/server), run for the version this simulator
 * reports (the recorded /version), so the simulator refuses what a real server refuses. Kinds
 * that model does not cover only get their names checked.
 */
import type { KubeObject } from '../../src/kube/types';
import { statusCauses } from '../../src/manifests/server/fieldErrors';
import { validateObject, validatesKind } from '../../src/manifests/server/validate';
import type { KubeVersion } from '../../src/manifests/server/versions';
import { kubeApiJson } from '../fixtures/kubeApi';
import type { ResourceInfo } from './resources';
import { invalid, type StatusCause } from './status';

type Cause = Required<StatusCause>;

const recorded = kubeApiJson('200-version.json') as { major: string; minor: string };
const VERSION: KubeVersion = [Number(recorded.major), Number.parseInt(recorded.minor, 10)];

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names are free-form enough that the simulator does not check them. */
const unchecked = new Set(['Event', 'Lease']);

/** Kinds outside the validation model: their names must still be DNS-1123 subdomains. */
function nameCauses(info: ResourceInfo, name: string): Cause[] {
  if (unchecked.has(info.kind) || (dns1123Subdomain.test(name) && name.length <= 253)) return [];
  const what = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  return [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${what}`, field: 'metadata.name' }];
}

/**
 * A Service's addresses belong to the simulator's Service registry, which allocates them and
 * applies the rules about them (none for ExternalName Services) itself; left in, the addresses it
 * hands out would be judged as if the client had written them.
 */
function serviceAddressesOff(service: KubeObject): void {
  const spec = service.spec as Record<string, unknown> | undefined;
  if (spec?.type !== 'ExternalName') return;
  for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[field];
}

/** What the simulator checks of kinds outside the validation model, besides their names. */
function otherCauses(info: ResourceInfo, object: KubeObject): Cause[] {
  if (info.kind === 'RuntimeClass' && !(object as { handler?: string }).handler) return [{ reason: 'FieldValueRequired', message: 'Required value', field: 'handler' }];
  return [];
}

/** The causes a real server would refuse `object` with (errors only; what it merely warns about passes). */
export function validationCauses(info: ResourceInfo, object: KubeObject): Cause[] {
  if (!validatesKind(info.apiVersion, info.kind)) return [...nameCauses(info, object.metadata.name), ...otherCauses(info, object)];
  // validateObject applies the server's defaults in place; the stored object keeps the simulator's own.
  const copy = structuredClone(object);
  if (info.kind === 'Service') serviceAddressesOff(copy);
  return statusCauses(validateObject(copy, { version: VERSION }));
}

export function validate(info: ResourceInfo, object: KubeObject): void {
  const causes = validationCauses(info, object);
  if (causes.length > 0) throw invalid(info, object.metadata.name, causes);
}
