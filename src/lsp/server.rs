//! The `LanguageServer` implementation. Handlers are thin: take a snapshot, convert the
//! position, ask the core, convert back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ropey::Rope;
use serde_json::Value;
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::request::{GotoDeclarationParams, GotoDeclarationResponse};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::position::{Encoding, to_byte_range, to_offset, to_range};
use super::state::{Analyzed, ClientCaps, Document, Project, Shared, Snapshot};
use super::{features, hover, tokens};
use crate::analysis::Engine;
use crate::config::Config;
use crate::lexicon::LexiconError;

/// How long edits settle before diagnostics are computed and pushed.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// [`DEBOUNCE`], or `LEXLS_DEBOUNCE_MS` milliseconds when that is set (read once): a hook for
/// `benches/server.rs`, which sets it to 0 to time an edit's analysis without the wait.
fn debounce() -> Duration {
    static D: std::sync::LazyLock<Duration> = std::sync::LazyLock::new(|| {
        std::env::var("LEXLS_DEBOUNCE_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DEBOUNCE, Duration::from_millis)
    });
    *D
}

pub struct Backend {
    client: Client,
    shared: Shared,
    /// Documents whose diagnostics must be recomputed and pushed.
    dirty: mpsc::UnboundedSender<Uri>,
    /// Set by `shutdown`: the process then exits with 0 on `exit`.
    shutdown: Arc<AtomicBool>,
}

impl Backend {
    /// A server for `client`; `shutdown` is set when the client asks for `shutdown`.
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        let shared = Shared::default();
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(publisher(shared.clone(), client.clone(), rx));
        Backend {
            client,
            shared,
            dirty: tx,
            shutdown,
        }
    }

    /// A test-only request that panics, to check that a panic becomes an error response.
    pub async fn debug_panic(&self, _: Value) -> Result<Value> {
        panic!("lexls/debugPanic: a panic on request, for tests")
    }

    /// A test-only request: the server's current text of an open document (`{ "uri": … }`),
    /// or `null` when it is not open.
    pub async fn debug_text(&self, p: Value) -> Result<Value> {
        let uri: Option<Uri> = p
            .get("uri")
            .and_then(|u| serde_json::from_value(u.clone()).ok());
        let text = uri.and_then(|u| self.shared.lock().docs.get(&u).map(|d| d.rope.to_string()));
        Ok(text.map_or(Value::Null, Value::String))
    }

    fn mark_dirty(&self, uri: &Uri) {
        let _ = self.dirty.send(uri.clone());
    }

    /// Every open document needs checking again (the engine or the config changed):
    /// articles go to the publisher, lexicon and settings files are validated again.
    fn mark_all_dirty(&self) {
        let uris: Vec<Uri> = self.shared.lock().docs.keys().cloned().collect();
        for u in uris {
            self.on_document_changed(&u);
        }
    }

    /// Reads `.lexls.toml` and the lexicon again, and tells the client. A broken file keeps
    /// the last good engine and config; its errors are shown as diagnostics on that file and
    /// in a message.
    fn reload(&self) {
        let fixed = self.reload_state();
        self.announce(fixed, true);
    }

    /// Reads each workspace folder's `.lexls.toml` and lexicon again into the state
    /// (`st.broken` holds the files with errors). Returns the files that were broken and are
    /// not any more.
    fn reload_state(&self) -> Vec<PathBuf> {
        let (roots, settings, previous) = {
            let st = self.shared.lock();
            (st.roots.clone(), st.settings.clone(), st.projects.clone())
        };
        let mut broken: HashMap<PathBuf, Vec<LexiconError>> = HashMap::new();
        let mut report = |path: PathBuf, e: LexiconError| {
            // Folders that share a settings file or a lexicon find its errors once each.
            let errors = broken.entry(path).or_default();
            if !errors.contains(&e) {
                errors.push(e);
            }
        };
        let wanted: Vec<Option<PathBuf>> = if roots.is_empty() {
            vec![None]
        } else {
            roots.into_iter().map(Some).collect()
        };
        let mut projects: Vec<Project> = Vec::with_capacity(wanted.len());
        // The engines built in this reload, by lexicon files (`None`: the files are broken).
        let mut built: Vec<(Vec<PathBuf>, Option<Engine>)> = Vec::new();
        for root in wanted {
            let last = previous.iter().find(|p| p.root == root);
            let config = match effective_config(root.as_deref(), &settings) {
                Ok(c) => c,
                Err((path, e)) => {
                    report(path, e);
                    // A broken settings file keeps the folder's last good engine and config.
                    projects.push(last.cloned().unwrap_or_else(|| Project {
                        root,
                        engine: Engine::embedded(),
                        config: Config::default(),
                    }));
                    continue;
                }
            };
            // Folders with the same lexicon files share one engine, built once.
            let engine = match built.iter().find(|(files, _)| *files == config.lexicon) {
                Some((_, Some(engine))) => engine.clone(),
                Some((_, None)) => last.map_or_else(Engine::embedded, |p| p.engine.clone()),
                None => match crate::cli::engine_for(Some(&config)) {
                    Ok(engine) => {
                        built.push((config.lexicon.clone(), Some(engine.clone())));
                        engine
                    }
                    // A broken lexicon keeps the folder's last good engine; the rest of the
                    // settings (rules, hints) still apply.
                    Err(errors) => {
                        for e in errors {
                            let (path, e) = on_settings_if_missing(e, config.path.as_deref());
                            report(path, e);
                        }
                        built.push((config.lexicon.clone(), None));
                        last.map_or_else(Engine::embedded, |p| p.engine.clone())
                    }
                },
            };
            projects.push(Project {
                root,
                engine,
                config,
            });
        }
        let mut st = self.shared.lock();
        st.projects = projects;
        st.generation += 1;
        let fixed = st
            .broken
            .keys()
            .filter(|p| !broken.contains_key(*p))
            .cloned()
            .collect();
        st.broken = broken;
        fixed
    }

    /// Shows the state of the lexicon and settings files: errors on the broken ones that
    /// are not open (open ones are checked from their text), nothing on `fixed`, a message;
    /// then asks the client to refresh what it supports and checks the open documents again.
    fn announce(&self, fixed: Vec<PathBuf>, refresh: bool) {
        let st = self.shared.lock();
        let enc = st.encoding;
        let caps = st.caps.clone();
        let broken = st.broken.clone();
        let open: std::collections::HashSet<PathBuf> = st
            .docs
            .keys()
            .filter_map(|u| Some(u.to_file_path()?.into_owned()))
            .collect();
        drop(st);
        let mut publish = Vec::new();
        for (path, errors) in &broken {
            if open.contains(path) {
                continue;
            }
            if let Some(uri) = Uri::from_file_path(path) {
                publish.push((uri, disk_diagnostics(path, errors, enc)));
            }
        }
        for p in fixed.iter().filter(|p| !open.contains(*p)) {
            if let Some(uri) = Uri::from_file_path(p) {
                publish.push((uri, Vec::new()));
            }
        }
        let message = (!broken.is_empty()).then(|| {
            let first = broken
                .values()
                .flatten()
                .next()
                .map(ToString::to_string)
                .unwrap_or_default();
            format!(
                "lexls: the lexicon or .lexls.toml has errors; keeping the last good one. {first}"
            )
        });
        let client = self.client.clone();
        tokio::spawn(async move {
            for (uri, diags) in publish {
                client.publish_diagnostics(uri, diags, None).await;
            }
            if let Some(m) = message {
                client.show_message(MessageType::WARNING, m).await;
            }
            if !refresh {
                return;
            }
            // Only what the client said it supports: a request it does not know is an
            // error on its side.
            if caps.refresh_semantic_tokens {
                let _ = client.semantic_tokens_refresh().await;
            }
            if caps.refresh_inlay_hints {
                let _ = client.inlay_hint_refresh().await;
            }
            if caps.pull_diagnostics && caps.refresh_diagnostics {
                let _ = client.workspace_diagnostic_refresh().await;
            }
        });
        self.mark_all_dirty();
    }

    fn is_settings_file(path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n == crate::config::FILE_NAME)
    }

    fn is_lexicon_file(&self, path: &Path) -> bool {
        if path.extension().is_none_or(|e| e != "toml") || Self::is_settings_file(path) {
            return false;
        }
        let st = self.shared.lock();
        st.projects
            .iter()
            .flat_map(|p| &p.config.lexicon)
            .any(|l| path.starts_with(l) || l == path)
            || path
                .parent()
                .and_then(|p| p.file_name())
                .is_some_and(|n| n == "lexicon")
    }

    /// The path of `uri` when it is a settings or lexicon file (checked as TOML, not as an
    /// article).
    fn toml_path(&self, uri: &Uri) -> Option<PathBuf> {
        let p = uri.to_file_path()?.into_owned();
        (Self::is_settings_file(&p) || self.is_lexicon_file(&p)).then_some(p)
    }

    /// Pushes the diagnostics of an open lexicon or settings file, from its current text,
    /// computed off the async threads; only for the version still current when done. In
    /// pull mode the client asks for them instead.
    fn check_toml_document(&self, uri: &Uri, path: PathBuf) {
        let Some(snap) = self.shared.snapshot(uri) else {
            return;
        };
        if snap.caps.pull_diagnostics {
            return;
        }
        let client = self.client.clone();
        let shared = self.shared.clone();
        let uri = uri.clone();
        tokio::spawn(async move {
            let version = snap.version;
            let Ok(diags) =
                tokio::task::spawn_blocking(move || toml_diagnostics(&snap, &path)).await
            else {
                return;
            };
            let current = shared.lock().docs.get(&uri).map(|d| d.version);
            if current == Some(version) {
                client.publish_diagnostics(uri, diags, Some(version)).await;
            }
        });
    }

    fn on_document_changed(&self, uri: &Uri) {
        match self.toml_path(uri) {
            Some(path) => self.check_toml_document(uri, path),
            None => self.mark_dirty(uri),
        }
    }

    async fn analyzed_at(
        &self,
        uri: &Uri,
        pos: Position,
    ) -> Option<(Snapshot, Arc<Analyzed>, usize)> {
        let (snap, a) = self.shared.analyzed(uri).await?;
        let offset = to_offset(&snap.rope, pos, snap.encoding);
        Some((snap, a, offset))
    }
}

