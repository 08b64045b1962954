import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplainedError, explainedText, remedyText } from '../../../src/kube/errors';
import { neutralStepWords } from '../../../src/kube/nextStep';
import { kubeApiText } from '../../fixtures/kubeApi';
import { explainCredentialError, explainResponse, explainTransportError, forbiddenCheck, type ExplainContext } from '../../../src/kube/explain';

const sample = (name: string) => kubeApiText(name);
const ctx: ExplainContext = { what: 'List pods in namespace "samples"', server: 'https://10.0.0.1:6443', context: 'dev' };

test('recorded Status bodies map to reasons with their message', () => {
  const table: [file: string, code: number, reason: string, why: RegExp][] = [
    ['404-get-missing-pod.json', 404, 'NotFound', /pods "nope" not found/],
    ['409-already-exists.json', 409, 'AlreadyExists', /configmaps "cm1" already exists/],
    ['409-conflict-stale-rv.json', 409, 'Conflict', /the object has been modified/],
    ['422-invalid-deployment.json', 422, 'Invalid', /selector. does not match template .labels/],
    ['400-strict-unknown-field.json', 400, 'Invalid', /unknown field "dta"/],
    ['403-forbidden-list-pods.json', 403, 'Forbidden', /user "jane" may not list pods in namespace "samples"/],
  ];
  for (const [file, code, reason, why] of table) {
    const err = explainResponse(ctx, code, sample(file));
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, reason, file);
    assert.equal(err.status, code, file);
    assert.match(err.why, why, file);
    assert.equal(err.what, ctx.what);
    assert.ok(err.remedy.length > 10, `${file} has a remedy`);
  }
});

test('422 includes field causes', () => {
  const err = explainResponse(ctx, 422, sample('422-invalid-deployment.json'));
  assert.match(err.message, /spec\.template\.metadata\.labels/);
});

test('410 from a watch ERROR event is Gone', () => {
  const line = sample('watch-too-old-rv-410.jsonl').trim();
  const event = JSON.parse(line) as { object: unknown };
  const err = explainResponse(ctx, 410, event.object);
  assert.equal(err.reason, 'Gone');
  assert.match(err.why, /too old resource version/);
});

test('403 names verb, resource, namespace and the Role rule that grants it', () => {
  const err = explainResponse(ctx, 403, sample('403-forbidden-list-pods.json'));
  assert.match(err.remedy, /Role "tether-explorer-samples" in namespace "samples"/);
  assert.match(err.remedy, /apiGroups: \[""\], resources: \["pods"\], verbs: \["list"\]/);
  assert.match(err.remedy, /kubectl create role tether-explorer-samples -n samples --verb=list --resource=pods/);
  assert.equal(err.access?.feature, 'explorer');
  assert.deepEqual(err.access?.missing, [{ verb: 'list', resource: 'pods', namespace: 'samples' }]);
});

test('403 parsing: subresources, groups, names, cluster scope', () => {
  assert.deepEqual(
    forbiddenCheck('pods "web-1" is forbidden: User "jane" cannot create resource "pods/portforward" in API group "" in the namespace "shop"'),
    { verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'shop', name: 'web-1' },
  );
  assert.deepEqual(
    forbiddenCheck('deployments.apps is forbidden: User "jane" cannot watch resource "deployments" in API group "apps" in the namespace "x"'),
    { verb: 'watch', resource: 'deployments', group: 'apps', namespace: 'x' },
  );
  assert.deepEqual(forbiddenCheck('nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope'), {
    verb: 'list',
    resource: 'nodes',
  });
  const clusterScoped = explainResponse(ctx, 403, {
    kind: 'Status',
    message: 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope',
    code: 403,
  });
  assert.match(clusterScoped.remedy, /ClusterRole/);
  // The API server puts a namespace's own name as its namespace: still a cluster-scoped kind, never a Role.
  const namespace = explainResponse({ ...ctx, what: 'Get Namespace "smoke"' }, 403, {
    kind: 'Status',
    message: 'namespaces "smoke" is forbidden: User "system:serviceaccount:smoke:dev" cannot get resource "namespaces" in API group "" in the namespace "smoke"',
    code: 403,
  });
  assert.deepEqual(namespace.access?.roles.map((r) => [r.kind, r.name, r.namespace]), [['ClusterRole', 'tether-sandbox-smoke', undefined]]);
  assert.deepEqual(namespace.access?.roles[0].rules, [{ apiGroups: [''], resources: ['namespaces'], resourceNames: ['smoke'], verbs: ['get'] }]);
  assert.match(namespace.remedy, /ClusterRole "tether-sandbox-smoke"/);
  assert.doesNotMatch(namespace.remedy, /kubectl create role /);
  const opaque = explainResponse(ctx, 403, 'forbidden');
  assert.equal(opaque.reason, 'Forbidden');
  assert.match(opaque.remedy, /auth can-i/);
});

