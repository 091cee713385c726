//! Lint rules: one file per rule, one engine for the CLI (`lexls lint`) and the server's
//! diagnostics. Rules read an [`Analysis`] and the text and return findings with byte spans
//! of the original text; they never fail.

mod acronym_before_definition;
mod ambiguous_mention;
mod diacritics_missing;
mod doubled_definition;
mod edition_mismatch;
mod expansion_mismatch;
mod inconsistent_expansion;
mod known_misspelling;
mod mixed_normalisation;
pub mod prose;
mod unknown_acronym;

use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use smallvec::SmallVec;

use crate::analysis::{Analysis, Engine};
use crate::config::{Config, Level};
use crate::lexicon::{EntityRef, Kind, Lang, Lexicon, RecordId};
use crate::matcher::{Definition, Mention};
use crate::normalize::{Fold, normalized_string};

/// A finding's severity (a configured [`Level`] other than `off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_level(level: Level) -> Option<Severity> {
        match level {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// One replacement in the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// Byte range of the original text to replace.
    pub range: Range<usize>,
    pub replacement: String,
}

/// A way to resolve a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for a code action's title (`Replace with ASEANAPOL`).
    pub title: String,
    /// Non-overlapping edits, in text order.
    pub edits: Vec<Edit>,
    /// Safe fixes are applied by `lexls lint --fix`; the others are offered only in editors.
    pub safe: bool,
}

/// A problem found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id.
    pub rule: &'static str,
    pub severity: Severity,
    /// Byte range of the original text.
    pub span: Range<usize>,
    pub message: String,
    /// Fixes, the preferred one first.
    pub fixes: Vec<Fix>,
    /// Other places that explain the finding (the first expansion, for example).
    pub related: Vec<(Range<usize>, String)>,
}

/// A rule's documentation and defaults.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub id: &'static str,
    pub default_level: Level,
    /// One line.
    pub summary: &'static str,
    /// Markdown: what it checks, why, examples, the fix, how to configure it.
    pub explanation: &'static str,
}

/// What a rule gets to look at.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub text: &'a str,
    pub analysis: &'a Analysis,
    pub config: &'a Config,
    /// The file's path, for per-path configuration (none for an unsaved editor buffer).
    pub path: Option<&'a Path>,
}

impl Context<'_> {
    /// The document's language, for the long forms that fixes write.
    pub fn lang(&self) -> Lang {
        self.analysis.lang(self.text)
    }
}

/// A finding before its severity is set from the configuration.
pub struct Raw {
    pub span: Range<usize>,
    pub message: String,
    pub fixes: Vec<Fix>,
    pub related: Vec<(Range<usize>, String)>,
}

type Check = fn(&Context, &Shared) -> Vec<Raw>;

/// `Long Form (ACR)`: an acronym spelled out, as fixes write it (made without `format!`,
/// which cost several times as much).
pub(super) fn long_with_acronym(long: &str, short: &str) -> String {
    [long, " (", short, ")"].concat()
}

/// What a rule works out from the lexicon alone, made once for a lint run rather than for each
/// of its thousands of documents, and made again when another lexicon is used (the server
/// reloads it). It keeps a clone of the engine it was made for, so that lexicon cannot be
/// freed and its address taken by another: the address identifies the lexicon.
pub(crate) struct PerLexicon<T>(Mutex<Option<(Engine, Arc<T>)>>);

impl<T> PerLexicon<T> {
    pub(crate) const fn new() -> PerLexicon<T> {
        PerLexicon(Mutex::new(None))
    }

    /// The value for `engine`'s lexicon: the one kept, or `make(engine)`, kept in its place.
    pub(crate) fn get(&self, engine: &Engine, make: impl FnOnce(&Engine) -> T) -> Arc<T> {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cached, value)) = kept.as_ref()
            && std::ptr::eq(cached.lexicon(), engine.lexicon())
        {
            return value.clone();
        }
        let value = Arc::new(make(engine));
        *kept = Some((engine.clone(), value.clone()));
        value
    }
}