/// The byte offset of a 1-based line and character column (clamped).
fn line_col_offset(text: &str, line: u32, column: u32) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    start
        + text[start..]
            .chars()
            .take_while(|c| *c != '\n')
            .take(column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum::<usize>()
}

/// The diagnostics of a lexicon or settings file's text (a snapshot of the open document):
/// settings are parsed; a lexicon file is validated with the built-in lexicon and the
/// workspace's other lexicon files.
fn toml_diagnostics(snap: &Snapshot, path: &Path) -> Vec<Diagnostic> {
    let text = snap.rope.to_string();
    let errors: Vec<LexiconError> = if Backend::is_settings_file(path) {
        match Config::from_toml(&text, path) {
            Ok(_) => Vec::new(),
            Err(e) => {
                let at = line_col_offset(&text, e.line, e.column);
                vec![LexiconError {
                    file: e.file.clone(),
                    line: e.line,
                    column: e.column,
                    span: at..at,
                    message: e.message,
                }]
            }
        }
    } else {
        let mut b = crate::lexicon::LexiconBuilder::new()
            .with_embedded()
            .overriding();
        for p in &snap.config.lexicon {
            if p.is_dir() {
                if let Ok(rd) = std::fs::read_dir(p) {
                    let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
                    files.sort();
                    for f in files {
                        if f != path && f.extension().is_some_and(|e| e == "toml") {
                            b.add_path(&f);
                        }
                    }
                }
            } else if p != path {
                b.add_path(p);
            }
        }
        b.add_text(crate::lexicon::Origin::File(path.to_owned()), text.clone());
        let shown = path.display().to_string();
        b.build()
            .err()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.file == shown)
            .collect()
    };
    errors_to_diagnostics(&errors, &snap.rope, snap.encoding)
}

