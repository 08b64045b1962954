/*
 * Network namespace emulation for a process pod, loaded with `node --require` before the pod's
 * program. Every pod shares the machine's loopback, so:
 * - a listen on port P (any host) binds 127.0.0.1 on an ephemeral port instead and is reported to
 *   the runtime as {containerPort P -> real port, host asked for} on the report pipe;
 * - a dial to a Service name (`svc`, `svc.ns.svc`, `svc.ns.svc.cluster.local`) or to a loopback
 *   port of the pod goes through the runtime's dial proxy, which picks the real endpoint.
 * The message shapes are typed in netnsProtocol.ts.
 */
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload */
'use strict';
const net = require('node:net');
const tls = require('node:tls');
const fs = require('node:fs');

const env = {
  reportFd: 'TETHER_SIM_NETNS_FD',
  dialSocket: 'TETHER_SIM_DIAL_SOCKET',
  namespace: 'TETHER_SIM_POD_NAMESPACE',
  pod: 'TETHER_SIM_POD_NAME',
  passthrough: 'TETHER_SIM_PASSTHROUGH',
};
const reportFd = Number(process.env[env.reportFd]);
const dialSocket = process.env[env.dialSocket];
const podNamespace = process.env[env.namespace];
const podName = process.env[env.pod];
/** host:port dials that leave the pod untouched (the API server). */
const passthrough = new Set((process.env[env.passthrough] || '').split(',').filter(Boolean));
for (const name of Object.values(env)) delete process.env[name];

function report(message) {
  const line = JSON.stringify(message) + '\n';
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      fs.writeSync(reportFd, line);
      return;
    } catch (err) {
      if (err.code !== 'EAGAIN') return;
    }
  }
}

/** containerPort -> real port, for servers of this process. */
const ownPorts = new Map();
const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', '::', '']);
const serviceFqdn = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.[a-z0-9]([-a-z0-9]*[a-z0-9])?\.svc(\.cluster\.local)?$/;
const bareName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

/* ---------------------------------------------------------------- listen */

function parseListen(args) {
  const first = args[0];
  const callback = args.findLast((a) => typeof a === 'function');
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    if (first.path != null || first._handle || first.handle || first.fd !== undefined || !isPort(first.port)) return undefined;
    const port = Number(first.port);
    return port > 0 ? { port, host: first.host ?? '', options: first, callback } : undefined;
  }
  if (!isPort(first) || Number(first) <= 0) return undefined;
  const options = {};
  const host = typeof args[1] === 'string' ? args[1] : '';
  const backlog = args.slice(1).find((a) => typeof a === 'number');
  if (backlog !== undefined) options.backlog = backlog;
  return { port: Number(first), host, options, callback };
}

const originalListen = net.Server.prototype.listen;
const originalAddress = net.Server.prototype.address;

net.Server.prototype.listen = function listen(...args) {
  const parsed = parseListen(args);
  if (!parsed) return originalListen.apply(this, args);
  const { port, host, options, callback } = parsed;
  if (ownPorts.has(port)) {
    if (callback) this.once('listening', callback);
    const error = Object.assign(new Error(`listen EADDRINUSE: address already in use ${host || '::'}:${port}`), {
      code: 'EADDRINUSE', errno: -98, syscall: 'listen', address: host || '::', port,
    });
    process.nextTick(() => this.emit('error', error));
    return this;
  }
  this.once('listening', () => {
    const real = originalAddress.call(this).port;
    ownPorts.set(port, real);
    report({ type: 'listen', containerPort: port, port: real, host });
    this.once('close', () => {
      ownPorts.delete(port);
      report({ type: 'unlisten', containerPort: port });
    });
  });
  this.address = function address() {
    const value = originalAddress.call(this);
    return value && typeof value === 'object' ? { ...value, port } : value;
  };
  const rewritten = { ...options, port: 0, host: '127.0.0.1' };
  delete rewritten.ipv6Only;
  return callback ? originalListen.call(this, rewritten, callback) : originalListen.call(this, rewritten);
};

/* ---------------------------------------------------------------- dial */

/** Where a dial to host:port goes: { port } on loopback, 'proxy', or undefined to leave it alone. */
function route(host, port) {
  const name = String(host).toLowerCase().replace(/\.$/, '');
  if (passthrough.has(`${name}:${port}`)) return undefined;
  if (loopbackHosts.has(name)) return ownPorts.has(port) ? { port: ownPorts.get(port) } : 'proxy';
  if (serviceFqdn.test(name) || bareName.test(name)) return 'proxy';
  return undefined;
}

function parseConnect(args) {
  const list = Array.isArray(args[0]) ? args[0] : args;
  const first = list[0];
  const callback = list.find((a) => typeof a === 'function');
  if (first !== null && typeof first === 'object') {
    if (first.path != null || !isPort(first.port)) return undefined;
    return { options: first, host: first.host ?? 'localhost', port: Number(first.port), callback };
  }
  if (!isPort(first)) return undefined;
  const host = typeof list[1] === 'string' ? list[1] : 'localhost';
  return { options: { port: Number(first), host }, host, port: Number(first), callback };
}

const originalConnect = net.Socket.prototype.connect;

function connectThroughProxy(socket, host, port, callback) {
  const result = callback ? originalConnect.call(socket, { path: dialSocket }, callback) : originalConnect.call(socket, { path: dialSocket });
  net.Socket.prototype.write.call(socket, JSON.stringify({ namespace: podNamespace, pod: podName, host, port }) + '\n');
  return result;
}

net.Socket.prototype.connect = function connect(...args) {
  const parsed = parseConnect(args);
  const target = parsed && !(this instanceof tls.TLSSocket) ? route(parsed.host, parsed.port) : undefined;
  if (!target) return originalConnect.apply(this, args);
  if (target === 'proxy') return connectThroughProxy(this, parsed.host, parsed.port, parsed.callback);
  const options = { ...parsed.options, host: '127.0.0.1', port: target.port };
  delete options.lookup;
  return parsed.callback ? originalConnect.call(this, options, parsed.callback) : originalConnect.call(this, options);
};

const originalTlsConnect = tls.connect;

/** TLS to a Service: open the plain connection through the proxy, then run TLS over it. */
tls.connect = function connect(...args) {
  let options;
  const callback = args.find((a) => typeof a === 'function');
  if (args[0] !== null && typeof args[0] === 'object') options = { ...args[0] };
  else if (isPort(args[0])) {
    const extra = args.find((a, i) => i > 0 && a !== null && typeof a === 'object') ?? {};
    options = { ...extra, port: Number(args[0]), host: typeof args[1] === 'string' ? args[1] : extra.host };
  }
  if (!options || options.socket || options.path != null) return originalTlsConnect.apply(this, args);
  const host = options.host ?? 'localhost';
  if (!route(host, Number(options.port))) return originalTlsConnect.apply(this, args);
  options.socket = net.connect({ host, port: Number(options.port) });
  if (options.servername === undefined && !net.isIP(host)) options.servername = host;
  return callback ? originalTlsConnect.call(this, options, callback) : originalTlsConnect.call(this, options);
};
