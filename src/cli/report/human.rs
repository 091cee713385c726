//! rustc-style output for people:
//!
//! ```text
//! warning[known-misspelling]: `ASEANPOL` is a misspelling of `ASEANAPOL` (…)
//!   --> articles/x.txt:3:32
//!    |
//!  3 | Cảnh sát hai nước làm việc qua ASEANPOL.
//!    |                                ^^^^^^^^ help: Replace with ASEANAPOL
//! ```
//!
//! Columns count characters; the carets are placed by display width, so they stay under the
//! mention after wide characters (CJK, emoji). Long lines (a paragraph on one line is common
//! in articles) are cut around the mention.

use std::io::{self, Write};
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::{Checked, Place, Reporter, Summary, plural};
use crate::cli::annotate::LineIndex;
use crate::rules::prose::line_within;
use crate::rules::{Finding, Severity};

/// Display columns kept before and after a mention on a long line.
const CONTEXT_BEFORE: usize = 50;
const CONTEXT_AFTER: usize = 30;
/// Bytes of a line read on each side of a mention: enough for the context in any script.
const WINDOW: usize = 512;

/// ANSI colours, or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Colors {
    enabled: bool,
}

impl Colors {
    pub fn new(enabled: bool) -> Colors {
        Colors { enabled }
    }

    /// `text` in an SGR style (`1;33` is bold yellow).
    fn paint(self, style: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, s: Severity) -> &'static str {
        match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
            Severity::Hint => "1;32",
        }
    }
}

const BOLD: &str = "1";
const GUTTER: &str = "1;34";

/// The human format: each finding as a snippet, then a summary line.
pub struct Human {
    colors: Colors,
    /// Findings so far per severity, indexed by `Severity as usize`.
    by_severity: [usize; 4],
    /// Files with at least one finding.
    files_with_findings: usize,
    /// Findings with a safe fix.
    fixable: usize,
}

impl Human {
    pub fn new(colors: Colors) -> Human {
        Human {
            colors,
            by_severity: [0; 4],
            files_with_findings: 0,
            fixable: 0,
        }
    }

    fn summary_line(&self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let colors = self.colors;
        if summary.fixed > 0 {
            writeln!(
                out,
                "Fixed {} in {}.",
                plural(summary.fixed, "problem"),
                plural(summary.fixed_files, "file")
            )?;
        }
        let total: usize = self.by_severity.iter().sum();
        let checked = plural(summary.files, "file");
        let failed = match summary.failed {
            0 => String::new(),
            n => format!("; {} could not be checked", plural(n, "file")),
        };
        if total == 0 {
            return writeln!(
                out,
                "{}",
                colors.paint(BOLD, &format!("No problems found in {checked}{failed}."))
            );
        }
        // Most severe first.
        let by_severity: Vec<String> = [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]
        .into_iter()
        .filter(|&s| self.by_severity[s as usize] > 0)
        .map(|s| plural(self.by_severity[s as usize], s.as_str()))
        .collect();
        let fixable = match self.fixable {
            0 => String::new(),
            n => format!(" {n} fixable with `lexls lint --fix`."),
        };
        writeln!(
            out,
            "{}{fixable}",
            colors.paint(
                BOLD,
                &format!(
                    "Found {} ({}) in {} of {checked}{failed}.",
                    plural(total, "problem"),
                    by_severity.join(", "),
                    self.files_with_findings
                )
            )
        )
    }
}

impl Reporter for Human {
    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        self.files_with_findings += 1;
        let index = LineIndex::new(file.text);
        for f in file.findings {
            self.by_severity[f.severity as usize] += 1;
            self.fixable += usize::from(f.fixes.iter().any(|x| x.safe));
            finding(out, file, &index, f, self.colors)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.summary_line(out, summary)
    }
}

fn finding(
    out: &mut dyn Write,
    file: &Checked,
    index: &LineIndex,
    f: &Finding,
    colors: Colors,
) -> io::Result<()> {
    let place = Place::of(index, file.text, &f.span);
    let width = place.line.to_string().len();
    let pad = " ".repeat(width);
    let sev = colors.severity(f.severity);
    writeln!(
        out,
        "{}{}",
        colors.paint(sev, &format!("{}[{}]", f.severity.as_str(), f.rule)),
        colors.paint(BOLD, &format!(": {}", f.message))
    )?;
    writeln!(
        out,
        " {pad}{} {}:{}:{}",
        colors.paint(GUTTER, "-->"),
        file.path,
        place.line,
        place.column
    )?;
    let bar = colors.paint(GUTTER, "|");
    writeln!(out, " {pad} {bar}")?;
    let snippet = Snippet::new(file.text, &f.span);
    writeln!(
        out,
        " {} {bar} {}",
        colors.paint(GUTTER, &place.line.to_string()),
        snippet.line
    )?;
    let label = f
        .fixes
        .first()
        .map(|fix| format!(" help: {}", fix.title))
        .unwrap_or_default();
    writeln!(
        out,
        " {pad} {bar} {}{}",
        " ".repeat(snippet.caret_at),
        colors.paint(sev, &format!("{}{label}", "^".repeat(snippet.carets)))
    )?;
    for (span, message) in &f.related {
        let at = Place::of(index, file.text, span);
        writeln!(
            out,
            " {pad} {} note: {message} at {}:{}:{}",
            colors.paint(GUTTER, "="),
            file.path,
            at.line,
            at.column
        )?;
    }
    writeln!(out)
}

