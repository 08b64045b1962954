/**
 * What a failure is about, so it is told once per cause: a cluster that cannot be reached (or
 * trusted, or that refuses the credentials) fails every request the same way, whichever feature
 * made it — one cause, one notice, one row saying the cluster could not be read. Any other
 * failure (a 403 on one resource, a missing object) is about its own request. Pure.
 */
import type { Explanation, FailureReason } from './errors';
import { joinRemedy, neutralStepWords, type StepWords } from './nextStep';

/** Reasons that say nothing about the request, only about reaching the cluster at all. */
const clusterWide: ReadonlySet<FailureReason> = new Set<FailureReason>([
  'Unreachable',
  'Timeout',
  'TlsError',
  'CredentialsExpired',
  'Unauthorized',
  'ExecPluginMissing',
  'ExecPluginFailed',
]);

/** True when the failure is the cluster's (or the way to it), not the request's. */
export function isClusterWide(e: Pick<Explanation, 'reason'>): boolean {
  return clusterWide.has(e.reason);
}

/**
 * A key equal for failures with the same cause: per cluster and reason for cluster-wide ones, per
 * request otherwise.
 */
export function causeKey(e: Explanation): string {
  if (isClusterWide(e)) return `${e.reason}@${e.server ?? e.context ?? e.why}`;
  return `${e.reason}:${e.what}:${e.why}`;
}

function whose(e: Pick<Explanation, 'context'>): string {
  return e.context ? `the cluster of context "${e.context}"` : 'the cluster';
}

/**
 * The failure as a view or notice leads with it: "Cannot reach the cluster of context "dev"" for
 * a cluster-wide cause (whichever request met it), "List pods in namespace shop" otherwise.
 */
export function failureHeadline(e: Pick<Explanation, 'reason' | 'what' | 'context'>): string {
  switch (e.reason) {
    case 'Unreachable':
      return `Cannot reach ${whose(e)}`;
    case 'Timeout':
      return `${capitalized(whose(e))} does not answer in time`;
    case 'TlsError':
      return `Cannot connect securely to ${whose(e)}`;
    case 'CredentialsExpired':
      return `The credentials for ${whose(e)} have expired`;
    case 'Unauthorized':
      return `${capitalized(whose(e))} does not accept your credentials`;
    case 'ExecPluginMissing':
    case 'ExecPluginFailed':
      return `Cannot get credentials for ${whose(e)}`;
    default:
      return `${e.what} failed`;
  }
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The notice for a failure: headline, why, next step (a step in `words`, neutral ones by default). */
export function failureNotice(e: Explanation, words: StepWords = neutralStepWords): string {
  return `${failureHeadline(e)}: ${e.why}. ${joinRemedy(e.remedy, e.step, words)}`;
}
