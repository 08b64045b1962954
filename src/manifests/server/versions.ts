/**
 * What changed in the server's validation between Kubernetes versions, as feature gates turned on
 * by default (pkg/features/kube_features.go). Checks ask these rather than comparing numbers.
 */
export type KubeVersion = [number, number];

const atLeast = (v: KubeVersion, major: number, minor: number): boolean => v[0] > major || (v[0] === major && v[1] >= minor);

export interface ServerFeatures {
  /** SidecarContainers (beta, on by default, 1.29): init containers with restartPolicy: Always. */
  sidecars: boolean;
  /** RelaxedEnvironmentVariableValidation (beta 1.32): any printable ASCII except "=" in env names. */
  relaxedEnvNames: boolean;
  /** RelaxedDNSSearchValidation (beta 1.33): "_" and a lone "." in dnsConfig.searches. */
  relaxedDnsSearch: boolean;
  /** PodLifecycleSleepAction (beta 1.30): the sleep lifecycle handler. */
  sleepAction: boolean;
  /** PodLifecycleSleepActionAllowZero (beta 1.33). */
  sleepZero: boolean;
  /** CronJobTimeZone (beta 1.25): spec.timeZone. */
  cronJobTimeZone: boolean;
  /** From 1.27 a TZ= or CRON_TZ= prefix in a CronJob schedule is refused on create. */
  rejectCronTZPrefix: boolean;
  /** ServiceTrafficDistribution (beta 1.31). */
  trafficDistribution: boolean;
  /** StatefulSet names must be DNS labels from 1.27 (their pods' hostnames). */
  statefulSetNameIsLabel: boolean;
}

export function featuresFor(v: KubeVersion): ServerFeatures {
  return {
    sidecars: atLeast(v, 1, 29),
    relaxedEnvNames: atLeast(v, 1, 32),
    relaxedDnsSearch: atLeast(v, 1, 33),
    sleepAction: atLeast(v, 1, 30),
    sleepZero: atLeast(v, 1, 33),
    cronJobTimeZone: atLeast(v, 1, 25),
    rejectCronTZPrefix: atLeast(v, 1, 27),
    trafficDistribution: atLeast(v, 1, 31),
    statefulSetNameIsLabel: atLeast(v, 1, 27),
  };
}
