//! Conversions of core results to protocol types, one function per feature.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::position::{Encoding, Positions, to_range};
use super::state::{Analyzed, Snapshot};
use crate::analysis::Engine;
use crate::config::InlayHints;
use crate::lexicon::{EntityRef, Kind, Lang, Lexicon, Origin, RecordId};
use crate::matcher::Via;
use crate::normalize::strip_diacritics;
use crate::rules::{Finding, Severity};

/// The code action kind of "normalise Unicode and tone marks in this document".
pub const NORMALIZE_ACTION: &str = "source.normalizeUnicode.lexls";

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The diagnostic of finding `f`, its spans placed by `range_of`.
fn diagnostic(
    snap: &Snapshot,
    range_of: impl Fn(std::ops::Range<usize>) -> Range,
    f: &Finding,
) -> Diagnostic {
    let related = (snap.caps.related_information && !f.related.is_empty()).then(|| {
        f.related
            .iter()
            .map(|(span, message)| DiagnosticRelatedInformation {
                location: Location::new(snap.uri.clone(), range_of(span.clone())),
                message: message.clone(),
            })
            .collect()
    });
    Diagnostic {
        range: range_of(f.span.clone()),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_owned())),
        source: Some("lexls".into()),
        message: f.message.clone(),
        related_information: related,
        data: Some(serde_json::json!({ "rule": f.rule, "version": snap.version })),
        ..Diagnostic::default()
    }
}

/// The byte offsets a finding's diagnostic needs the positions of: the ends of its span and
/// of its related spans.
fn offsets(f: &Finding) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(&f.span)
        .chain(f.related.iter().map(|(span, _)| span))
        .flat_map(|span| [span.start, span.end])
}

/// The diagnostics of a document: the rules' findings, plus every mention as a hint when
/// `entity-hints` is on (for editors without semantic tokens).
pub fn diagnostics(snap: &Snapshot, a: &Analyzed) -> Vec<Diagnostic> {
    let findings = a.findings(snap);
    let hints = if snap.config.entity_hints {
        &a.analysis.mentions[..]
    } else {
        &[]
    };
    // Every offset a diagnostic needs, converted in one pass over the text.
    let positions = Positions::new(
        &a.text,
        snap.encoding,
        findings
            .iter()
            .flat_map(offsets)
            .chain(hints.iter().flat_map(|m| [m.span.start, m.span.end])),
    );
    let mut out: Vec<Diagnostic> = findings
        .iter()
        .map(|f| diagnostic(snap, |r| positions.range(r), f))
        .collect();
    let lx = snap.engine.lexicon();
    for m in hints {
        let r = lx.record(m.entity.record);
        let label = lx.label(m.entity, Lang::En);
        out.push(Diagnostic {
            range: positions.range(m.span.clone()),
            severity: Some(DiagnosticSeverity::HINT),
            code: Some(NumberOrString::String("entity".into())),
            source: Some("lexls".into()),
            message: format!("{label} ({})", r.kind.label(Lang::En)),
            ..Diagnostic::default()
        });
    }
    out
}

/// Where a record is written: its file (the embedded lexicon is copied to the cache folder)
/// at the line of its `id`.
pub fn record_location(lx: &Lexicon, id: RecordId) -> Option<Location> {
    let r = lx.record(id);
    let path = match &lx.source(r.location.source).origin {
        Origin::File(p) => std::path::absolute(p).ok()?,
        Origin::Embedded(name) => embedded_path(name)?,
    };
    let uri = Uri::from_file_path(path)?;
    let pos = Position::new(r.location.line - 1, r.location.column - 1);
    Some(Location::new(uri, Range::new(pos, pos)))
}

/// The cache copy of an embedded lexicon file, written once per process under a lock:
/// `materialize_embedded` names its temporary file after the process only, so two requests
/// writing the same file at once made one of them fail (and "go to definition" answer null).
fn embedded_path(name: &'static str) -> Option<PathBuf> {
    static PATHS: std::sync::Mutex<BTreeMap<&'static str, PathBuf>> =
        std::sync::Mutex::new(BTreeMap::new());
    let mut paths = PATHS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(p) = paths.get(name)
        && p.is_file()
    {
        return Some(p.clone());
    }
    let p = crate::lexicon::materialize_embedded(name).ok()?;
    paths.insert(name, p.clone());
    Some(p)
}

