/**
 * A refusal's remedies in the editor: Copy Role YAML puts the Roles that grant what was missing on
 * the clipboard; Show Role YAML asks whom to bind them to (a user, or a ServiceAccount as
 * `system:serviceaccount:<namespace>:<name>`) and opens the Roles with their bindings in a
 * read-only editor (scheme `tether-role`). Advice is made from the failure's own when it carries
 * one, else from what the failed operation needed; either way merged, when the cluster answers,
 * with what the user already holds of the feature (SelfSubjectRulesReview).
 */
import * as vscode from 'vscode';
import type { AccessCheck } from '../kube/role';
import type { FeatureId } from '../kube/permissions/needs';
import type { AccessAdvice } from '../kube/permissions/remedy';

export const roleScheme = 'tether-role';

/** Makes advice with the cluster's help (a client for `context`); the composition root provides it. */
export type AdviceSource = (feature: FeatureId, missing: readonly AccessCheck[], context: string | undefined, user?: string) => Promise<AccessAdvice>;

/** What a refusal knows about its remedy. */
export interface RefusalFacts {
  context?: string;
  /** Advice the failure carries (a preflight's, or the API server's 403 read). */
  access?: AccessAdvice;
  /** What the failed operation needed, when its caller knows better than the 403 says. */
  needs?: readonly AccessCheck[];
  feature?: FeatureId;
}

export class RoleRemedies implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly advise: AdviceSource) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(roleScheme, this);
  }

  /** True when a refusal has anything to offer. */
  static offers(facts: RefusalFacts): boolean {
    return Boolean(facts.access || facts.needs?.length);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? `# ${uri.path} is no longer available: run the action again.\n`;
  }

  /** The advice for a refusal, merged with what the user holds when the cluster can tell. */
  async adviceFor(facts: RefusalFacts): Promise<AccessAdvice | undefined> {
    const { access } = facts;
    const missing = facts.needs?.length ? facts.needs : access?.missing;
    if (!missing?.length) return access;
    if (access?.merged && !facts.needs?.length) return access;
    const { featureFor } = await import('../kube/permissions/remedy');
    const feature = facts.feature ?? access?.feature ?? featureFor(missing[0]);
    return this.advise(feature, missing, facts.context, access?.user).catch(async () => {
      const { accessAdvice } = await import('../kube/permissions/remedy');
      return access ?? accessAdvice(feature, missing, [], undefined);
    });
  }

  async copy(facts: RefusalFacts): Promise<void> {
    const advice = await this.adviceFor(facts);
    if (!advice) return;
    const { adviceYaml, roleNames } = await import('../kube/permissions/remedy');
    await vscode.env.clipboard.writeText(adviceYaml(advice));
    void vscode.window.showInformationMessage(`${roleNames(advice)} copied. A cluster admin can apply it and bind it to you (Show Role YAML adds the binding).`);
  }

  async show(facts: RefusalFacts): Promise<void> {
    const advice = await this.adviceFor(facts);
    if (!advice) return;
    const subject = await vscode.window.showInputBox({
      title: 'Bind the Role to whom?',
      prompt: 'A user name, or system:serviceaccount:<namespace>:<name> for a ServiceAccount. Empty: the Role alone.',
      value: advice.user ?? '',
      ignoreFocusOut: true,
    });
    if (subject === undefined) return;
    const { adviceYaml } = await import('../kube/permissions/remedy');
    const path = `/${advice.roles.map((r) => r.name).join('+')}.yaml`;
    const who = subject.trim();
    this.texts.set(path, `# Apply with: kubectl apply -f <this file>${who ? `  (binds to ${who})` : ''}\n${adviceYaml(advice, who || undefined)}`);
    const uri = vscode.Uri.from({ scheme: roleScheme, path });
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.texts.clear();
  }
}
