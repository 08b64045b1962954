/**
 * `tether preview`: ensure the workspace's sandbox, tunnel its local forks and open the local
 * preview URL, then keep them in the foreground until Ctrl+C, which stops them here, releases the
 * sandbox and says how long it stays in the cluster. With --json it prints one object once the
 * preview answers and exits (the sandbox stays until its TTL), unless --wait keeps it running.
 */
import type { Command } from 'commander';
import { ensurePreview } from '../../engine/preview';
import { previewOutput } from '../../engine/tools/toolResults';
import { workspaceSpec } from '../../engine/workspace';
import { ExplainedError } from '../../kube/errors';
import { previewHostSettings } from '../../sandbox/preview/previewHost';
import { PreviewLoop, type SandboxLost } from '../../sandbox/preview/previewLoop';
import type { CliRun, GlobalOptions } from '../cliRun';
import { previewLines } from '../cliText';
import { exitCode } from '../failures';
import { action, withCommonOptions, type CommandHost } from '../program';

interface PreviewOptions extends GlobalOptions {
  wait?: boolean;
  share?: boolean;
  takeOver?: boolean;
  logs?: boolean;
}

/** Resolves when the user stops the preview, or when the sandbox stops here for another reason. */
function foreground(cli: CliRun, loop: PreviewLoop): Promise<SandboxLost | undefined> {
  return new Promise((resolve) => {
    if (cli.signal.aborted) return resolve(undefined);
    cli.signal.addEventListener('abort', () => resolve(undefined), { once: true });
    loop.onDidLose((lost) => resolve(lost));
  });
}

async function preview(cli: CliRun, options: PreviewOptions): Promise<number> {
  const { engine, io, progress } = cli;
  if (options.share && !previewHostSettings(engine.settings().preview)) {
    throw new ExplainedError({ reason: 'Invalid', what: 'Share the preview', why: 'no preview domain is set, so the sandbox has no shareable host', remedy: 'Set the domain your wildcard DNS record covers (docs/preview-urls.md)', step: { code: 'changeSetting', setting: 'preview.domain' } });
  }
  const loop = new PreviewLoop({ openClient: (context) => cli.openClient(context), logger: engine.logger, clock: engine.host.clock });
  try {
    const workspace = cli.workspace();
    const spec = await workspaceSpec(workspace, 'Preview changes');
    const result = await ensurePreview(engine, loop, {
      context: cli.context(),
      workspace,
      spec,
      takeOver: options.takeOver,
      includeLogs: options.logs !== false,
      onProgress: (p) => progress.update(p.message),
      signal: cli.signal,
    });
    progress.dispose();
    const out = previewOutput(result, { link: options.share });
    io.out(options.json ? `${JSON.stringify(out)}\n` : `${previewLines(out).join('\n')}\n`);
    if (options.json && !options.wait) {
      await loop.releaseAll();
      return exitCode.ok;
    }
    io.err(`The preview runs while this does; Ctrl+C stops it.\n`);
    const lost = await foreground(cli, loop);
    if (lost) {
      io.err(`tether: sandbox "${lost.sandbox}" stopped here: ${lost.why}.\n`);
      return exitCode.failed;
    }
    await loop.releaseAll();
    const until = new Date(engine.host.clock.now() + spec.ttlSeconds * 1000).toISOString();
    io.err(`Stopped the preview of "${result.sandbox}" here. The sandbox stays in namespace ${result.namespace} until its TTL runs out (${until}); \`tether sandbox down --name ${result.sandbox}\` removes it now.\n`);
    return exitCode.ok;
  } finally {
    loop.dispose();
  }
}

export function registerPreview(program: Command, host: CommandHost): void {
  withCommonOptions(
    program
      .command('preview')
      .description("bring up the workspace's sandbox (tether.yaml), tunnel its local forks and print the preview URL; runs until Ctrl+C")
      .option('--wait', 'with --json: keep the preview running after printing it')
      .option('--share', 'also sign a shareable link (needs TETHER_PREVIEW_DOMAIN)')
      .option('--take-over', 'run the sandbox here even while another editor window, terminal or agent runs it')
      .option('--no-logs', "skip reading the last error lines of the pods' logs"),
    { spec: true },
  ).action(action<PreviewOptions>(host, (cli, options) => preview(cli, options)));
}