/// Where the document spells out the mention's acronym: the definition's long form.
pub fn declaration(snap: &Snapshot, a: &Analyzed, index: usize) -> Option<Location> {
    let analysis = &a.analysis;
    let m = &analysis.mentions[index];
    let lx = snap.engine.lexicon();
    let def = analysis
        .defined_by
        .get(index)
        .copied()
        .flatten()
        .map(|d| &analysis.definitions[d])
        .or_else(|| {
            analysis.definitions.iter().find(|d| {
                d.bound(lx)
                    .is_some_and(|b| crate::matcher::same_family(lx, b, m.entity))
            })
        })?;
    let span = def.long.start.min(def.short.start)..def.long.end.max(def.short.end);
    Some(Location::new(
        snap.uri.clone(),
        to_range(&snap.rope, span, snap.encoding),
    ))
}

/// The mentions of `entity` in an analysed document.
pub fn locations_of(snap: &Snapshot, a: &Analyzed, entity: EntityRef) -> Vec<Location> {
    a.analysis
        .mentions
        .iter()
        .filter(|m| m.entity == entity)
        .map(|m| {
            Location::new(
                snap.uri.clone(),
                to_range(&snap.rope, m.span.clone(), snap.encoding),
            )
        })
        .collect()
}

/// Folders never searched for references.
const SKIP_DIRS: [&str; 5] = ["target", "node_modules", ".git", "dist", "build"];
/// At most this many files are read for references.
const MAX_FILES: usize = 5_000;
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Mentions of `entity` in the workspace's `*.txt` and `*.md` files that are not open.
pub fn workspace_references(
    roots: &[PathBuf],
    skip: &HashSet<PathBuf>,
    engine: &Engine,
    entity: EntityRef,
    enc: Encoding,
) -> Vec<Location> {
    let mut files = Vec::new();
    for root in roots {
        collect_files(root, &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for path in files.into_iter().filter(|p| !skip.contains(p)) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some(uri) = Uri::from_file_path(&path) else {
            continue;
        };
        let a = engine.analyze(&text);
        let rope = Rope::from_str(&text);
        for m in a.mentions.iter().filter(|m| m.entity == entity) {
            out.push(Location::new(
                uri.clone(),
                to_range(&rope, m.span.clone(), enc),
            ));
        }
    }
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        if out.len() >= MAX_FILES {
            return;
        }
        let p = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !name.starts_with('.') && !SKIP_DIRS.contains(&name.as_ref()) {
                collect_files(&p, out);
            }
        } else if ft.is_file()
            && p.extension().is_some_and(|x| x == "txt" || x == "md")
            && e.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES)
        {
            out.push(p);
        }
    }
}

/// Quick fixes for findings in `range`, and the normalise source action.
pub fn code_actions(
    snap: &Snapshot,
    a: &Analyzed,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    // Kinds are hierarchical by dots: `source` asks for `source.normalizeUnicode.lexls`,
    // `source.normalize` does not.
    let wants = |k: &CodeActionKind| {
        only.is_none_or(|o| {
            o.iter().any(|x| {
                let (k, x) = (k.as_str(), x.as_str());
                k == x || k.strip_prefix(x).is_some_and(|rest| rest.starts_with('.'))
            })
        })
    };
    let mut out = Vec::new();
    let bytes = super::position::to_byte_range(&snap.rope, range, snap.encoding);
    if wants(&CodeActionKind::QUICKFIX) {
        for f in a.findings(snap) {
            let touches = f.span.start <= bytes.end && bytes.start <= f.span.end;
            if !touches {
                continue;
            }
            for (i, fix) in f.fixes.iter().enumerate() {
                let edits: Vec<TextEdit> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        TextEdit::new(
                            to_range(&snap.rope, e.range.clone(), snap.encoding),
                            e.replacement.clone(),
                        )
                    })
                    .collect();
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    // A few findings at the cursor: the rope places them without reading
                    // the text up to them.
                    diagnostics: Some(vec![diagnostic(
                        snap,
                        |r| to_range(&snap.rope, r, snap.encoding),
                        f,
                    )]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(snap.uri.clone(), edits)])),
                        ..Default::default()
                    }),
                    is_preferred: Some(i == 0 && fix.safe),
                    ..Default::default()
                }));
            }
        }
    }
    let kind = CodeActionKind::new(NORMALIZE_ACTION);
    if wants(&kind) {
        let canonical = crate::normalize::canonical_text(&a.text);
        if canonical != *a.text {
            let whole = to_range(&snap.rope, 0..a.text.len(), snap.encoding);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Normalise Unicode and tone marks in this document".into(),
                kind: Some(kind),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(
                        snap.uri.clone(),
                        vec![TextEdit::new(whole, canonical)],
                    )])),
                    ..Default::default()
                }),
                ..Default::default()
            }));
        }
    }
    out
}

