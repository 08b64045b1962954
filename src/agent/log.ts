/** One line per event on stdout: `<ISO time> <event> key=value ...`. Never given the token. */
export type AgentLog = (event: string, fields?: Record<string, string | number | undefined>) => void;

export function createLog(write: (line: string) => void = (line) => process.stdout.write(line)): AgentLog {
  return (event, fields = {}) => {
    const parts = [new Date().toISOString(), event];
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const text = String(value);
      parts.push(`${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`);
    }
    write(`${parts.join(' ')}\n`);
  };
}
