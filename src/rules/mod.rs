//! Lint rules: one file per rule, one engine for the CLI (`lexls lint`) and the server's
//! diagnostics. Rules read an [`Analysis`] and the text and return findings with byte spans
//! of the original text; they never fail.

mod known_misspelling;

use std::ops::Range;
use std::path::Path;

use crate::analysis::{Analysis, Engine};
use crate::config::{Config, Level};

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

/// A finding before its severity is set from the configuration.
pub struct Raw {
    pub span: Range<usize>,
    pub message: String,
    pub fixes: Vec<Fix>,
    pub related: Vec<(Range<usize>, String)>,
}

type Check = fn(&Context) -> Vec<Raw>;

/// Every rule, in the order findings are reported for one position.
pub const RULES: &[RuleInfo] = &[known_misspelling::INFO];

const CHECKS: &[(&str, Check)] = &[(known_misspelling::INFO.id, known_misspelling::check)];

/// Runs every enabled rule and returns findings sorted by position, then rule.
pub fn check(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for (id, run) in CHECKS {
        let level = ctx.config.level(id, ctx.path);
        let Some(severity) = Severity::from_level(level) else {
            continue;
        };
        for raw in run(ctx) {
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
    out.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
    out
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
    //! Fixture-style checks: the text with `[[…]]` around each expected finding's span.
    use super::*;

    /// Runs one rule on `text` with the embedded lexicon and default config, and renders
    /// the findings inline: `before [[span]] after`, plus the messages.
    pub fn run(rule: &str, text: &str) -> (String, Vec<Finding>) {
        run_with(rule, text, &Config::default())
    }

    pub fn run_with(rule: &str, text: &str, config: &Config) -> (String, Vec<Finding>) {
        let engine = Engine::embedded();
        let analysis = engine.analyze(text);
        let ctx = Context {
            engine: &engine,
            text,
            analysis: &analysis,
            config,
            path: None,
        };
        let findings: Vec<Finding> = check(&ctx).into_iter().filter(|f| f.rule == rule).collect();
        let mut marked = String::new();
        let mut at = 0;
        for f in &findings {
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
        (marked, findings)
    }
}
