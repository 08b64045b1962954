/**
 * The notification Preview Changes shows once the preview answers: the link, and for a
 * header-routed preview which Service it enters and which header it adds, with the equivalent curl
 * to copy (the same request from a terminal). Pure; sandboxCommands.ts shows it.
 */
import type { PreviewResult } from '../../sandbox/previewLoop';

export type PreviewAction = { label: 'Copy Link'; copy: string } | { label: 'Copy curl'; copy: string } | { label: 'Open in Browser'; open: string };

export interface PreviewNotice {
  message: string;
  actions: PreviewAction[];
}

export function previewNotice(result: PreviewResult): PreviewNotice {
  const shared = !result.warm && result.placementReason && result.namespace !== result.sandbox ? ` ${result.placementReason}` : '';
  const link: PreviewAction = { label: 'Copy Link', copy: result.url };
  const open: PreviewAction = { label: 'Open in Browser', open: result.url };
  const routing = result.routing;
  if (!routing) return { message: `Preview of "${result.sandbox}": ${result.url}${shared}`, actions: [link, open] };
  return {
    message: `Preview of "${result.sandbox}" (header routing): ${result.url} enters the baseline's Service ${routing.entry} and adds "${routing.header}" to every request.${shared}`,
    actions: [link, { label: 'Copy curl', copy: routing.curl }, open],
  };
}
