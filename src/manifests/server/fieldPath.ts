/**
 * Field paths as the API server writes them in validation errors (apimachinery's field.Path):
 * `spec.template.spec.containers[0].ports[1].name`, map keys as `metadata.labels[app]`.
 * Immutable, cheap to extend; `segments` gives the structured form the editor maps back to YAML.
 */
export type PathSegment = { kind: 'child'; name: string } | { kind: 'index'; index: number } | { kind: 'key'; key: string };

export class FieldPath {
  private constructor(
    private readonly parent: FieldPath | undefined,
    private readonly segment: PathSegment | undefined,
  ) {}

  static root(...names: string[]): FieldPath {
    let p = new FieldPath(undefined, undefined);
    for (const n of names) p = p.child(n);
    return p;
  }

  child(...names: string[]): FieldPath {
    return names.reduce<FieldPath>((p, name) => new FieldPath(p, { kind: 'child', name }), this);
  }

  index(index: number): FieldPath {
    return new FieldPath(this, { kind: 'index', index });
  }

  key(key: string): FieldPath {
    return new FieldPath(this, { kind: 'key', key });
  }

  /** Root first. */
  segments(): PathSegment[] {
    const out: PathSegment[] = this.parent ? this.parent.segments() : [];
    if (this.segment) out.push(this.segment);
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
