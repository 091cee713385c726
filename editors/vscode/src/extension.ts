import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  didChangeConfigurationParams,
  serverCommand,
  toServerSettings,
  type EditorSettings,
  type PathContext,
  type ServerSettings,
} from './settings';

const SECTION = 'lexls';
const LANGUAGES = ['plaintext', 'markdown'];

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let lastWarnings = '';

function pathContext(): PathContext {
  return {
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
  };
}

/** The value of `lexls.<key>` if the user set it anywhere, else undefined. */
function explicit(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const i = config.inspect(key);
  if (i === undefined) return undefined;
  return i.workspaceFolderLanguageValue ?? i.workspaceLanguageValue ?? i.globalLanguageValue ??
    i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue;
}

function currentSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const editor: EditorSettings = {
    inlayHints: explicit(config, 'inlayHints'),
    rules: explicit(config, 'rules'),
    lexicon: explicit(config, 'lexicon'),
    allow: explicit(config, 'allow'),
    entityHints: explicit(config, 'entityHints'),
  };
  const { settings, warnings } = toServerSettings(editor, pathContext());
  const text = warnings.join('\n');
  if (text !== '' && text !== lastWarnings) {
    for (const w of warnings) output?.appendLine(`[settings] ${w}`);
    void vscode.window.showWarningMessage(`lexls: ${warnings[0]}${warnings.length > 1 ? ` (+${warnings.length - 1} more, see Output)` : ''}`);
  }
  lastWarnings = text;
  return settings;
}

function createClient(): LanguageClient {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { command, args } = serverCommand(config.get<string>('serverPath'), pathContext());
  const serverOptions: ServerOptions = {
    run: { command, args },
    debug: { command, args, options: { env: { ...process.env, RUST_BACKTRACE: '1' } } },
  };
  const documentSelector = LANGUAGES.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel: output,
    initializationOptions: () => currentSettings(),
    middleware: {
      workspace: {
        // If the server pulls `workspace/configuration` for section "lexls",
        // answer with the converted settings (server keys), not VS Code's.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return params.items.map((item, i) => (item.section === SECTION ? currentSettings() : result[i]));
        },
      },
    },
  };
  return new LanguageClient(SECTION, 'lexls', serverOptions, clientOptions);
}

async function start(): Promise<void> {
  const c = createClient();
  client = c;
  try {
    await c.start();
  } catch (err) {
    const { command } = serverCommand(vscode.workspace.getConfiguration(SECTION).get<string>('serverPath'), pathContext());
    const message = err instanceof Error ? err.message : String(err);
    output?.appendLine(`[start] ${command} server: ${message}`);
    const choice = await vscode.window.showErrorMessage(
      `lexls: could not start "${command} server" (${message}). Install lexls (cargo install --path .) or set lexls.serverPath.`,
      'Open Settings',
      'Show Output',
    );
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'lexls.serverPath');
    } else if (choice === 'Show Output') {
      output?.show(true);
    }
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c === undefined) return;
  try {
    if (c.needsStop()) await c.stop();
  } catch (err) {
    output?.appendLine(`[stop] ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('lexls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('lexls.restartServer', restart),
    vscode.commands.registerCommand('lexls.showOutput', () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.serverPath`)) {
        await restart();
        return;
      }
      if (e.affectsConfiguration(`${SECTION}.trace`)) return; // handled by the client
      if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(currentSettings()));
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