test("the API server's escalation refusal names each rule not held, for the Role's namespace, with the Role that grants it and who was refused", () => {
  const err = explainResponse({ ...ctx, what: 'Apply Role "root-main-tether-relay"', namespace: 'smoke' }, 403, sample('403-role-escalation.json'));
  assert.equal(err.reason, 'Forbidden');
  assert.match(err.why, /user "system:serviceaccount:smoke:rec-dev" may grant only permissions they hold, and does not hold: list jobs\.batch in namespace "smoke"/);
  assert.deepEqual(err.access?.missing, [{ verb: 'list', group: 'batch', resource: 'jobs', namespace: 'smoke' }]);
  assert.deepEqual(err.access?.roles.map((r) => [r.kind, r.name, r.namespace]), [['Role', 'tether-sandbox-smoke', 'smoke']]);
  assert.equal(err.access?.user, 'system:serviceaccount:smoke:rec-dev');
});

test('401: expired credentials vs rejected ones', () => {
  const past = new Date('2020-01-01T00:00:00Z');
  const expired = explainResponse({ ...ctx, credentials: { credential: 'client certificate', expiresAt: past } }, 401, '{"kind":"Status","code":401,"message":"Unauthorized"}');
  assert.equal(expired.reason, 'CredentialsExpired');
  assert.match(expired.why, /client certificate expired at 2020-01-01/);
  const future = new Date(Date.now() + 3600_000);
  const rejected = explainResponse({ ...ctx, credentials: { credential: 'bearer token', expiresAt: future } }, 401, 'Unauthorized');
  assert.equal(rejected.reason, 'Unauthorized');
  assert.match(rejected.why, /did not accept your credentials/);
  const withExec = explainResponse({ ...ctx, exec: { command: 'gke-gcloud-auth-plugin' } }, 401, '');
  assert.match(withExec.remedy, /gke-gcloud-auth-plugin/);
});

test('429 and 5xx, including bodies that are not Status', () => {
  const throttled = explainResponse(ctx, 429, { kind: 'Status', message: 'Too many requests', details: { retryAfterSeconds: 3 }, code: 429 });
  assert.equal(throttled.reason, 'TooManyRequests');
  assert.match(throttled.remedy, /in 3 s/);
  assert.match(explainResponse(ctx, 429, '', '7').remedy, /in 7 s/);
  const server = explainResponse(ctx, 503, '<html>Service Unavailable</html>');
  assert.equal(server.reason, 'ServerError');
  assert.match(server.why, /HTTP 503 \(<html>Service Unavailable<\/html>\)/);
  assert.equal(explainResponse(ctx, 504, '').reason, 'Timeout');
  assert.equal(explainResponse(ctx, 418, '').reason, 'Unknown');
});

