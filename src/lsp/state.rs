//! The server's state: open documents (a `Rope` each), an engine and a config for each
//! workspace folder, and one cache of analyses keyed by document version and engine
//! generation.
//!
//! The lock is a `std::sync::Mutex` held only for short synchronous sections, never across
//! an `.await`; a poisoned lock (a handler panicked while holding it) is recovered, since
//! every section leaves the state consistent before it can panic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use ropey::Rope;
use tower_lsp_server::ls_types::Uri;

use super::position::Encoding;
use crate::analysis::{Analysis, Engine};
use crate::config::Config;
use crate::lexicon::LexiconError;
use crate::rules::{self, Finding};

/// An open document.
#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// The last analysis, for `(version, generation)`.
    pub analyzed: Option<Arc<Analyzed>>,
    /// The last semantic tokens sent: (result id, data).
    pub tokens: Option<(String, Arc<Vec<u32>>)>,
}

/// An analysis of one version of a document. The lint findings are computed on first use:
/// semantic tokens, hovers and the like need only the analysis.
#[derive(Debug)]
pub struct Analyzed {
    pub version: i32,
    pub generation: u64,
    pub text: Arc<str>,
    pub analysis: Analysis,
    findings: std::sync::OnceLock<Vec<Finding>>,
}

impl Analyzed {
    /// The lint findings; `snap` is the snapshot this analysis was made or found for.
    pub fn findings(&self, snap: &Snapshot) -> &[Finding] {
        self.findings.get_or_init(|| {
            rules::check(&rules::Context {
                engine: &snap.engine,
                text: &self.text,
                analysis: &self.analysis,
                config: &snap.config,
                path: snap.path.as_deref(),
            })
        })
    }
}

/// What the client can do, from `initialize`.
#[derive(Clone, Debug, Default)]
pub struct ClientCaps {
    pub markdown_hover: bool,
    pub pull_diagnostics: bool,
    pub watch_files_dynamic: bool,
    pub related_information: bool,
    /// `workspace/semanticTokens/refresh` is supported.
    pub refresh_semantic_tokens: bool,
    /// `workspace/inlayHint/refresh` is supported.
    pub refresh_inlay_hints: bool,
    /// `workspace/diagnostic/refresh` is supported.
    pub refresh_diagnostics: bool,
}

/// Everything the handlers share.
#[derive(Debug, Default)]
pub struct State {
    pub docs: HashMap<Uri, Document>,
    pub encoding: Encoding,
    pub caps: ClientCaps,
    pub roots: Vec<PathBuf>,
    /// Each workspace folder's engine and config, in the order of `roots` (one without a
    /// root when there is none). Empty until the first reload.
    pub projects: Vec<Project>,
    /// Editor settings as sent (`initializationOptions` / `didChangeConfiguration`).
    pub settings: serde_json::Value,
    /// Bumped whenever the engine or config changes: cached analyses become stale.
    pub generation: u64,
    /// Lexicon and config files that have problems now, with their errors.
    pub broken: HashMap<PathBuf, Vec<LexiconError>>,
    pub next_result_id: u64,
    pub shutting_down: bool,
}

/// What a workspace folder's documents are checked with: its last good engine and its
/// effective config (the nearest `.lexls.toml` at or above it, merged with the editor's
/// settings). Folders in one workspace can have different lexicons and rules.
#[derive(Clone, Debug)]
pub struct Project {
    pub root: Option<PathBuf>,
    pub engine: Engine,
    pub config: Config,
}

impl State {
    /// The project of a document at `path`: the deepest workspace folder that holds it, else
    /// the first folder (a document opened from outside the workspace is checked with the
    /// workspace's first lexicon, as a single-folder workspace always did). `None` before
    /// the first reload.
    pub fn project_for(&self, path: Option<&Path>) -> Option<&Project> {
        let holding = path.and_then(|path| {
            self.projects
                .iter()
                .filter(|p| p.root.as_deref().is_some_and(|r| path.starts_with(r)))
                .max_by_key(|p| p.root.as_ref().map_or(0, |r| r.components().count()))
        });
        holding.or_else(|| self.projects.first())
    }
}