/// What several rules read of one document, worked out once for all of them, when one first
/// asks for it: [`check`] makes one for each document and hands it to every rule.
pub struct Shared<'a> {
    text: &'a str,
    /// The line numbers that messages give, and the headlines, for [`Shared::is_title_line`]:
    /// both read the text's line breaks, found once.
    pub lines: prose::LineNumbers<'a>,
    /// Whether each definition is in the body, for [`body_definitions`]: three rules read the
    /// body's definitions, one of them twice.
    body: OnceCell<Vec<bool>>,
    /// The definitions' acronyms and long forms told apart, for [`Shared::definition_keys`].
    definition_keys: OnceCell<inconsistent_expansion::DefinitionKeys>,
}

impl<'a> Shared<'a> {
    pub fn new(text: &'a str) -> Shared<'a> {
        Shared {
            text,
            lines: prose::LineNumbers::new(text),
            body: OnceCell::new(),
            definition_keys: OnceCell::new(),
        }
    }

    /// [`Shared::new`] for `text` and its analysis, whose line breaks it reads rather than
    /// searching the text for them again (see [`Analysis::line_breaks`]).
    pub fn for_analysis(text: &'a str, analysis: &'a Analysis) -> Shared<'a> {
        let mut shared = Shared::new(text);
        if let Some(breaks) = analysis.line_breaks() {
            shared.lines = prose::LineNumbers::with_breaks(text, breaks);
        }
        shared
    }

    /// [`prose::is_title_line`]`(text, at)`.
    pub fn is_title_line(&self, at: usize) -> bool {
        self.lines.is_title(at)
    }

    /// Whether each of the document's definitions is outside headlines, in the order of
    /// `ctx.analysis.definitions` (`ctx` is the document's).
    fn body(&self, ctx: &Context) -> &[bool] {
        debug_assert!(
            std::ptr::eq(ctx.text, self.text),
            "another document's context"
        );
        self.body.get_or_init(|| {
            let definitions = &ctx.analysis.definitions;
            definitions
                .iter()
                .map(|d| !self.is_title_line(d.short.start))
                .collect()
        })
    }

    /// Which definitions of the document (`ctx` is the document's) spell out the same acronym,
    /// and which the same acronym with the same long form: `inconsistent-expansion` reads all
    /// of them, `doubled-definition` those of the body, and the keys are worked out once.
    fn definition_keys(&self, ctx: &Context) -> &inconsistent_expansion::DefinitionKeys {
        debug_assert!(
            std::ptr::eq(ctx.text, self.text),
            "another document's context"
        );
        self.definition_keys.get_or_init(|| {
            inconsistent_expansion::DefinitionKeys::new(ctx.text, &ctx.analysis.definitions)
        })
    }
}

/// Every rule, in the order findings are reported for one position.
pub const RULES: &[RuleInfo] = &[
    known_misspelling::INFO,
    unknown_acronym::INFO,
    acronym_before_definition::INFO,
    ambiguous_mention::INFO,
    expansion_mismatch::INFO,
    inconsistent_expansion::INFO,
    doubled_definition::INFO,
    edition_mismatch::INFO,
    diacritics_missing::INFO,
    mixed_normalisation::INFO,
];

const CHECKS: &[(&str, Check)] = &[
    (known_misspelling::INFO.id, known_misspelling::check),
    (unknown_acronym::INFO.id, unknown_acronym::check),
    (
        acronym_before_definition::INFO.id,
        acronym_before_definition::check,
    ),
    (ambiguous_mention::INFO.id, ambiguous_mention::check),
    (expansion_mismatch::INFO.id, expansion_mismatch::check),
    (
        inconsistent_expansion::INFO.id,
        inconsistent_expansion::check,
    ),
    (doubled_definition::INFO.id, doubled_definition::check),
    (edition_mismatch::INFO.id, edition_mismatch::check),
    (diacritics_missing::INFO.id, diacritics_missing::check),
    (mixed_normalisation::INFO.id, mixed_normalisation::check),
];

