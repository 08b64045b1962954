/**
 * The pieces of the API server model (src/manifests/server) that the conformance corpus only
 * reaches through whole manifests: quantity parsing and the canonical form the server prints,
 * the CronJob parser's errors, names, IP and CIDR parsing, field paths and 422 causes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cronScheduleError } from '../../../src/manifests/server/cron';
import { statusCauses, type FieldError } from '../../../src/manifests/server/fieldErrors';
import { FieldPath } from '../../../src/manifests/server/fieldPath';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, isValidPortName } from '../../../src/manifests/server/names';
import { cidrContains, parseCIDR, parseIP } from '../../../src/manifests/server/net';
import { compareQuantities, formatQuantity, isWhole, parseQuantity } from '../../../src/manifests/server/quantity';
import { isKnownTimeZone } from '../../../src/manifests/server/timeZone';
import { validateObject } from '../../../src/manifests/server/validate';

const canonical = (s: string | number) => formatQuantity(parseQuantity(s)!);

test('quantities print in the canonical form of resource.Quantity.String()', () => {
  const cases: [string | number, string][] = [
    ['0.5', '500m'], [0.5, '500m'], ['1000', '1k'], ['1500m', '1500m'], ['100m', '100m'], ['-100m', '-100m'], ['0', '0'],
    ['1024Mi', '1Gi'], ['1536Mi', '1536Mi'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['2000Ki', '2000Ki'], ['512', '512'],
    ['1e3', '1e3'], ['129e6', '129e6'], ['1E3', '1e3'], ['2G', '2G'], ['1n', '1n'], ['0.1n', '1n'], ['+2', '2'],
  ];
  for (const [input, out] of cases) assert.equal(canonical(input), out, String(input));
});

test('quantities the decoder refuses do not parse; comparisons and wholeness are exact', () => {
  for (const bad of ['500mi', '1.2.3', 'Gi', '', '1 Gi', '1e', true]) assert.equal(parseQuantity(bad), undefined, String(bad));
  assert.equal(compareQuantities(parseQuantity('1')!, parseQuantity('1000m')!), 0);
  assert.equal(compareQuantities(parseQuantity('1Gi')!, parseQuantity('1G')!), 1);
  assert.equal(compareQuantities(parseQuantity('129M')!, parseQuantity('123Mi')!), 1);
  assert.equal(isWhole(parseQuantity('1500m')!), false);
  assert.equal(isWhole(parseQuantity('2000m')!), true);
});

test('CronJob schedules: robfig/cron\'s standard parser, its messages and its descriptors', () => {
  const tz = isKnownTimeZone;
  for (const ok of ['*/5 * * * *', '0 0 * * 0', '@hourly', '@every 1h30m', '0 9 * jan-mar mon-fri', '0-30/10 8-18/2 ? * 1,3,5', 'CRON_TZ=UTC 0 0 * * *']) assert.equal(cronScheduleError(ok, tz), undefined, ok);
  assert.equal(cronScheduleError('0 0 * * 7', tz), 'end of range (7) above maximum (6): 7');
  assert.equal(cronScheduleError('0 0 * * * *', tz), 'expected exactly 5 fields, found 6: [0 0 * * * *]');
  assert.equal(cronScheduleError('*/0 * * * *', tz), 'step of range should be a positive number: */0');
  assert.equal(cronScheduleError('@reboot', tz), 'unrecognized descriptor: @reboot');
  assert.equal(cronScheduleError('0 5-1 * * *', tz), 'beginning of range (5) beyond end of range (1): 5-1');
});

test('time zones are IANA names, case-sensitive', () => {
  assert.equal(isKnownTimeZone('Europe/Berlin'), true);
  assert.equal(isKnownTimeZone('Etc/GMT+5'), true);
  assert.equal(isKnownTimeZone('europe/berlin'), false);
  assert.equal(isKnownTimeZone('Mars/Olympus'), false);
});

test('names: the fast answers for valid values agree with the full checks', () => {
  assert.deepEqual(isDNS1123Label('web-1'), []);
  assert.deepEqual(isDNS1123Label('web.1'), ['must not contain dots']);
  assert.equal(isDNS1123Label('x'.repeat(64))[0], 'must be no more than 63 characters');
  assert.deepEqual(isQualifiedName('example.com/My.Name_1'), []);
  assert.deepEqual(isQualifiedName('app/').map((m) => m.slice(0, 30)), ['name part must be non-empty', 'name part must consist of alph']);
  assert.match(isQualifiedName('Example.com/app')[0], /^prefix part a lowercase RFC 1123 subdomain/);
  assert.equal(isQualifiedName(`${'k'.repeat(64)}`)[0], 'name part must be no more than 63 characters');
  assert.deepEqual(isValidLabelValue(''), []);
  assert.equal(isValidLabelValue('é').length, 1);
  assert.deepEqual(isValidPortName('h2c'), []);
  assert.deepEqual(isValidPortName('web--http'), ['must not contain consecutive hyphens']);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('-web'), ['must not begin or end with a hyphen']);
});

test('IPs and CIDRs as netutils reads them', () => {
  assert.ok(parseIP('10.0.0.1'));
  assert.ok(parseIP('2001:db8::1'));
  assert.equal(parseIP('10.0.0.300'), undefined);
  assert.equal(parseCIDR('10.0.0.0/33'), undefined);
  assert.ok(cidrContains(parseCIDR('10.0.0.0/8')!, parseCIDR('10.1.0.0/16')!));
  assert.ok(!cidrContains(parseCIDR('10.0.0.0/8')!, parseCIDR('192.168.0.0/24')!));
});

test('field paths print as the server prints them', () => {
  const p = FieldPath.root('spec').child('containers').index(0).child('env').index(2).child('name');
  assert.equal(p.toString(), 'spec.containers[0].env[2].name');
  assert.equal(FieldPath.root('data').key('app.conf').toString(), 'data[app.conf]');
  assert.deepEqual(FieldPath.root('a').child('b', 'c').segments(), [{ kind: 'child', name: 'a' }, { kind: 'child', name: 'b' }, { kind: 'child', name: 'c' }]);
});

test('422 causes: one per error, warnings left out, repeats dropped as ToAggregate drops them', () => {
  const errors = validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }, { port: 443 }] } }, { version: [1, 34] });
  assert.deepEqual(statusCauses(errors), [
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' },
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[1].name' },
  ]);
  const twice: FieldError[] = [...errors, ...errors, { ...errors[0], severity: 'warning', path: FieldPath.root('x') }];
  assert.equal(statusCauses(twice).length, 2);
});

test('validation defaults a copy the caller hands over, and leaves unknown kinds alone', () => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  assert.deepEqual(validateObject(job, { version: [1, 34] }), []);
  assert.equal((job.spec as Record<string, unknown>).completions, 1, 'defaulted in place');
  assert.deepEqual(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Not_Checked' } }, { version: [1, 34] }), []);
});