/// An error about a lexicon file that does not exist is shown on the settings file that
/// lists it, at the entry, rather than on a file the editor cannot open.
fn on_settings_if_missing(e: LexiconError, settings: Option<&Path>) -> (PathBuf, LexiconError) {
    let path = PathBuf::from(&e.file);
    let Some(settings) = settings.filter(|_| !path.exists()) else {
        return (path, e);
    };
    let text = std::fs::read_to_string(settings).unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let span = text
        .find(&name)
        .filter(|_| !name.is_empty())
        .map_or(0..0, |at| at..at + name.len());
    let (line, column) = crate::lexicon::line_col(&text, span.start);
    let e = LexiconError {
        file: settings.display().to_string(),
        line,
        column,
        span,
        message: format!("{}: {}", e.file, e.message),
    };
    (settings.to_owned(), e)
}

/// Diagnostics for a file that is not open, from its text on disk.
fn disk_diagnostics(path: &Path, errors: &[LexiconError], enc: Encoding) -> Vec<Diagnostic> {
    let rope = Rope::from_str(&std::fs::read_to_string(path).unwrap_or_default());
    errors_to_diagnostics(errors, &rope, enc)
}

fn errors_to_diagnostics(errors: &[LexiconError], rope: &Rope, enc: Encoding) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|e| {
            let text_len = rope.len_bytes();
            let span = e.span.start.min(text_len)..e.span.end.min(text_len);
            Diagnostic {
                range: to_range(rope, span, enc),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("lexls".into()),
                code: Some(NumberOrString::String("lexicon".into())),
                message: e.message.clone(),
                ..Diagnostic::default()
            }
        })
        .collect()
}