/// Runs every enabled rule and returns findings sorted by position, then rule.
pub fn check(ctx: &Context) -> Vec<Finding> {
    let shared = Shared::for_analysis(ctx.text, ctx.analysis);
    // Every rule runs before the findings are gathered, so that they are gathered into a
    // vector of the right size rather than one grown (and copied) as each rule adds its own.
    let mut found: SmallVec<[(&'static str, Severity, Vec<Raw>); CHECKS.len()]> = SmallVec::new();
    for (id, run) in CHECKS {
        let level = ctx.config.level(id, ctx.path);
        if let Some(severity) = Severity::from_level(level) {
            found.push((id, severity, run(ctx, &shared)));
        }
    }
    let mut out = Vec::with_capacity(found.iter().map(|(_, _, raws)| raws.len()).sum());
    for (id, severity, raws) in found {
        for raw in raws {
            let written = &ctx.text[raw.span.clone()];
            if ctx.config.ignored(id, written, ctx.path) {
                continue;
            }
            out.push(Finding {
                rule: id,
                severity,
                span: raw.span,
                message: raw.message,
                fixes: raw.fixes,
                related: raw.related,
            });
        }
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
    out
}

/// The record an acronym belongs to for spelling-out purposes: a meeting counts as its
/// series (`AMIM-20` is understood once `AMIM` or `AMIM-17` was spelled out).
pub(crate) fn family(lexicon: &Lexicon, record: RecordId) -> RecordId {
    let r = lexicon.record(record);
    match (r.kind, r.facts.series) {
        (Kind::Meeting, Some(series)) => series,
        _ => record,
    }
}

/// Whether an entity's acronym needs no spelling out (`ASEAN`, `UN`, `COVID-19`); an edition
/// inherits it from its series.
pub(crate) fn is_well_known(lexicon: &Lexicon, e: EntityRef) -> bool {
    lexicon.record(e.record).well_known || lexicon.record(family(lexicon, e.record)).well_known
}

/// How two long forms are compared: normalised (Unicode form, tone marks, whitespace, dashes)
/// and case-folded.
pub(crate) fn long_form_key(text: &str, d: &Definition) -> String {
    normalized_string(&text[d.long.clone()], Fold::Case)
}

/// The acronym a definition spells out, as compared between definitions (`AMIM-17`).
pub(crate) fn short_key(d: &Definition) -> String {
    normalized_string(&d.short_text, Fold::None)
}

/// Definitions outside headlines (see [`prose::is_title_line`]), in text order.
pub(crate) fn body_definitions<'a>(
    ctx: &'a Context,
    shared: &'a Shared,
) -> impl Iterator<Item = &'a Definition> + 'a {
    let definitions = &ctx.analysis.definitions;
    definitions
        .iter()
        .zip(shared.body(ctx))
        .filter_map(|(d, &body)| body.then_some(d))
}

/// Whether `span` overlaps a mention (mentions are in text order and do not overlap).
pub(crate) fn overlaps_mention(analysis: &Analysis, span: &Range<usize>) -> bool {
    first_mention_ending_after(analysis, span.start).is_some_and(|m| m.span.start < span.end)
}

/// Whether `span` lies inside a mention.
pub(crate) fn inside_mention(analysis: &Analysis, span: &Range<usize>) -> bool {
    first_mention_ending_after(analysis, span.start)
        .is_some_and(|m| m.span.start <= span.start && span.end <= m.span.end)
}

/// The first mention that ends after `at`: the only one that can hold or overlap a span
/// starting at `at`.
fn first_mention_ending_after(analysis: &Analysis, at: usize) -> Option<&Mention> {
    let i = analysis.mentions.partition_point(|m| m.span.end <= at);
    analysis.mentions.get(i)
}

/// The mentions inside `range`, as a slice of the analysis.
pub(crate) fn mentions_within<'a>(analysis: &'a Analysis, range: &Range<usize>) -> &'a [Mention] {
    let m = &analysis.mentions;
    let lo = m.partition_point(|m| m.span.start < range.start);
    let hi = m.partition_point(|m| m.span.end <= range.end).max(lo);
    &m[lo..hi]
}

