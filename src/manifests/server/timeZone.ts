/**
 * IANA time zone names as the API server's time.LoadLocation accepts them: a name of the zone
 * database (canonical or a backward-compatible link such as "US/Pacific", "UTC", "Etc/GMT+5"),
 * matched case-sensitively. Node's ICU knows the same database; it resolves names
 * case-insensitively, so a name whose only difference from its canonical form is case is refused.
 */

export function isKnownTimeZone(name: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}
