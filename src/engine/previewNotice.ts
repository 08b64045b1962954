/**
 * The notification Preview Changes shows once the preview answers: the link, and for a
 * header-routed preview which Service it enters and which header it adds, with the equivalent curl
 * to copy (the same request from a terminal). Pure; sandboxCommands.ts shows it.
 */
import type { PreviewResult } from '../sandbox/preview/previewLoop';

export type PreviewAction = { label: 'Copy Link'; copy: string } | { label: 'Copy Shareable Link'; copy: string } | { label: 'Copy curl'; copy: string } | { label: 'Open in Browser'; open: string };

export interface PreviewNotice {
  message: string;
  actions: PreviewAction[];
}

export function previewNotice(result: PreviewResult): PreviewNotice {
  const notice = localNotice(result);
  if (!result.share) return notice;
  // The shareable link sits next to the local one; it is what others open, signed and expiring.
  const until = result.share.expiresAt.replace('T', ' ').replace(/:\d\d\.\d+Z$|:\d\dZ$/, ' UTC');
  return {
    message: `${notice.message} Shareable: ${result.share.url} (Copy Shareable Link gives a signed link, valid until ${until}).`,
    actions: [notice.actions[0], { label: 'Copy Shareable Link', copy: result.share.link }, ...notice.actions.slice(1)],
  };
}

function localNotice(result: PreviewResult): PreviewNotice {
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
