/**
 * Field paths as the API server writes them in validation errors (apimachinery's field.Path):
 * `spec.template.spec.containers[0].ports[1].name`, map keys as `metadata.labels[app]`.
 * Immutable and cheap to extend (one small object per step: checks build many paths that never
 * make it into an error); `segments` gives the structured form the editor maps back to YAML.
 */
export type PathSegment = { kind: 'child'; name: string } | { kind: 'index'; index: number } | { kind: 'key'; key: string };

type Kind = 'child' | 'index' | 'key';

export class FieldPath {
  private constructor(
    private readonly parent: FieldPath | undefined,
    private readonly kind: Kind | undefined,
    private readonly value: string | number,
  ) {}

  static root(...names: string[]): FieldPath {
    let p = new FieldPath(undefined, undefined, '');
    for (const n of names) p = new FieldPath(p, 'child', n);
    return p;
  }

  child(name: string, ...more: string[]): FieldPath {
    let p = new FieldPath(this, 'child', name);
    for (const n of more) p = new FieldPath(p, 'child', n);
    return p;
  }

  index(index: number): FieldPath {
    return new FieldPath(this, 'index', index);
  }

  key(key: string): FieldPath {
    return new FieldPath(this, 'key', key);
  }

  /** Root first. */
  segments(): PathSegment[] {
    const out: PathSegment[] = this.parent ? this.parent.segments() : [];
    if (this.kind === 'child') out.push({ kind: 'child', name: this.value as string });
    else if (this.kind === 'index') out.push({ kind: 'index', index: this.value as number });
    else if (this.kind === 'key') out.push({ kind: 'key', key: this.value as string });
    return out;
  }

  toString(): string {
    let s = '';
    for (const seg of this.segments()) {
      if (seg.kind === 'child') s += s ? `.${seg.name}` : seg.name;
      else if (seg.kind === 'index') s += `[${seg.index}]`;
      else s += `[${seg.key}]`;
    }
    return s;
  }
}