/// From the first to the last character of a definition's long form and acronym.
pub(crate) fn definition_span(d: &Definition) -> Range<usize> {
    d.long.start.min(d.short.start)..d.long.end.max(d.short.end)
}

/// A related location pointing at a definition.
pub(crate) fn spelled_out_here(d: &Definition) -> (Range<usize>, String) {
    (definition_span(d), "spelled out here".to_owned())
}

/// The whole written definition, `Long Form (ACR)` or `ACR (Long Form)`, up to its closing
/// parenthesis.
pub(crate) fn definition_extent(text: &str, d: &Definition) -> Range<usize> {
    let Range {
        start,
        end: inner_end,
    } = definition_span(d);
    let end = text[inner_end..]
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .filter(|&(_, c)| c == ')')
        .map_or(inner_end, |(i, _)| inner_end + i + 1);
    start..end
}

/// The documentation of a rule.
pub fn info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// Applies the safe fixes of `findings` to `text`. Overlapping edits after the first are
/// skipped (a second run picks them up); returns the new text and how many fixes applied.
pub fn apply_safe_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let mut edits: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for f in findings {
        let Some(fix) = f.fixes.iter().find(|x| x.safe) else {
            continue;
        };
        let clashes = fix.edits.iter().any(|e| {
            edits
                .iter()
                .any(|d| e.range.start < d.range.end && d.range.start < e.range.end)
        });
        if clashes {
            continue;
        }
        edits.extend(&fix.edits);
        applied += 1;
    }
    edits.sort_by_key(|e| e.range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Fixture-style checks: the text with `[[…]]` around each expected finding's span. The
    //! rules run on a small lexicon written for these tests (`testdata/lexicon.toml`), so
    //! that a change to the shipped data does not move them.
    use std::sync::LazyLock;

    use super::*;
    use crate::lexicon::{LexiconBuilder, Origin};

    /// The engine over the test lexicon.
    pub fn engine() -> Engine {
        static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
            let mut b = LexiconBuilder::new();
            b.add_text(
                Origin::File("src/rules/testdata/lexicon.toml".into()),
                include_str!("testdata/lexicon.toml"),
            );
            Engine::new(b.build().expect("the test lexicon is valid"))
        });
        ENGINE.clone()
    }

    /// Runs one rule on `text` with the test lexicon and default config, and renders the
    /// findings inline: `before [[span]] after`, plus the findings.
    pub fn run(rule: &str, text: &str) -> (String, Vec<Finding>) {
        run_with(rule, text, &Config::default())
    }

    pub fn run_with(rule: &str, text: &str, config: &Config) -> (String, Vec<Finding>) {
        let engine = engine();
        let analysis = engine.analyze(text);
        let ctx = Context {
            engine: &engine,
            text,
            analysis: &analysis,
            config,
            path: None,
        };
        let findings: Vec<Finding> = check(&ctx).into_iter().filter(|f| f.rule == rule).collect();
        (mark(text, &findings), findings)
    }

    /// `text` with `[[…]]` around each finding's span (nested spans are left out).
    pub fn mark(text: &str, findings: &[Finding]) -> String {
        let mut marked = String::new();
        let mut at = 0;
        for f in findings {
            if f.span.start < at {
                continue;
            }
            marked.push_str(&text[at..f.span.start]);
            marked.push_str("[[");
            marked.push_str(&text[f.span.clone()]);
            marked.push_str("]]");
            at = f.span.end;
        }
        marked.push_str(&text[at..]);
        marked
    }

    /// The text after applying the first fix of the only finding.
    pub fn fixed(text: &str, findings: &[Finding]) -> String {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let mut f = findings[0].clone();
        for fix in &mut f.fixes {
            fix.safe = true;
        }
        apply_safe_fixes(text, &[f]).0
    }
}