/// Up to this size, a document's lint findings are computed with its analysis, on the
/// blocking pool; above it, on first use.
const EAGER_FINDINGS_MAX_BYTES: usize = 256 * 1024;

/// The lock around [`State`].
#[derive(Debug, Default, Clone)]
pub struct Shared(Arc<Mutex<State>>);

/// What a request needs of a document, taken under the lock and used without it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub uri: Uri,
    pub rope: Rope,
    pub version: i32,
    pub encoding: Encoding,
    pub engine: Engine,
    pub config: Config,
    pub generation: u64,
    pub caps: ClientCaps,
    pub path: Option<PathBuf>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A snapshot of an open document, or `None` when it is not open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let st = self.lock();
        let doc = st.docs.get(uri)?;
        let path = uri.to_file_path().map(|p| p.into_owned());
        let project = st.project_for(path.as_deref());
        Some(Snapshot {
            uri: uri.clone(),
            rope: doc.rope.clone(),
            version: doc.version,
            encoding: st.encoding,
            engine: project.map_or_else(Engine::embedded, |p| p.engine.clone()),
            config: project.map(|p| p.config.clone()).unwrap_or_default(),
            generation: st.generation,
            caps: st.caps.clone(),
            path,
        })
    }

    /// The analysis of the current version of `uri`, from the cache or computed now (off the
    /// async threads). `None` when the document is not open.
    pub async fn analyzed(&self, uri: &Uri) -> Option<(Snapshot, Arc<Analyzed>)> {
        let snap = self.snapshot(uri)?;
        if let Some(a) = self.cached(uri, snap.version, snap.generation) {
            return Some((snap, a));
        }
        let previous = self.previous(uri, snap.generation);
        let s = snap.clone();
        let analyzed = tokio::task::spawn_blocking(move || {
            let analyzed = analyze(&s, previous.as_deref());
            // Diagnostics are wanted for nearly every version: compute them here, off the
            // async threads, unless the analysis alone was wanted quickly (a large document).
            if s.rope.len_bytes() <= EAGER_FINDINGS_MAX_BYTES {
                analyzed.findings(&s);
            }
            Arc::new(analyzed)
        })
        .await
        .ok()?;
        let mut st = self.lock();
        let current_generation = st.generation == snap.generation;
        if let Some(doc) = st.docs.get_mut(uri)
            && doc.version == snap.version
            && current_generation
        {
            doc.analyzed = Some(analyzed.clone());
        }
        Some((snap, analyzed))
    }

    /// Like [`Shared::analyzed`], with the lint findings computed (off the async threads).
    pub async fn checked(&self, uri: &Uri) -> Option<(Snapshot, Arc<Analyzed>)> {
        let (snap, a) = self.analyzed(uri).await?;
        if a.findings.get().is_none() {
            let (s, b) = (snap.clone(), a.clone());
            tokio::task::spawn_blocking(move || {
                b.findings(&s);
            })
            .await
            .ok()?;
        }
        Some((snap, a))
    }

    /// The last analysis of `uri` made with the engine of `generation`, whatever its version:
    /// what an analysis of the current version can reuse.
    fn previous(&self, uri: &Uri, generation: u64) -> Option<Arc<Analyzed>> {
        let st = self.lock();
        let a = st.docs.get(uri)?.analyzed.as_ref()?;
        (a.generation == generation).then(|| a.clone())
    }

    fn cached(&self, uri: &Uri, version: i32, generation: u64) -> Option<Arc<Analyzed>> {
        let st = self.lock();
        let a = st.docs.get(uri)?.analyzed.as_ref()?;
        (a.version == version && a.generation == generation).then(|| a.clone())
    }
}

/// Analyses a snapshot: mentions and definitions, reusing what an edit left alone of the
/// `previous` analysis (made with the same engine).
pub fn analyze(s: &Snapshot, previous: Option<&Analyzed>) -> Analyzed {
    let text: Arc<str> = Arc::from(s.rope.to_string());
    let analysis = s
        .engine
        .reanalyze(&text, previous.map(|p| (&*p.text, &p.analysis)));
    Analyzed {
        version: s.version,
        generation: s.generation,
        text,
        analysis,
        findings: std::sync::OnceLock::new(),
    }
}