/// The word being typed before `offset`: letters, digits, `-`.
fn prefix_at(text: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '-')
        .last()
        .map_or(offset, |(i, _)| i);
    (start, &text[start..offset])
}

fn fold_key(s: &str) -> String {
    strip_diacritics(s).to_lowercase()
}

/// Records whose acronym, names or aliases start with the word being typed.
pub fn completion(snap: &Snapshot, a: &Analyzed, offset: usize) -> Option<Vec<CompletionItem>> {
    let (start, prefix) = prefix_at(&a.text, offset);
    if prefix.is_empty() {
        return None;
    }
    let key = fold_key(prefix);
    let lx = snap.engine.lexicon();
    let lang = a.analysis.lang(&a.text);
    let range = to_range(&snap.rope, start..offset, snap.encoding);
    let mut items = Vec::new();
    for (i, r) in lx.records().iter().enumerate() {
        let id = RecordId(i as u32);
        let e = EntityRef {
            record: id,
            edition: r.facts.edition,
        };
        // A meeting's acronym and names are derived from its series (`AMIM-20`).
        let derived = (r.kind == Kind::Meeting).then(|| {
            [
                lx.acronym(e),
                Some(lx.label(e, Lang::En)),
                Some(lx.label(e, Lang::Vi)),
            ]
        });
        let forms = r
            .acronyms
            .iter()
            .chain(r.name.en.iter())
            .chain(r.name.vi.iter())
            .chain(r.aliases.iter().map(|a| &a.text))
            .cloned()
            .chain(derived.into_iter().flatten().flatten());
        let Some(hit) = forms.into_iter().find(|f| fold_key(f).starts_with(&key)) else {
            continue;
        };
        let name = lx.label(e, lang);
        let detail = format!("{} · {}", r.kind.label(Lang::En), lx.label(e, Lang::En));
        let doc = r
            .description
            .prefer(lang)
            .map(|d| Documentation::String(d.to_owned()));
        let mut add = |label: String, sort: u8| {
            items.push(CompletionItem {
                label: label.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(detail.clone()),
                documentation: doc.clone(),
                filter_text: Some(format!("{hit} {label}")),
                sort_text: Some(format!("{sort}{}", fold_key(&label))),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, label))),
                ..Default::default()
            });
        };
        match lx.acronym(e) {
            Some(acr) => {
                add(format!("{name} ({acr})"), 0);
                add(acr, 1);
                add(name, 2);
            }
            None => add(name, 0),
        }
        if items.len() > 200 {
            break;
        }
    }
    Some(items)
}

fn symbol_kind(k: Kind) -> SymbolKind {
    match k {
        Kind::Organisation => SymbolKind::NAMESPACE,
        Kind::Series => SymbolKind::CLASS,
        Kind::Meeting => SymbolKind::EVENT,
        Kind::Person => SymbolKind::OBJECT,
        Kind::Place => SymbolKind::PACKAGE,
        Kind::Document => SymbolKind::FILE,
        Kind::Term => SymbolKind::CONSTANT,
    }
}

/// The entities a document mentions, grouped by kind, each at its first mention.
#[allow(deprecated)]
pub fn document_symbols(snap: &Snapshot, a: &Analyzed) -> Vec<DocumentSymbol> {
    let lx = snap.engine.lexicon();
    // Per kind, each entity with the spans of its mentions, in order of first mention.
    type Spans = Vec<std::ops::Range<usize>>;
    let mut groups: BTreeMap<Kind, Vec<(EntityRef, Spans)>> = BTreeMap::new();
    for m in &a.analysis.mentions {
        let kind = match lx.record(m.entity.record).kind {
            Kind::Series if m.entity.edition.is_some() => Kind::Meeting,
            k => k,
        };
        let list = groups.entry(kind).or_default();
        match list.iter_mut().find(|(e, _)| *e == m.entity) {
            Some((_, spans)) => spans.push(m.span.clone()),
            None => list.push((m.entity, vec![m.span.clone()])),
        }
    }
    groups
        .into_iter()
        .map(|(kind, entities)| {
            let children: Vec<DocumentSymbol> = entities
                .iter()
                .map(|(e, spans)| {
                    let range = to_range(&snap.rope, spans[0].clone(), snap.encoding);
                    let name = match lx.acronym(*e) {
                        Some(a) => format!("{a} — {}", lx.label(*e, Lang::En)),
                        None => lx.label(*e, Lang::En),
                    };
                    DocumentSymbol {
                        name,
                        detail: Some(format!("{} mention(s)", spans.len())),
                        kind: symbol_kind(kind),
                        tags: None,
                        deprecated: None,
                        range,
                        selection_range: range,
                        children: None,
                    }
                })
                .collect();
            let first = children[0].range;
            let last = children
                .iter()
                .map(|c| c.range.end)
                .max()
                .unwrap_or(first.end);
            DocumentSymbol {
                name: format!("{} ({})", kind.label(Lang::En), children.len()),
                detail: Some(kind.label(Lang::Vi).to_owned()),
                kind: symbol_kind(kind),
                tags: None,
                deprecated: None,
                range: Range::new(first.start.min(first.start), last.max(first.end)),
                selection_range: first,
                children: Some(children),
            }
        })
        .collect()
}

