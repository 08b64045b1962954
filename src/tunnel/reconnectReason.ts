/**
 * Why a tunnel dropped or could not connect, in plain words: every drop the user sees carries one.
 * Pure: the session passes what it observed (the Mux's close reason, an error, a detected sleep,
 * what happened to the relay pod) and gets back a cause and a sentence.
 */
import { ExplainedError, remedyText } from '../kube/errors';
import { neutralStepWords } from '../kube/nextStep';
import type { MuxCloseReason } from './mux';

export type DropCause =
  | 'sleep'
  | 'network'
  | 'api-server'
  | 'relay-restarted'
  | 'relay-not-ready'
  | 'credentials'
  | 'forbidden'
  | 'proxy-closed'
  | 'agent-goaway'
  | 'agent-rejected'
  | 'protocol'
  | 'unknown';

export interface DropReason {
  cause: DropCause;
  /** One sentence for the status bar tooltip and the log. */
  message: string;
  /** What to do when it keeps happening; absent when waiting is all it takes. */
  remedy?: string;
  /** Retrying cannot help until the user acts (credentials, permissions, version). */
  needsUser: boolean;
}

function reason(cause: DropCause, message: string, remedy?: string, stuck = false): DropReason {
  const needsUser = stuck || cause === 'credentials' || cause === 'forbidden' || cause === 'agent-rejected';
  return remedy ? { cause, message, remedy, needsUser } : { cause, message, needsUser };
}

/** A failure while connecting (finding the pod, port-forward, hello), as a reason. */
export function reasonFromError(err: unknown): DropReason {
  if (err instanceof ExplainedError) {
    switch (err.reason) {
      case 'CredentialsExpired':
      case 'Unauthorized':
      case 'ExecPluginMissing':
      case 'ExecPluginFailed':
        return reason('credentials', `your cluster credentials were not accepted: ${err.why}`, remedyText(err, neutralStepWords));
      case 'Forbidden':
        return reason('forbidden', `you lack a permission the tunnel needs: ${err.why}`, remedyText(err, neutralStepWords));
      case 'Unreachable':
        if (/nothing listens/.test(err.why)) return reason('relay-not-ready', 'the relay agent is not listening yet (it is starting or restarting)');
        return reason('api-server', `the API server is unreachable: ${err.why}`, 'Tether retries by itself; check the VPN or network if it lasts');
      case 'Timeout':
      case 'TlsError':
        return reason('api-server', `the API server is unreachable: ${err.why}`, 'Tether retries by itself; check the VPN or network if it lasts');
      case 'ServerError':
      case 'TooManyRequests':
        return reason('api-server', `the API server is having trouble: ${err.why}`, 'Tether retries by itself');
      default:
        return reason('unknown', `${err.what} failed: ${err.why}`, remedyText(err, neutralStepWords));
    }
  }
  const e = err as { name?: string; failure?: string; message?: string };
  if (e?.name === 'HandshakeError') {
    if (e.failure === 'rejected') return reason('agent-rejected', e.message ?? 'the relay agent rejected the connection', 'Stop the tunnel and start it again to redeploy the relay');
    if (e.failure === 'protocol') return reason('protocol', e.message ?? 'the relay agent does not speak the tunnel protocol', 'Stop the tunnel and start it again to redeploy the relay');
    return reason('relay-not-ready', e.message ?? 'the relay agent did not complete the handshake');
  }
  return reason('unknown', e?.message ?? String(err));
}

/** There is no ready relay pod; `why` comes from relayPod.ts, and `stuck` when it cannot start by itself. */
export function relayNotReady(why: string, stuck = false): DropReason {
  if (stuck) return reason('relay-not-ready', why, 'The relay pod cannot start by itself: fix what the message names (the relay image setting, say); `kubectl describe pod` shows more', true);
  return reason('relay-not-ready', why, 'Tether waits for the relay pod; `kubectl describe pod` shows more if it never gets ready');
}

export function relayRestarted(what: string): DropReason {
  return reason('relay-restarted', what);
}

export function computerSlept(sleptForMs: number): DropReason {
  return reason('sleep', `the computer was asleep for about ${Math.max(1, Math.round(sleptForMs / 1000))} s and the connection did not survive it`);
}

/** The Mux closed a live tunnel. */
export function reasonFromClose(close: MuxCloseReason): DropReason {
  switch (close.kind) {
    case 'goaway':
      return reason('agent-goaway', `the relay agent closed the tunnel: ${close.reason}`);
    case 'dead':
      return reason(
        'network',
        `no answer from the relay for ${Math.round(close.silentForMs / 1000)} s: the network dropped, or the API server stopped forwarding`,
        'Tether reconnects by itself; check the network or VPN if it lasts',
      );
    case 'protocol':
      return reason('protocol', `the relay agent broke the tunnel protocol: ${close.error.message}`, 'Stop the tunnel and start it again to redeploy the relay');
    case 'local':
      return reason('unknown', close.reason);
    case 'transport': {
      const error = close.error;
      if (error instanceof ExplainedError && error.reason === 'Timeout') {
        return reason('network', `the port-forward connection stopped answering: ${error.why}`, 'Tether reconnects by itself; check the network or VPN if it lasts');
      }
      if (error instanceof ExplainedError && error.reason === 'Unreachable' && /nothing listens/.test(error.why)) {
        return reason('relay-restarted', 'the relay agent stopped listening (it is restarting)');
      }
      return reason(
        'proxy-closed',
        `the API server or a proxy in between closed the port-forward connection${error ? ` (${error instanceof ExplainedError ? error.why : error.message})` : ''}; an idle or maximum-duration timeout often does this`,
      );
    }
  }
}
