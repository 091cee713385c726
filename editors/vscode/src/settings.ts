// Pure conversion of the VS Code `lexls.*` settings into the settings object
// the lexls server understands (the same keys as `.lexls.toml`). No `vscode`
// import here, so this module is unit-tested with `node --test`.

import * as path from 'node:path';

/** Semantic token types, in the server's legend order. */
export const TOKEN_TYPES = [
  'organisation',
  'meetingSeries',
  'meeting',
  'person',
  'place',
  'document',
  'term',
] as const;

/** Semantic token modifiers, in the server's legend order. */
export const TOKEN_MODIFIERS = ['definition', 'ambiguous', 'unresolvedEdition', 'misspelled'] as const;

/**
 * Diagnostic rule ids known to the server (`lexls explain <id>`). Keep in sync
 * with `lexls.rules` in package.json; test/server_settings.py checks both
 * against a real server.
 */
export const RULE_IDS = [
  'acronym-before-definition',
  'expansion-mismatch',
  'inconsistent-expansion',
  'doubled-definition',
  'known-misspelling',
  'unknown-acronym',
  'ambiguous-mention',
  'diacritics-missing',
  'mixed-normalisation',
  'edition-mismatch',
] as const;

export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INLAY_HINT_MODES = ['first', 'all', 'off'] as const;
export type InlayHintMode = (typeof INLAY_HINT_MODES)[number];

/** The settings object sent to the server (keys as in `.lexls.toml`). */
export interface ServerSettings {
  'inlay-hints'?: InlayHintMode;
  rules?: Record<string, Severity>;
  lexicon?: string[];
  allow?: string[];
  'entity-hints'?: boolean;
}

/**
 * The `lexls.*` settings as read from VS Code. A key is `undefined` when the
 * user has not set it anywhere, so that the project's `.lexls.toml` (or the
 * server default) is not overridden by an editor default.
 */
export interface EditorSettings {
  inlayHints?: unknown;
  rules?: unknown;
  lexicon?: unknown;
  allow?: unknown;
  entityHints?: unknown;
}

/** Where relative paths, `~` and `${workspaceFolder}` point to. */
export interface PathContext {
  /** Absolute path of the first workspace folder, if any. */
  workspaceFolder?: string;
  /** The user's home directory. */
  home?: string;
}

export interface Conversion {
  settings: ServerSettings;
  /** Human-readable problems with the user's settings (ignored values). */
  warnings: string[];
}

const SEVERITY_ALIASES: Record<string, Severity> = {
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  information: 'info',
  hint: 'hint',
  off: 'off',
  none: 'off',
  ignore: 'off',
};

/** Normalises a severity (`"Warn"` → `"warning"`); `undefined` if invalid. */
export function normaliseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  return SEVERITY_ALIASES[value.trim().toLowerCase()];
}

/**
 * Expands `~`, `${userHome}` and `${workspaceFolder}` in a path, and makes a
 * relative path absolute against the workspace folder when there is one.
 */
export function expandPath(raw: string, ctx: PathContext): string {
  let p = raw.trim();
  if (ctx.home !== undefined) {
    p = p.replace(/\$\{userHome\}/g, ctx.home);
    if (p === '~') p = ctx.home;
    else if (p.startsWith('~/') || p.startsWith('~\\')) p = path.join(ctx.home, p.slice(2));
  }
  if (ctx.workspaceFolder !== undefined) {
    p = p.replace(/\$\{workspaceFolder\}/g, ctx.workspaceFolder);
    if (!path.isAbsolute(p) && !p.startsWith('~')) p = path.join(ctx.workspaceFolder, p);
  }
  return p;
}

function stringList(value: unknown, key: string, warnings: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    warnings.push(`lexls.${key} must be an array of strings; ignored.`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') {
      warnings.push(`lexls.${key}: ${JSON.stringify(item)} is not a string; ignored.`);
      continue;
    }
    const s = item.trim();
    if (s !== '' && !out.includes(s)) out.push(s);
  }
  return out;
}

/** Converts the editor's `lexls.*` settings into the server's settings object. */
export function toServerSettings(editor: EditorSettings, ctx: PathContext = {}): Conversion {
  const settings: ServerSettings = {};
  const warnings: string[] = [];

  if (editor.inlayHints !== undefined && editor.inlayHints !== null) {
    const mode = typeof editor.inlayHints === 'string' ? editor.inlayHints.trim().toLowerCase() : editor.inlayHints;
    if (mode === true) settings['inlay-hints'] = 'first';
    else if (mode === false) settings['inlay-hints'] = 'off';
    else if ((INLAY_HINT_MODES as readonly unknown[]).includes(mode)) settings['inlay-hints'] = mode as InlayHintMode;
    else warnings.push(`lexls.inlayHints: ${JSON.stringify(editor.inlayHints)} is not one of first, all, off; ignored.`);
  }

  if (editor.rules !== undefined && editor.rules !== null) {
    if (typeof editor.rules !== 'object' || Array.isArray(editor.rules)) {
      warnings.push('lexls.rules must be an object mapping rule ids to severities; ignored.');
    } else {
      const rules: Record<string, Severity> = {};
      for (const [id, value] of Object.entries(editor.rules as Record<string, unknown>)) {
        const severity = normaliseSeverity(value);
        if (severity === undefined) {
          warnings.push(`lexls.rules.${id}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(', ')}; ignored.`);
          continue;
        }
        if (!(RULE_IDS as readonly string[]).includes(id)) {
          // Dropped: the server rejects settings naming a rule it does not know.
          warnings.push(`lexls.rules: unknown rule id "${id}" ignored (known: ${RULE_IDS.join(', ')}).`);
          continue;
        }
        rules[id] = severity;
      }
      settings.rules = rules;
    }
  }

  const lexicon = stringList(editor.lexicon, 'lexicon', warnings);
  if (lexicon !== undefined) settings.lexicon = lexicon.map((p) => expandPath(p, ctx));

  const allow = stringList(editor.allow, 'allow', warnings);
  if (allow !== undefined) settings.allow = allow;

  if (editor.entityHints !== undefined && editor.entityHints !== null) {
    if (typeof editor.entityHints === 'boolean') settings['entity-hints'] = editor.entityHints;
    else warnings.push('lexls.entityHints must be true or false; ignored.');
  }

  return { settings, warnings };
}

/** The payload of `workspace/didChangeConfiguration`: settings under `lexls`. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: { lexls: ServerSettings } } {
  return { settings: { lexls: settings } };
}

/** The command that starts the server: `<serverPath or lexls> server`. */
export function serverCommand(serverPath: unknown, ctx: PathContext = {}): { command: string; args: string[] } {
  let command = 'lexls';
  if (typeof serverPath === 'string' && serverPath.trim() !== '') {
    const raw = serverPath.trim();
    // A bare name ("lexls-dev") is looked up on PATH, not in the workspace.
    command = raw.includes('/') || raw.includes('\\') || raw.startsWith('~') || raw.includes('${')
      ? expandPath(raw, ctx)
      : raw;
  }
  return { command, args: ['server'] };
}
