/**
 * Images the simulated cluster cannot pull: names containing "missing" or "does-not-exist". The
 * simulated kubelet reports ErrImagePull -> ImagePullBackOff for them, and the process runtime
 * never runs such a pod, as no real node could.
 */
export function imageCannotBePulled(image: string | undefined): boolean {
  return Boolean(image && (image.includes('missing') || image.includes('does-not-exist')));
}