/// Lexicon records matching a query by acronym, name or alias, in either language, accents
/// and case optional: the best 256 over `lexicons` (a multi-root workspace's folders may
/// each have their own), exact matches first, then prefixes, then the rest. A record that
/// two lexicons share (the embedded files, or a file both folders list) is given once.
#[allow(deprecated)]
pub fn workspace_symbols<'l>(
    lexicons: impl IntoIterator<Item = &'l Lexicon>,
    query: &str,
) -> Vec<SymbolInformation> {
    let q = fold_key(query.trim());
    // (score, which lexicon, record): sorted, a lexicon's records stay in file order.
    let mut scored: Vec<(u8, usize, usize)> = Vec::new();
    let lexicons: Vec<&Lexicon> = lexicons.into_iter().collect();
    for (l, lx) in lexicons.iter().enumerate() {
        for (i, r) in lx.records().iter().enumerate() {
            let forms = r
                .acronyms
                .iter()
                .chain(r.name.en.iter())
                .chain(r.name.vi.iter())
                .chain(r.aliases.iter().map(|a| &a.text));
            let best = forms
                .filter_map(|f| {
                    let k = fold_key(f);
                    if k == q {
                        Some(0)
                    } else if k.starts_with(&q) {
                        Some(1)
                    } else if k.contains(&q) {
                        Some(2)
                    } else {
                        None
                    }
                })
                .min();
            if let Some(s) = best {
                scored.push((s, l, i));
            }
        }
    }
    scored.sort();
    let mut seen = HashSet::new();
    scored
        .into_iter()
        .filter_map(|(_, l, i)| {
            let lx = lexicons[l];
            let id = RecordId(i as u32);
            let r = lx.record(id);
            let e = EntityRef {
                record: id,
                edition: r.facts.edition,
            };
            let name = match lx.acronym(e) {
                Some(a) => format!("{a} — {}", lx.label(e, Lang::En)),
                None => lx.label(e, Lang::En),
            };
            let location = record_location(lx, id)?;
            // The same record reached through two lexicons: same place, same name.
            if !seen.insert((
                location.uri.as_str().to_owned(),
                location.range.start,
                name.clone(),
            )) {
                return None;
            }
            Some(SymbolInformation {
                name,
                kind: symbol_kind(r.kind),
                tags: None,
                deprecated: None,
                location,
                container_name: Some(r.kind.label(Lang::En).to_owned()),
            })
        })
        .take(256)
        .collect()
}

/// The expansion after acronyms: at the first use of each (default), every use, or none.
/// An acronym already spelled out at that place gets none.
pub fn inlay_hints(snap: &Snapshot, a: &Analyzed, range: std::ops::Range<usize>) -> Vec<InlayHint> {
    if snap.config.inlay_hints == InlayHints::Off {
        return Vec::new();
    }
    let lx = snap.engine.lexicon();
    let lang = a.analysis.lang(&a.text);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, m) in a.analysis.mentions.iter().enumerate() {
        if !matches!(m.via, Via::Acronym | Via::Misspelling) {
            continue;
        }
        let first = seen.insert(m.entity);
        if snap.config.inlay_hints == InlayHints::First && !first {
            continue;
        }
        let in_definition = a.analysis.definition_covering(&m.span).is_some();
        if in_definition || m.span.end < range.start || m.span.start > range.end {
            continue;
        }
        let _ = i;
        let label = lx.label(m.entity, lang);
        out.push(InlayHint {
            position: super::position::to_position(&snap.rope, m.span.end, snap.encoding),
            label: InlayHintLabel::String(format!(" ({label})")),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(
                lx.label(m.entity, if lang == Lang::En { Lang::Vi } else { Lang::En }),
            )),
            padding_left: Some(false),
            padding_right: Some(false),
            data: None,
        });
    }
    out
}