/// A workspace folder's project file (the nearest `.lexls.toml` at or above `root`) merged
/// with the editor's settings: the project file decides rules, lexicon and ignores; the
/// editor's settings add rules the file does not set and decide the display keys
/// (`inlay-hints`, `entity-hints`).
fn effective_config(
    root: Option<&Path>,
    settings: &Value,
) -> std::result::Result<Config, (PathBuf, LexiconError)> {
    let file = match root.map(Config::discover) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            let path = PathBuf::from(&e.file);
            // The error knows its line and column; the diagnostic needs the offset.
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let at = line_col_offset(&text, e.line, e.column);
            return Err((
                path,
                LexiconError {
                    file: e.file,
                    line: e.line,
                    column: e.column,
                    span: at..at,
                    message: e.message,
                },
            ));
        }
        None => None,
    };
    let editor = if settings.is_object() {
        Config::from_json(settings, root).unwrap_or_else(|e| {
            // Bad editor settings must not stop the server; say why they are ignored.
            crate::log(&format!("lexls: ignoring the editor's settings: {e}"));
            Config::default()
        })
    } else {
        Config::default()
    };
    let Some(mut c) = file else { return Ok(editor) };
    for (rule, level) in editor.rules {
        c.rules.entry(rule).or_insert(level);
    }
    c.lexicon.extend(editor.lexicon);
    c.allow.extend(editor.allow);
    if settings.get("inlay-hints").is_some() {
        c.inlay_hints = editor.inlay_hints;
    }
    if settings.get("entity-hints").is_some() {
        c.entity_hints = editor.entity_hints;
    }
    Ok(c)
}

/// The keys of lexls settings (those of `.lexls.toml`).
const SETTINGS_KEYS: [&str; 9] = [
    "lexicon",
    "inlay-hints",
    "entity-hints",
    "rules",
    "allow",
    "include",
    "exclude",
    "ignore",
    "overrides",
];

/// The lexls settings in what a client sent, or `Null` when it sent none: under a `lexls`
/// key, or flat when every key is a lexls key. Anything else (an empty object, as Eglot
/// sends after starting, or other servers' sections) leaves the current settings alone.
fn settings_of(v: Option<Value>) -> Value {
    let Some(Value::Object(mut m)) = v else {
        return Value::Null;
    };
    match m.remove("lexls") {
        Some(Value::Object(inner)) if !inner.is_empty() => Value::Object(inner),
        Some(_) => Value::Null,
        None if !m.is_empty() && m.keys().all(|k| SETTINGS_KEYS.contains(&k.as_str())) => {
            Value::Object(m)
        }
        None => Value::Null,
    }
}

