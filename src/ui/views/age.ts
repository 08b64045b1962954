/**
 * Ages the way kubectl prints them (`45s`, `6m12s`, `95m`, `5h30m`, `3d4h`, `400d`, `3y20d`), so
 * what the tree says matches what a developer sees in a terminal.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Age of a timestamp at `now`; undefined when the timestamp is missing or unreadable. */
export function formatAge(timestamp: string | undefined, now: number): string | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : formatDuration(now - t);
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** How often an age of `ms` changes as formatDuration prints it (45s, 6m12s: every second; 95m, 5h30m: every minute; …). */
function ageStep(ms: number): number {
  if (ms < 10 * minute) return second;
  if (ms < 8 * hour) return minute;
  if (ms < 8 * day) return hour;
  if (ms < 8 * 365 * day) return day;
  return 365 * day;
}

/** Milliseconds until an age of `ms` reads differently. */
export function msUntilAgeChanges(ms: number): number {
  if (ms < 0) return second - ms; // "0s" until a second has passed
  const step = ageStep(ms);
  return step - (ms % step);
}

/** Milliseconds until the first of these ages reads differently; undefined when none is shown. */
export function nextAgeChange(timestamps: Iterable<string | undefined>, now: number): number | undefined {
  let soonest: number | undefined;
  for (const timestamp of timestamps) {
    const t = timestamp ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(t)) continue;
    const wait = msUntilAgeChanges(now - t);
    if (soonest === undefined || wait < soonest) soonest = wait;
  }
  return soonest;
}