/// The line of a span as shown, and where its carets go.
struct Snippet {
    line: String,
    /// Display columns before the first caret.
    caret_at: usize,
    carets: usize,
}

impl Snippet {
    fn new(text: &str, span: &Range<usize>) -> Snippet {
        let line = line_within(text, span.start, WINDOW);
        let line_start = if line.range.start == 0 && text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            line.range.start
        };
        let start = span.start.clamp(line_start, line.range.end);
        let end = span.end.clamp(start, line.range.end);
        let (cut_before, before) = tail(&visible(&text[line_start..start]), CONTEXT_BEFORE);
        let marked = visible(&text[start..end]);
        let (cut_after, after) = head(&visible(&text[end..line.range.end]), CONTEXT_AFTER);
        let ellipsis = |cut: bool| if cut { "…" } else { "" };
        let prefix = format!("{}{before}", ellipsis(cut_before || line.cut_before));
        Snippet {
            caret_at: prefix.width(),
            carets: marked.width().max(1),
            line: format!(
                "{prefix}{marked}{after}{}",
                ellipsis(cut_after || line.cut_after)
            ),
        }
    }
}

/// The text as a terminal shows it on one line: tabs as four spaces, other control
/// characters as `�`.
fn visible(s: &str) -> String {
    // Pushed one by one: a list per character (as this once built) made allocation a fifth
    // of a run printing thousands of findings.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The end of `s` that fits in `max` display columns, and whether anything was cut.
fn tail(s: &str, max: usize) -> (bool, String) {
    if s.width() <= max {
        return (false, s.to_owned());
    }
    let mut kept = String::new();
    let mut width = 0;
    for c in s.chars().rev() {
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width > max {
            break;
        }
        kept.insert(0, c);
    }
    (true, kept)
}

/// The start of `s` that fits in `max` display columns, and whether anything was cut.
fn head(s: &str, max: usize) -> (bool, String) {
    if s.width() <= max {
        return (false, s.to_owned());
    }
    let mut kept = String::new();
    let mut width = 0;
    for c in s.chars() {
        width += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width > max {
            break;
        }
        kept.push(c);
    }
    (true, kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::{Format, write};
    use crate::rules::{Edit, Fix};

    fn render(text: &str, findings: &[Finding]) -> String {
        let mut out = Vec::new();
        let file = Checked {
            path: "a/x.txt",
            text,
            findings,
        };
        let summary = Summary {
            files: 1,
            ..Summary::default()
        };
        write(
            Format::Human,
            &mut out,
            &[file],
            &summary,
            Colors::default(),
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn finding(text: &str, needle: &str) -> Finding {
        let start = text.find(needle).unwrap();
        let span = start..start + needle.len();
        Finding {
            rule: "known-misspelling",
            severity: Severity::Warning,
            span: span.clone(),
            message: "`ASEANPOL` is a misspelling of `ASEANAPOL`".into(),
            fixes: vec![Fix {
                title: "Replace with ASEANAPOL".into(),
                edits: vec![Edit {
                    range: span,
                    replacement: "ASEANAPOL".into(),
                }],
                safe: true,
            }],
            related: Vec::new(),
        }
    }

    #[test]
    fn snippet_with_carets_under_the_mention() {
        let text = "Title\n\nCảnh sát hai nước làm việc qua ASEANPOL.\n";
        let got = render(text, &[finding(text, "ASEANPOL")]);
        assert_eq!(
            got,
            "warning[known-misspelling]: `ASEANPOL` is a misspelling of `ASEANAPOL`\n  \
             --> a/x.txt:3:32\n   |\n 3 | Cảnh sát hai nước làm việc qua ASEANPOL.\n   |\
             \x20                               ^^^^^^^^ help: Replace with ASEANAPOL\n\n\
             Found 1 problem (1 warning) in 1 of 1 file. 1 fixable with `lexls lint --fix`.\n"
        );
    }

    #[test]
    fn wide_characters_tabs_and_long_lines() {
        let s = Snippet::new("漢字\tASEANPOL", &(7..15));
        assert_eq!(
            (s.line.as_str(), s.caret_at, s.carets),
            ("漢字    ASEANPOL", 8, 8)
        );
        let long = format!("{}ASEANPOL{}", "x".repeat(2000), "y".repeat(2000));
        let s = Snippet::new(&long, &(2000..2008));
        assert_eq!(s.caret_at, CONTEXT_BEFORE + 1);
        assert!(s.line.starts_with('…') && s.line.ends_with('…'));
        assert_eq!(
            s.line.chars().count(),
            CONTEXT_BEFORE + 8 + CONTEXT_AFTER + 2
        );
        let s = Snippet::new("\u{FEFF}ASEANPOL", &(3..11));
        assert_eq!((s.line.as_str(), s.caret_at), ("ASEANPOL", 0));
    }

    #[test]
    fn colours_only_when_enabled() {
        let text = "ASEANPOL";
        assert!(!render(text, &[finding(text, "ASEANPOL")]).contains('\x1b'));
        assert_eq!(Colors::new(true).paint("1", "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(render("", &[]), "No problems found in 1 file.\n");
    }
}