/// Pushes diagnostics for dirty documents, debounced, for the version current when done.
async fn publisher(shared: Shared, client: Client, mut rx: mpsc::UnboundedReceiver<Uri>) {
    while let Some(first) = rx.recv().await {
        tokio::time::sleep(debounce()).await;
        let mut pending = vec![first];
        while let Ok(u) = rx.try_recv() {
            if !pending.contains(&u) {
                pending.push(u);
            }
        }
        for uri in pending {
            let (pull, closed) = {
                let st = shared.lock();
                (st.caps.pull_diagnostics, !st.docs.contains_key(&uri))
            };
            if pull || closed {
                continue;
            }
            let Some((snap, a)) = shared.checked(&uri).await else {
                continue;
            };
            let current = shared.lock().docs.get(&uri).map(|d| d.version);
            if current != Some(snap.version) {
                continue; // a newer version is on its way
            }
            let diags = features::diagnostics(&snap, &a);
            client
                .publish_diagnostics(uri, diags, Some(snap.version))
                .await;
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let td = params.capabilities.text_document.as_ref();
        let ws = params.capabilities.workspace.as_ref();
        let caps = ClientCaps {
            markdown_hover: td
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .is_none_or(|f| f.contains(&MarkupKind::Markdown)),
            pull_diagnostics: td.and_then(|t| t.diagnostic.as_ref()).is_some(),
            watch_files_dynamic: params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            related_information: td
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false),
            refresh_semantic_tokens: ws
                .and_then(|w| w.semantic_tokens.as_ref())
                .and_then(|t| t.refresh_support)
                .unwrap_or(false),
            refresh_inlay_hints: ws
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|t| t.refresh_support)
                .unwrap_or(false),
            refresh_diagnostics: ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|t| t.refresh_support)
                .unwrap_or(false),
        };
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty()
            && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            roots.push(p.into_owned());
        }
        {
            let mut st = self.shared.lock();
            st.encoding = enc;
            st.caps = caps.clone();
            st.roots = roots;
            st.settings = settings_of(params.initialization_options);
        }
        // Messages sent before `initialized` are dropped: the state is shown then.
        self.reload_state();
        let sync = TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..Default::default()
        });
        let capabilities = ServerCapabilities {
            position_encoding: Some(enc.kind()),
            text_document_sync: Some(sync),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            declaration_provider: Some(DeclarationCapability::Simple(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions::default()),
            inlay_hint_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::new(features::NORMALIZE_ACTION),
                ]),
                ..Default::default()
            })),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: tokens::legend(),
                    full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                    range: Some(true),
                    ..Default::default()
                }),
            ),
            diagnostic_provider: caps.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("lexls".into()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    ..Default::default()
                })
            }),
            workspace: Some(WorkspaceServerCapabilities {
                workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..Default::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "lexls".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.announce(Vec::new(), false);
        if self.shared.lock().caps.watch_files_dynamic {
            let client = self.client.clone();
            tokio::spawn(async move {
                let watchers = ["**/.lexls.toml", "**/*.toml"]
                    .into_iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g.into()),
                        kind: None,
                    })
                    .collect();
                let options = DidChangeWatchedFilesRegistrationOptions { watchers };
                let reg = Registration {
                    id: "lexls-watch".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(options).ok(),
                };
                let _ = client.register_capability(vec![reg]).await;
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.lock().shutting_down = true;
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    // Document sync. Edits are applied synchronously, before any `.await`, so they apply in
    // the order the client sent them.
    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        self.shared.lock().docs.insert(
            doc.uri.clone(),
            Document {
                rope: Rope::from_str(&doc.text),
                version: doc.version,
                analyzed: None,
                tokens: None,
            },
        );
        self.on_document_changed(&doc.uri);
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        {
            let mut st = self.shared.lock();
            let enc = st.encoding;
            let Some(doc) = st.docs.get_mut(&uri) else {
                return;
            };
            for change in p.content_changes {
                match change.range {
                    Some(range) => {
                        let r = to_byte_range(&doc.rope, range, enc);
                        let (s, e) = (doc.rope.byte_to_char(r.start), doc.rope.byte_to_char(r.end));
                        doc.rope.remove(s..e);
                        doc.rope.insert(s, &change.text);
                    }
                    None => doc.rope = Rope::from_str(&change.text),
                }
            }
            doc.version = p.text_document.version;
        }
        self.on_document_changed(&uri);
    }

    async fn did_save(&self, p: DidSaveTextDocumentParams) {
        if let Some(path) = p.text_document.uri.to_file_path()
            && (Self::is_settings_file(&path) || self.is_lexicon_file(&path))
        {
            self.reload();
        }
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        let uri = p.text_document.uri;
        let path = uri.to_file_path().map(|p| p.into_owned());
        let (pull, enc, errors) = {
            let mut st = self.shared.lock();
            st.docs.remove(&uri);
            let errors = path.as_ref().and_then(|p| st.broken.get(p).cloned());
            (st.caps.pull_diagnostics, st.encoding, errors)
        };
        // A broken lexicon or settings file shows the errors of its text on disk again;
        // anything else has nothing to show once closed.
        if pull && errors.is_none() {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            let diags = match (&errors, &path) {
                (Some(e), Some(path)) => disk_diagnostics(path, e, enc),
                _ => Vec::new(),
            };
            client.publish_diagnostics(uri, diags, None).await
        });
    }

    async fn did_change_configuration(&self, p: DidChangeConfigurationParams) {
        let s = settings_of(Some(p.settings));
        if !s.is_null() {
            self.shared.lock().settings = s;
        }
        self.reload();
    }

    async fn did_change_watched_files(&self, p: DidChangeWatchedFilesParams) {
        let relevant = p.changes.iter().any(|c| {
            c.uri
                .to_file_path()
                .is_some_and(|path| Self::is_settings_file(&path) || self.is_lexicon_file(&path))
        });
        if relevant {
            self.reload();
        }
    }

    async fn did_change_workspace_folders(&self, p: DidChangeWorkspaceFoldersParams) {
        {
            let mut st = self.shared.lock();
            for f in p.event.removed {
                if let Some(path) = f.uri.to_file_path() {
                    st.roots.retain(|r| r != path.as_ref());
                }
            }
            for f in p.event.added {
                if let Some(path) = f.uri.to_file_path() {
                    st.roots.push(path.into_owned());
                }
            }
        }
        self.reload();
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        let pp = p.text_document_position_params;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        let Some((i, m)) = a.analysis.mention_at(offset) else {
            return Ok(None);
        };
        let md = snap.caps.markdown_hover;
        let value = hover::render(snap.engine.lexicon(), &a.analysis, &a.text, i, md);
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: if md {
                    MarkupKind::Markdown
                } else {
                    MarkupKind::PlainText
                },
                value,
            }),
            range: Some(to_range(&snap.rope, m.span.clone(), snap.encoding)),
        }))
    }

    async fn goto_definition(
        &self,
        p: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pp = p.text_document_position_params;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        let Some((_, m)) = a.analysis.mention_at(offset) else {
            return Ok(None);
        };
        Ok(
            features::record_location(snap.engine.lexicon(), m.entity.record)
                .map(GotoDefinitionResponse::Scalar),
        )
    }

    async fn goto_declaration(
        &self,
        p: GotoDeclarationParams,
    ) -> Result<Option<GotoDeclarationResponse>> {
        let pp = p.text_document_position_params;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        let Some((i, _)) = a.analysis.mention_at(offset) else {
            return Ok(None);
        };
        Ok(features::declaration(&snap, &a, i).map(GotoDeclarationResponse::Scalar))
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pp = p.text_document_position;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        let Some((_, m)) = a.analysis.mention_at(offset) else {
            return Ok(None);
        };
        let entity = m.entity;
        // Open documents first (their unsaved text), then the workspace's files on disk.
        let open: Vec<Uri> = self.shared.lock().docs.keys().cloned().collect();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for uri in open {
            if let Some((s, an)) = self.shared.analyzed(&uri).await {
                seen.extend(uri.to_file_path().map(|p| p.into_owned()));
                out.extend(features::locations_of(&s, &an, entity));
            }
        }
        let roots = self.shared.lock().roots.clone();
        let engine = snap.engine.clone();
        let enc = snap.encoding;
        let from_disk = tokio::task::spawn_blocking(move || {
            features::workspace_references(&roots, &seen, &engine, entity, enc)
        })
        .await
        .unwrap_or_default();
        out.extend(from_disk);
        Ok(Some(out))
    }

    async fn document_highlight(
        &self,
        p: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let pp = p.text_document_position_params;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        let Some((_, m)) = a.analysis.mention_at(offset) else {
            return Ok(None);
        };
        let e = m.entity;
        Ok(Some(
            a.analysis
                .mentions
                .iter()
                .filter(|x| x.entity == e)
                .map(|x| DocumentHighlight {
                    range: to_range(&snap.rope, x.span.clone(), snap.encoding),
                    kind: Some(DocumentHighlightKind::TEXT),
                })
                .collect(),
        ))
    }

    async fn semantic_tokens_full(
        &self,
        p: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let uri = p.text_document.uri;
        let Some((snap, a)) = self.shared.analyzed(&uri).await else {
            return Ok(None);
        };
        let data = Arc::new(tokens::encode_all(&snap, &a));
        let id = self.remember_tokens(&uri, data.clone());
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: Some(id),
            data: tokens::to_tokens(&data),
        })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        p: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = p.text_document.uri;
        let Some((snap, a)) = self.shared.analyzed(&uri).await else {
            return Ok(None);
        };
        let data = Arc::new(tokens::encode_all(&snap, &a));
        let previous = self
            .shared
            .lock()
            .docs
            .get(&uri)
            .and_then(|d| d.tokens.clone());
        let id = self.remember_tokens(&uri, data.clone());
        match previous {
            Some((prev_id, prev)) if prev_id == p.previous_result_id => Ok(Some(
                SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                    result_id: Some(id),
                    edits: tokens::diff(&prev, &data),
                }),
            )),
            _ => Ok(Some(SemanticTokensFullDeltaResult::Tokens(
                SemanticTokens {
                    result_id: Some(id),
                    data: tokens::to_tokens(&data),
                },
            ))),
        }
    }

    async fn semantic_tokens_range(
        &self,
        p: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let Some((snap, a)) = self.shared.analyzed(&p.text_document.uri).await else {
            return Ok(None);
        };
        let range = to_byte_range(&snap.rope, p.range, snap.encoding);
        let data = tokens::encode(
            snap.engine.lexicon(),
            &a.analysis,
            (&a.text, &snap.rope),
            snap.encoding,
            Some(range),
        );
        Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
            result_id: None,
            data: tokens::to_tokens(&data),
        })))
    }

    async fn diagnostic(
        &self,
        p: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = &p.text_document.uri;
        let items = match self.toml_path(uri) {
            Some(path) => match self.shared.snapshot(uri) {
                Some(snap) => tokio::task::spawn_blocking(move || toml_diagnostics(&snap, &path))
                    .await
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            None => match self.shared.checked(uri).await {
                Some((snap, a)) => features::diagnostics(&snap, &a),
                None => Vec::new(),
            },
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn code_action(&self, p: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((snap, a)) = self.shared.checked(&p.text_document.uri).await else {
            return Ok(None);
        };
        Ok(Some(features::code_actions(
            &snap,
            &a,
            p.range,
            p.context.only.as_deref(),
        )))
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pp = p.text_document_position;
        let Some((snap, a, offset)) = self.analyzed_at(&pp.text_document.uri, pp.position).await
        else {
            return Ok(None);
        };
        Ok(features::completion(&snap, &a, offset).map(CompletionResponse::Array))
    }

    async fn document_symbol(
        &self,
        p: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((snap, a)) = self.shared.analyzed(&p.text_document.uri).await else {
            return Ok(None);
        };
        Ok(Some(DocumentSymbolResponse::Nested(
            features::document_symbols(&snap, &a),
        )))
    }

    async fn symbol(&self, p: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        // Every folder's lexicon (a symbol search has no document to choose by), each once:
        // folders with the same lexicon files share an engine.
        let mut engines: Vec<Engine> = Vec::new();
        for project in &self.shared.lock().projects {
            if !engines
                .iter()
                .any(|e| std::ptr::eq(e.lexicon(), project.engine.lexicon()))
            {
                engines.push(project.engine.clone());
            }
        }
        if engines.is_empty() {
            engines.push(Engine::embedded());
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(
            features::workspace_symbols(engines.iter().map(Engine::lexicon), &p.query),
        )))
    }

    async fn inlay_hint(&self, p: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((snap, a)) = self.shared.analyzed(&p.text_document.uri).await else {
            return Ok(None);
        };
        let range = to_byte_range(&snap.rope, p.range, snap.encoding);
        Ok(Some(features::inlay_hints(&snap, &a, range)))
    }
}

impl Backend {
    fn remember_tokens(&self, uri: &Uri, data: Arc<Vec<u32>>) -> String {
        let mut st = self.shared.lock();
        st.next_result_id += 1;
        let id = st.next_result_id.to_string();
        if let Some(doc) = st.docs.get_mut(uri) {
            doc.tokens = Some((id.clone(), data));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_taken_only_when_they_are_lexls_settings() {
        let flat = json!({"inlay-hints": "off"});
        assert_eq!(settings_of(Some(flat.clone())), flat);
        assert_eq!(settings_of(Some(json!({"lexls": flat.clone()}))), flat);
        assert_eq!(settings_of(Some(json!({}))), Value::Null);
        assert_eq!(settings_of(Some(json!({"lexls": {}}))), Value::Null);
        assert_eq!(
            settings_of(Some(json!({"rust-analyzer": {"x": 1}}))),
            Value::Null
        );
        assert_eq!(settings_of(Some(json!(null))), Value::Null);
        assert_eq!(settings_of(None), Value::Null);
    }
}
