/*
 * Volume paths for a process pod, loaded with `node --require` before the pod's program: fs calls
 * on a path under a container mount path (a ConfigMap volume at /opt/app, the service account at
 * /var/run/secrets/kubernetes.io/serviceaccount, ...) go to the folder the runtime materialised it
 * in. Paths inside the pod's host folder and everything else are left alone. The settings' shape is
 * typed in preloadProtocol.ts.
 */
/* global require, process, URL */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { syncBuiltinESMExports } = require('node:module');
const { fileURLToPath } = require('node:url');

const settingName = 'TETHER_SIM_MOUNTS';
const settings = JSON.parse(process.env[settingName] || '{"root":"","mounts":[]}');
delete process.env[settingName];
const hostRoot = settings.root;
const mounts = settings.mounts;

function under(p, dir) {
  return p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
}

function mapPath(p) {
  let text;
  if (typeof p === 'string') text = p;
  else if (p instanceof URL && p.protocol === 'file:') text = fileURLToPath(p);
  else return p;
  if (!path.isAbsolute(text)) return p;
  const normal = path.posix.normalize(text);
  if (hostRoot && under(normal, hostRoot)) return p;
  for (const [containerPath, hostPath] of mounts) {
    if (under(normal, containerPath)) return path.join(hostPath, normal.slice(containerPath.length));
  }
  return p;
}

function wrap(target, name, pathArgs) {
  const original = target[name];
  if (typeof original !== 'function') return;
  const wrapper = function (...args) {
    for (let i = 0; i < pathArgs; i++) args[i] = mapPath(args[i]);
    return original.apply(this, args);
  };
  for (const key of Reflect.ownKeys(original)) {
    if (key === 'prototype' || key === 'length' || key === 'name') continue;
    Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key));
  }
  if (typeof original.native === 'function') wrapper.native = (p, ...rest) => original.native(mapPath(p), ...rest);
  target[name] = wrapper;
}

const onePath = [
  'access', 'appendFile', 'chmod', 'chown', 'createReadStream', 'createWriteStream', 'exists', 'lchown', 'lstat',
  'lutimes', 'mkdir', 'open', 'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'rm', 'rmdir', 'stat',
  'statfs', 'truncate', 'unlink', 'utimes', 'watch', 'watchFile', 'unwatchFile', 'writeFile',
];
const twoPaths = ['copyFile', 'cp', 'link', 'rename', 'symlink'];

if (mounts.length > 0) {
  for (const name of onePath) {
    wrap(fs, name, 1);
    wrap(fs, `${name}Sync`, 1);
    wrap(fs.promises, name, 1);
  }
  for (const name of twoPaths) {
    wrap(fs, name, 2);
    wrap(fs, `${name}Sync`, 2);
    wrap(fs.promises, name, 2);
  }
  syncBuiltinESMExports();
}
