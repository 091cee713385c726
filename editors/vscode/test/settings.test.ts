import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  RULE_IDS,
  SEVERITIES,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
  didChangeConfigurationParams,
  expandPath,
  normaliseSeverity,
  serverCommand,
  toServerSettings,
} from '../src/settings';

const ctx = { workspaceFolder: '/ws', home: '/home/u' };

describe('toServerSettings', () => {
  it('sends nothing when nothing is set, so .lexls.toml is not overridden', () => {
    assert.deepEqual(toServerSettings({}, ctx), { settings: {}, warnings: [] });
  });

  it('maps every editor key to the server key', () => {
    const { settings, warnings } = toServerSettings(
      {
        inlayHints: 'all',
        rules: { 'unknown-acronym': 'off', 'known-misspelling': 'error' },
        lexicon: ['/abs/extra.toml', 'lexicon/'],
        allow: ['SOP', 'TOR'],
        entityHints: true,
      },
      ctx,
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings, {
      'inlay-hints': 'all',
      rules: { 'unknown-acronym': 'off', 'known-misspelling': 'error' },
      lexicon: ['/abs/extra.toml', path.join('/ws', 'lexicon/')],
      allow: ['SOP', 'TOR'],
      'entity-hints': true,
    });
  });

  it('keeps false and empty values that the user set explicitly', () => {
    const { settings } = toServerSettings({ entityHints: false, allow: [], rules: {}, inlayHints: 'off' }, ctx);
    assert.deepEqual(settings, { 'entity-hints': false, allow: [], rules: {}, 'inlay-hints': 'off' });
  });

  it('normalises inlay hint modes and accepts booleans', () => {
    assert.equal(toServerSettings({ inlayHints: ' First ' }).settings['inlay-hints'], 'first');
    assert.equal(toServerSettings({ inlayHints: true }).settings['inlay-hints'], 'first');
    assert.equal(toServerSettings({ inlayHints: false }).settings['inlay-hints'], 'off');
  });

  it('drops an invalid inlay hint mode with a warning', () => {
    const { settings, warnings } = toServerSettings({ inlayHints: 'sometimes' });
    assert.equal(settings['inlay-hints'], undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /inlayHints/);
  });

  it('normalises severities and drops invalid ones', () => {
    const { settings, warnings } = toServerSettings({
      rules: { 'unknown-acronym': 'Warn', 'ambiguous-mention': 'information', 'edition-mismatch': 'loud', 'mixed-normalisation': 3 },
    });
    assert.deepEqual(settings.rules, { 'unknown-acronym': 'warning', 'ambiguous-mention': 'info' });
    assert.equal(warnings.length, 2);
  });

  it('drops unknown rule ids, with a warning, keeping the others', () => {
    const { settings, warnings } = toServerSettings({ rules: { 'future-rule': 'hint', 'unknown-acronym': 'off' } });
    assert.deepEqual(settings.rules, { 'unknown-acronym': 'off' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /unknown rule id "future-rule" ignored/);
  });

  it('rejects rules that are not an object', () => {
    for (const rules of ['off', ['unknown-acronym'], 1]) {
      const { settings, warnings } = toServerSettings({ rules });
      assert.equal(settings.rules, undefined);
      assert.equal(warnings.length, 1);
    }
  });

  it('trims, de-duplicates and type-checks string lists', () => {
    const { settings, warnings } = toServerSettings({ allow: [' SOP ', 'SOP', '', 7, 'TOR'] });
    assert.deepEqual(settings.allow, ['SOP', 'TOR']);
    assert.equal(warnings.length, 1);
    const bad = toServerSettings({ lexicon: 'extra.toml' });
    assert.equal(bad.settings.lexicon, undefined);
    assert.equal(bad.warnings.length, 1);
  });

  it('treats null as unset', () => {
    assert.deepEqual(
      toServerSettings({ inlayHints: null, rules: null, lexicon: null, allow: null, entityHints: null }),
      { settings: {}, warnings: [] },
    );
  });

  it('rejects a non-boolean entityHints', () => {
    const { settings, warnings } = toServerSettings({ entityHints: 'yes' });
    assert.equal(settings['entity-hints'], undefined);
    assert.equal(warnings.length, 1);
  });

  it('produces exactly the .lexls.toml keys', () => {
    const { settings } = toServerSettings({ inlayHints: 'all', rules: {}, lexicon: [], allow: [], entityHints: true });
    assert.deepEqual(Object.keys(settings).sort(), ['allow', 'entity-hints', 'inlay-hints', 'lexicon', 'rules']);
  });
});

describe('expandPath', () => {
  it('expands ~, ${userHome} and ${workspaceFolder}', () => {
    assert.equal(expandPath('~/lex/a.toml', ctx), path.join('/home/u', 'lex/a.toml'));
    assert.equal(expandPath('~', ctx), '/home/u');
    assert.equal(expandPath('${userHome}/a.toml', ctx), '/home/u/a.toml');
    assert.equal(expandPath('${workspaceFolder}/lexicon', ctx), '/ws/lexicon');
  });

  it('resolves relative paths against the workspace folder only when there is one', () => {
    assert.equal(expandPath('extra/', ctx), path.join('/ws', 'extra/'));
    assert.equal(expandPath('extra/', { home: '/home/u' }), 'extra/');
    assert.equal(expandPath('/abs', ctx), '/abs');
  });
});

describe('normaliseSeverity', () => {
  it('accepts every server severity as is', () => {
    for (const s of SEVERITIES) assert.equal(normaliseSeverity(s), s);
  });
  it('rejects non-strings', () => {
    assert.equal(normaliseSeverity(undefined), undefined);
    assert.equal(normaliseSeverity(2), undefined);
  });
});

describe('didChangeConfigurationParams', () => {
  it('puts the settings under the "lexls" key', () => {
    assert.deepEqual(didChangeConfigurationParams({ 'entity-hints': true }), { settings: { lexls: { 'entity-hints': true } } });
  });
});

describe('serverCommand', () => {
  it('defaults to lexls on PATH', () => {
    assert.deepEqual(serverCommand(undefined), { command: 'lexls', args: ['server'] });
    assert.deepEqual(serverCommand('  '), { command: 'lexls', args: ['server'] });
  });
  it('keeps a bare name for PATH lookup', () => {
    assert.deepEqual(serverCommand('lexls-dev', ctx), { command: 'lexls-dev', args: ['server'] });
  });
  it('expands paths', () => {
    assert.equal(serverCommand('~/.cargo/bin/lexls', ctx).command, path.join('/home/u', '.cargo/bin/lexls'));
    assert.equal(serverCommand('${workspaceFolder}/target/debug/lexls', ctx).command, '/ws/target/debug/lexls');
    assert.equal(serverCommand('./target/release/lexls', ctx).command, path.join('/ws', 'target/release/lexls'));
    assert.equal(serverCommand('/usr/bin/lexls', ctx).command, '/usr/bin/lexls');
  });
});

describe('package.json manifest', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const contributes = manifest.contributes;

  it('declares the server legend token types, with standard super types', () => {
    const ids = contributes.semanticTokenTypes.map((t: { id: string }) => t.id);
    assert.deepEqual(ids, [...TOKEN_TYPES]);
    for (const t of contributes.semanticTokenTypes) assert.equal(typeof t.superType, 'string', t.id);
  });

  it('declares the custom modifiers (definition is a standard one)', () => {
    const ids = contributes.semanticTokenModifiers.map((t: { id: string }) => t.id);
    assert.deepEqual(ids, TOKEN_MODIFIERS.filter((m) => m !== 'definition'));
  });

  it('maps every token type to TextMate scopes', () => {
    const scopes = contributes.semanticTokenScopes[0].scopes;
    for (const t of TOKEN_TYPES) assert.ok(Array.isArray(scopes[t]) && scopes[t].length > 0, t);
  });

  it('has a setting for every rule and every server key', () => {
    const props = contributes.configuration.properties;
    for (const key of ['serverPath', 'inlayHints', 'rules', 'lexicon', 'allow', 'entityHints', 'trace.server']) {
      assert.ok(props[`lexls.${key}`], `lexls.${key}`);
    }
    assert.deepEqual(Object.keys(props['lexls.rules'].properties).sort(), [...RULE_IDS].sort());
    for (const rule of Object.values(props['lexls.rules'].properties) as { enum: string[] }[]) {
      assert.deepEqual(rule.enum, [...SEVERITIES]);
    }
  });

  it('activates on plaintext and markdown and has the restart command', () => {
    assert.ok(manifest.activationEvents.includes('onLanguage:plaintext'));
    assert.ok(manifest.activationEvents.includes('onLanguage:markdown'));
    assert.ok(contributes.commands.some((c: { command: string }) => c.command === 'lexls.restartServer'));
    assert.equal(manifest.main, './dist/extension.js');
  });
});