test('transport errors: unreachable, TLS, expired certificates, cancellation', () => {
  const errno = (code: string, message = code) => Object.assign(new Error(message), { code });
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']) {
    const err = explainTransportError(ctx, errno(code));
    assert.equal(err.reason, 'Unreachable', code);
    assert.match(err.why, /the cluster at https:\/\/10\.0\.0\.1:6443 did not answer/);
    assert.match(err.remedy, /VPN/);
    assert.match(err.remedy, /kubectl cluster-info/);
  }
  assert.equal(explainTransportError(ctx, errno('DEPTH_ZERO_SELF_SIGNED_CERT')).reason, 'TlsError');
  assert.equal(explainTransportError(ctx, errno('SELF_SIGNED_CERT_IN_CHAIN')).reason, 'TlsError');
  const altname = explainTransportError(ctx, errno('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"));
  assert.equal(altname.reason, 'TlsError');
  assert.match(altname.remedy, /tls-server-name/);
  assert.equal(explainTransportError(ctx, errno('CERT_HAS_EXPIRED')).reason, 'CredentialsExpired');
  assert.equal(explainTransportError(ctx, errno('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED')).reason, 'CredentialsExpired');
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.equal(explainTransportError(ctx, abort).reason, 'Cancelled');
  assert.equal(explainTransportError(ctx, errno('ERR_REQUEST_TIMEOUT')).reason, 'Timeout');
  assert.equal(explainTransportError(ctx, new Error('weird')).reason, 'Unknown');
});

test('exec plugins: missing names the command and the install hint; failures carry redacted stderr', () => {
  const exec = { command: 'aws-iam-authenticator', installHint: 'brew install aws-iam-authenticator' };
  const missing = explainCredentialError({ ...ctx, exec }, Object.assign(new Error('spawn aws-iam-authenticator ENOENT'), { code: 'ENOENT' }));
  assert.equal(missing.reason, 'ExecPluginMissing');
  assert.match(missing.why, /`aws-iam-authenticator`/);
  assert.match(missing.remedy, /brew install aws-iam-authenticator/);
  assert.deepEqual(missing.step, { code: 'installOnPath', command: 'aws-iam-authenticator' });
  const failed = explainCredentialError({ ...ctx, exec }, new Error('error: token expired, refresh with token: abc123secret'));
  assert.equal(failed.reason, 'ExecPluginFailed');
  assert.match(failed.why, /token expired/);
  assert.doesNotMatch(failed.message, /abc123secret/);
  assert.equal(explainCredentialError(ctx, new Error('oidc refresh failed')).reason, 'Unauthorized');
});

test('secrets in server messages never reach the explanation', () => {
  const err = explainResponse(ctx, 500, { kind: 'Status', message: 'proxy said Authorization: Bearer abc.def.ghi', code: 500 });
  assert.doesNotMatch(err.message, /abc\.def/);
});

test('a next step is worded by each front door; the message carries the neutral wording', () => {
  const err = new ExplainedError({ reason: 'Unreachable', what: 'Preview http://127.0.0.1:1/', why: 'nothing answers', remedy: 'Start api on this computer', step: { code: 'preview' } });
  assert.equal(err.message, 'Preview http://127.0.0.1:1/ failed: nothing answers. Start api on this computer; bring the preview up again');
  assert.equal(explainedText(err, () => 'run `tether preview` again'), 'Preview http://127.0.0.1:1/ failed: nothing answers. Start api on this computer; run `tether preview` again');
  const only = new ExplainedError({ reason: 'Invalid', what: 'Read tether.yaml', why: 'it has 1 error', remedy: '', step: { code: 'fixSpec', file: 'tether.yaml' } });
  assert.equal(remedyText(only, neutralStepWords), 'Fix the errors listed for tether.yaml; nothing was created');
  assert.deepEqual(only.toExplanation(), { reason: 'Invalid', what: 'Read tether.yaml', why: 'it has 1 error', remedy: '', step: { code: 'fixSpec', file: 'tether.yaml' } });
});
