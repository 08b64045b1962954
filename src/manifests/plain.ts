/**
 * The engine's YAML tree as the JSON the API server decodes (what kubectl sends): maps to objects
 * (keys as strings, the last of duplicate keys winning), sequences to arrays, scalars as resolved.
 */
import type { YNode } from './tree';

export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const p of node.pairs) {
        const key = String(p.key.value);
        // A "__proto__" key is data, not the object's prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: toPlain(p.value), enumerable: true, writable: true, configurable: true });
        else out[key] = toPlain(p.value);
      }
      return out;
    }
  }
}
