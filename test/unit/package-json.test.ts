// Conventions of package.json that reviewers would otherwise check by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentTools, languageModelToolContributions } from '../../src/engine/tools/toolDefinitions';
import { commandIds, treeItemCommands } from '../../src/ui/commands/commandIds';

const root = join(__dirname, '..', '..');

interface Command {
  command: string;
  title?: string;
  category?: string;
}
interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
}
interface Pkg {
  engines: { vscode: string };
  activationEvents?: string[];
  icon?: string;
  main: string;
  contributes: {
    commands?: Command[];
    menus?: Record<string, MenuItem[]>;
    views?: Record<string, Array<{ id: string; icon?: string }>>;
    viewsContainers?: Record<string, Array<{ id: string; icon: string }>>;
    viewsWelcome?: Array<{ view: string; contents: string }>;
    keybindings?: Array<{ command: string }>;
    configuration?: { properties: Record<string, { type?: string; description?: string; markdownDescription?: string }> };
  };
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Pkg;
const commands = pkg.contributes.commands ?? [];
const commandSet = new Set(commands.map((c) => c.command));
const viewIds = new Set(Object.values(pkg.contributes.views ?? {}).flat().map((v) => v.id));

test('every command has a tether.* id, the Tether category and a title', () => {
  assert.ok(commands.length > 0);
  for (const c of commands) {
    assert.match(c.command, /^tether\.[a-z][A-Za-z]+$/, c.command);
    assert.equal(c.category, 'Tether', c.command);
    assert.ok(c.title && c.title.trim().length > 0, `${c.command} has no title`);
    assert.ok(!c.title.startsWith('Tether'), `${c.command}: the category already says Tether`);
  }
  assert.equal(commandSet.size, commands.length, 'duplicate command ids');
});

test('contributed commands are exactly the registered command map', () => {
  assert.deepEqual([...commandSet].filter((c) => c.startsWith('tether.') && commandIds.includes(c as never)).sort(), [...commandIds].sort());
  for (const id of commandIds) assert.ok(commandSet.has(id), `${id} is registered but not contributed`);
});

test('every menu entry and keybinding references a real command; item-only commands are hidden from the palette', () => {
  for (const [menu, items] of Object.entries(pkg.contributes.menus ?? {})) {
    for (const item of items) {
      if (item.command) assert.ok(commandSet.has(item.command), `${menu} references unknown ${item.command}`);
      const views = [...(item.when ?? '').matchAll(/\bview == ([\w.]+)/g)].map((m) => m[1]);
      for (const v of views) assert.ok(viewIds.has(v), `${menu} references unknown view ${v}`);
    }
  }
  for (const k of pkg.contributes.keybindings ?? []) assert.ok(commandSet.has(k.command), `keybinding for unknown ${k.command}`);
  const hidden = new Set((pkg.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  for (const id of treeItemCommands) assert.ok(hidden.has(id), `${id} acts on a tree item and should be hidden from the palette`);
});

/** The commands of a view item's context menu, evaluating `view == … && viewItem ==/=~ …` clauses. */
function itemMenu(view: string, viewItem: string): string[] {
  return (pkg.contributes.menus?.['view/item/context'] ?? [])
    .filter((m) => {
      const clauses = (m.when ?? '').split('&&').map((c) => c.trim());
      return clauses.every((c) => {
        const eq = /^(view|viewItem) == (\S+)$/.exec(c);
        if (eq) return (eq[1] === 'view' ? view : viewItem) === eq[2];
        const re = /^viewItem =~ \/(.*)\/$/.exec(c);
        if (re) return new RegExp(re[1]).test(viewItem);
        throw new Error(`unexpected clause ${c}`);
      });
    })
    .map((m) => m.command ?? '');
}

test('a workload row offers Tunnel while none runs and Stop Tunnel while one does (the row says ".tunnel")', () => {
  const idle = itemMenu('tether.cluster', 'tether.deployment');
  assert.ok(idle.includes('tether.startTunnel') && !idle.includes('tether.stopTunnel'), idle.join(', '));
  const running = itemMenu('tether.cluster', 'tether.deployment.tunnel');
  assert.ok(running.includes('tether.stopTunnel') && !running.includes('tether.startTunnel'), running.join(', '));
  assert.ok(running.includes('tether.describeResource') && running.includes('tether.copyName'), 'the rest of the menu stays');
});

test('views live in a contributed container, welcome views name real views, icons exist', () => {
  const containers = new Set(Object.values(pkg.contributes.viewsContainers ?? {}).flat().map((c) => c.id));
  for (const container of Object.keys(pkg.contributes.views ?? {})) {
    assert.ok(containers.has(container) || ['explorer', 'scm', 'debug', 'test'].includes(container), `unknown container ${container}`);
  }
  assert.ok(viewIds.has('tether.cluster'));
  for (const w of pkg.contributes.viewsWelcome ?? []) {
    assert.ok(viewIds.has(w.view), `welcome for unknown view ${w.view}`);
    for (const m of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commandSet.has(m[1]), `welcome links unknown ${m[1]}`);
  }
  const icons = [pkg.icon, ...Object.values(pkg.contributes.viewsContainers ?? {}).flat().map((c) => c.icon), ...Object.values(pkg.contributes.views ?? {}).flat().map((v) => v.icon)];
  for (const icon of icons) if (icon && !icon.startsWith('$(')) assert.ok(existsSync(join(root, icon)), `missing icon file ${icon}`);
  if (pkg.icon) assert.match(pkg.icon, /\.png$/, 'the marketplace needs a PNG icon');
});

test('welcome views use only what viewsWelcome renders: links and line breaks, no inline code or emphasis', () => {
  for (const w of pkg.contributes.viewsWelcome ?? []) {
    const text = w.contents.replace(/\[[^\]]*\]\([^)]*\)/g, '');
    assert.doesNotMatch(text, /[`*_]/, `the welcome view of ${w.view} would show Markdown marks literally: ${w.contents}`);
  }
});

test('activation is narrow', () => {
  const events = pkg.activationEvents ?? [];
  assert.ok(!events.includes('*'), 'never activate on *');
  assert.ok(!events.includes('onStartupFinished'), 'activation should wait for the view or a command');
  for (const e of events) {
    const [kind, arg] = e.split(':');
    if (kind === 'onView') assert.ok(viewIds.has(arg), `${e} names an unknown view`);
    if (kind === 'onCommand') assert.ok(commandSet.has(arg), `${e} names an unknown command`);
  }
});

test('engines.vscode accepts 1.100 (code-server 4.100.x)', () => {
  const m = /^\^?(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines.vscode);
  assert.ok(m, `unexpected engines.vscode ${pkg.engines.vscode}`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  assert.ok(major === 1 && minor <= 100, `${pkg.engines.vscode} does not accept 1.100`);
  assert.equal(pkg.main, './dist/extension.js');
});

test('a workspace cannot choose the kubeconfig (credential plugins run commands)', () => {
  const props = pkg.contributes.configuration?.properties as Record<string, { scope?: string }> | undefined;
  assert.equal(props?.['tether.kubeconfig']?.scope, 'machine');
});

test('settings are tether.* and documented', () => {
  for (const [key, prop] of Object.entries(pkg.contributes.configuration?.properties ?? {})) {
    assert.match(key, /^tether\.[a-zA-Z.]+$/);
    assert.ok(prop.type, `${key} has no type`);
    assert.ok(prop.description || prop.markdownDescription, `${key} is undocumented`);
  }
});

test('the editor\'s language-model tools are the shared agent tool definitions, as contributed', () => {
  const contributed = (pkg.contributes as { languageModelTools?: unknown[] }).languageModelTools ?? [];
  assert.deepEqual(contributed, languageModelToolContributions(), 'package.json languageModelTools differ from src/engine/tools/toolDefinitions.ts: write languageModelToolContributions() into it');
  for (const tool of agentTools) {
    assert.match(tool.name, /^[a-z][a-z_]*$/, 'MCP tool names are snake_case');
    assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name}: unknown arguments are refused`);
    for (const required of tool.inputSchema.required ?? []) assert.ok(tool.inputSchema.properties?.[required], `${tool.name}: ${required} is required but not defined`);
    if (tool.annotations.readOnlyHint) assert.equal(tool.annotations.destructiveHint, undefined, `${tool.name}: read-only tools destroy nothing`);
  }
});

test('the MCP server is contributed where VS Code has MCP servers, and activates the extension when asked for', () => {
  const contributed = (pkg.contributes as { mcpServerDefinitionProviders?: { id: string; label: string }[] }).mcpServerDefinitionProviders ?? [];
  assert.deepEqual(contributed.map((p) => p.id), ['tether.mcp']);
  assert.ok((pkg.activationEvents ?? []).includes('onMcpServerDefinitionProvider:tether.mcp'));
  assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!dist\/tether\.js$/m, 'the .vsix ships the MCP server');
});
