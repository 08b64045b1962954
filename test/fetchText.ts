/** The body of a GET to a URL (a preview's, a local service's), on a connection of its own (no keep-alive between calls). */
import { get } from 'node:http';

export function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
