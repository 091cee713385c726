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

use super::{Checked, Digits, HAND_OVER_AT, Reporter, Summary, plural};
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

    /// Starts `style` in `out`; [`Colors::end`] ends it.
    fn start(self, out: &mut String, style: &str) {
        if self.enabled {
            out.push_str("\x1b[");
            out.push_str(style);
            out.push('m');
        }
    }

    fn end(self, out: &mut String) {
        if self.enabled {
            out.push_str("\x1b[0m");
        }
    }

    /// `text` in `style`, into `out`: what [`Colors::paint`] makes.
    fn push(self, out: &mut String, style: &str, text: &str) {
        self.start(out, style);
        out.push_str(text);
        self.end(out);
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
    /// A finding's lines being written, reused from one to the next.
    buf: String,
}

impl Human {
    pub fn new(colors: Colors) -> Human {
        Human {
            colors,
            by_severity: [0; 4],
            files_with_findings: 0,
            fixable: 0,
            buf: String::new(),
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
            finding(&mut self.buf, file, &index, f, self.colors);
            // Handed to the output in pieces of `HAND_OVER_AT` bytes or so: in one for most
            // files.
            if self.buf.len() >= HAND_OVER_AT {
                out.write_all(self.buf.as_bytes())?;
                self.buf.clear();
            }
        }
        out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.summary_line(out, summary)
    }
}

/// Writes a finding's lines into `out`, as pieces rather than through `format!`: the
/// formatting machinery and the strings it allocated were most of the human format's cost.
fn finding(out: &mut String, file: &Checked, index: &LineIndex, f: &Finding, colors: Colors) {
    // Only where spans start is shown: their ends are not looked up.
    let (line, column) = index.line_col(file.text, f.span.start);
    let mut number = Digits::default();
    let line_number = number.of(line);
    let pad = &SPACES[..line_number.len()];
    let sev = colors.severity(f.severity);
    // warning[rule]: message
    colors.start(out, sev);
    out.push_str(f.severity.as_str());
    out.push('[');
    out.push_str(f.rule);
    out.push(']');
    colors.end(out);
    colors.start(out, BOLD);
    out.push_str(": ");
    out.push_str(&f.message);
    colors.end(out);
    out.push('\n');
    //   --> path:line:column
    let location = |out: &mut String, line: u32, column: u32| {
        let mut number = Digits::default();
        out.push_str(file.path);
        out.push(':');
        out.push_str(number.of(line));
        out.push(':');
        out.push_str(number.of(column));
    };
    out.push(' ');
    out.push_str(pad);
    colors.push(out, GUTTER, "-->");
    out.push(' ');
    location(out, line, column);
    out.push('\n');
    //    |
    let bar = |out: &mut String| colors.push(out, GUTTER, "|");
    out.push(' ');
    out.push_str(pad);
    out.push(' ');
    bar(out);
    out.push('\n');
    //  3 | the line
    let snippet = Snippet::new(file.text, &f.span);
    out.push(' ');
    colors.push(out, GUTTER, line_number);
    out.push(' ');
    bar(out);
    out.push(' ');
    out.push_str(&snippet.line);
    out.push('\n');
    //    |     ^^^^ help: title
    out.push(' ');
    out.push_str(pad);
    out.push(' ');
    bar(out);
    out.push(' ');
    push_repeated(out, ' ', snippet.caret_at);
    colors.start(out, sev);
    push_repeated(out, '^', snippet.carets);
    if let Some(fix) = f.fixes.first() {
        out.push_str(" help: ");
        out.push_str(&fix.title);
    }
    colors.end(out);
    out.push('\n');
    //    = note: message at path:line:column
    for (span, message) in &f.related {
        let (at_line, at_column) = index.line_col(file.text, span.start);
        out.push(' ');
        out.push_str(pad);
        out.push(' ');
        colors.push(out, GUTTER, "=");
        out.push_str(" note: ");
        out.push_str(message);
        out.push_str(" at ");
        location(out, at_line, at_column);
        out.push('\n');
    }
    out.push('\n');
}

/// Spaces to pad a line number's width with (a `u32` has at most 10 digits).
const SPACES: &str = "          ";

/// `n` times `c`: ASCII copied from a run of it (pushing characters one at a time was a
/// tenth of the format's cost, for the spaces before the carets).
fn push_repeated(out: &mut String, c: char, n: usize) {
    const RUN: usize = 64;
    let run = match c {
        ' ' => &[b' '; RUN],
        '^' => &[b'^'; RUN],
        _ => return out.extend(std::iter::repeat_n(c, n)),
    };
    let run = std::str::from_utf8(run).expect("ASCII");
    let mut left = n;
    while left > 0 {
        let k = left.min(RUN);
        out.push_str(&run[..k]);
        left -= k;
    }
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
        let (cut_before, cut_after) = (line.cut_before, line.cut_after);
        let raw = (
            &text[line_start..start],
            &text[start..end],
            &text[end..line.range.end],
        );
        Snippet::plain(raw, cut_before, cut_after)
            .unwrap_or_else(|| Snippet::any(raw, cut_before, cut_after))
    }

    /// The snippet of a line whose characters around the mention are all [`plain`]: their
    /// widths are added up from the mention outwards, only as far as the context shown,
    /// and only the characters shown are copied. `None` when one is not plain.
    ///
    /// What [`Snippet::any`] makes, exactly. `unicode-width` measures a string from its end,
    /// a character's width depending only on what follows it; a plain character followed
    /// by plain characters or by nothing counts its own width, and so does an ASCII letter
    /// or a space followed by anything. So a string whose last characters are plain is at
    /// least as wide as their widths add up to, and one whose first characters are plain
    /// and followed by a letter or a space is too: enough to know that it is cut, and
    /// where, without measuring all of it.
    fn plain(
        (before, marked, after): (&str, &str, &str),
        line_cut_before: bool,
        line_cut_after: bool,
    ) -> Option<Snippet> {
        let (cut_before, before, before_width) = plain_tail(before, CONTEXT_BEFORE)?;
        let (cut_after, after) = plain_head(after, CONTEXT_AFTER)?;
        let marked = visible(marked);
        let ellipsis = |cut: bool| if cut { "…" } else { "" };
        let cut_before = cut_before || line_cut_before;
        Some(Snippet {
            // `…` is plain, of width 1.
            caret_at: usize::from(cut_before) + before_width,
            carets: marked.width().max(1),
            line: [
                ellipsis(cut_before),
                &before,
                &marked,
                &after,
                ellipsis(cut_after || line_cut_after),
            ]
            .concat(),
        })
    }

    /// The snippet of any line: every part measured whole.
    fn any(
        (before, marked, after): (&str, &str, &str),
        line_cut_before: bool,
        line_cut_after: bool,
    ) -> Snippet {
        let (cut_before, before) = tail(&visible(before), CONTEXT_BEFORE);
        let marked = visible(marked);
        let (cut_after, after) = head(&visible(after), CONTEXT_AFTER);
        let ellipsis = |cut: bool| if cut { "…" } else { "" };
        let prefix = format!("{}{before}", ellipsis(cut_before || line_cut_before));
        Snippet {
            caret_at: prefix.width(),
            carets: marked.width().max(1),
            line: format!(
                "{prefix}{marked}{after}{}",
                ellipsis(cut_after || line_cut_after)
            ),
        }
    }
}

/// The text as a terminal shows it on one line: tabs as four spaces, other control
/// characters as `�`. Text without control characters, nearly all, is copied whole.
fn visible(s: &str) -> String {
    // Control characters are C0 (a byte below 0x20), DEL, and C1 (U+0080 to U+009F,
    // encoded as 0xC2 then 0x80 to 0x9F): a byte that is none of those starts no control.
    if !s.bytes().any(|b| b < 0x20 || b == 0x7F || b == 0xC2) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let (shown, times) = shown(c);
        push_repeated(&mut out, shown, times);
    }
    out
}

/// How [`visible`] shows a character: as what, how many times.
fn shown(c: char) -> (char, usize) {
    match c {
        '\t' => (' ', 4),
        c if c.is_control() => ('\u{FFFD}', 1),
        c => (c, 1),
    }
}

/// The width of `c` when it is plain: a character as [`visible`] shows it whose width
/// `unicode-width` counts the same alone and in a string where plain characters or nothing
/// follow it. These are the characters the crate finds in its tables with no special
/// handling; the ranges here are the ones articles are written in (ASCII, Latin with
/// combining marks, Vietnamese, dashes and quotes), a subset chosen by reading the crate's
/// `width_in_str`, and checked by the tests.
fn plain(c: char) -> Option<usize> {
    match c {
        ' '..='~' => Some(1),
        '\u{A0}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2010}'..='\u{2027}' | '\u{FFFD}' => {
            Some(unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        }
        _ => None,
    }
}

/// Whether `c` counts its own width in a string whatever follows it: `unicode-width` gives
/// an ASCII character the width 1 in any context unless it may start an emoji sequence
/// (`#`, `*`, digits) or is a line break; letters and the space are safely none of those.
fn anchors(c: char) -> bool {
    c.is_ascii_alphabetic() || c == ' '
}

/// [`tail`] of `visible(s)` and the width kept, when the characters it needs to look at,
/// from the end until `max` columns are exceeded, are [`plain`]; `None` otherwise.
fn plain_tail(s: &str, max: usize) -> Option<(bool, String, usize)> {
    let mut width = 0;
    // Whether a character looked at is shown as another.
    let mut changed = false;
    let shown_as = |s: &str, changed: bool| if changed { visible(s) } else { s.to_owned() };
    for (i, c) in s.char_indices().rev() {
        let (shown, times) = shown(c);
        let w = plain(shown)?;
        for kept in 0..times {
            if width + w > max {
                // The end of the string is plain and wider than `max`: so is the string.
                let mut out = String::new();
                push_repeated(&mut out, shown, kept);
                out.push_str(&shown_as(&s[i + c.len_utf8()..], changed));
                return Some((true, out, width));
            }
            width += w;
        }
        changed |= shown != c;
    }
    // All plain: the widths add up.
    Some((false, shown_as(s, changed), width))
}

/// [`head`] of `visible(s)`, when the characters it needs to look at are [`plain`]: from
/// the start until `max` columns are exceeded, then on to a letter or a space (which makes
/// what comes before it count its own width); `None` otherwise.
fn plain_head(s: &str, max: usize) -> Option<(bool, String)> {
    let mut width = 0;
    // What is kept, once `max` is exceeded.
    let mut cut: Option<String> = None;
    // Whether a character looked at is shown as another.
    let mut changed = false;
    for (i, c) in s.char_indices() {
        let (shown, times) = shown(c);
        let w = plain(shown)?;
        if cut.is_none() {
            for kept in 0..times {
                if width + w > max {
                    let mut out = if changed {
                        visible(&s[..i])
                    } else {
                        s[..i].to_owned()
                    };
                    push_repeated(&mut out, shown, kept);
                    cut = Some(out);
                    break;
                }
                width += w;
            }
        }
        changed |= shown != c;
        if cut.is_some() && anchors(c) {
            // The plain characters before `c` count their widths, and `c` its own: the
            // string is wider than `max`.
            return cut.map(|kept| (true, kept));
        }
    }
    // All plain: the widths add up.
    Some(match cut {
        Some(kept) => (true, kept),
        None if changed => (false, visible(s)),
        None => (false, s.to_owned()),
    })
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

    /// Characters of every kind [`Snippet::plain`] must tell apart: plain ones (ASCII,
    /// Vietnamese precomposed and decomposed, dashes and quotes, NBSP) and others whose
    /// width depends on what follows (emoji, variation selectors, joiners, keycaps, Arabic
    /// lam-alef, Hebrew, Khmer, regional indicators), wide ones, and control characters.
    fn any_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            30 => proptest::char::range('a', 'z'),
            10 => Just(' '),
            10 => proptest::sample::select(vec![
                '#', '*', '0', '7', '.', ',', '\t', '\u{1}', '\u{7F}', '\u{85}', '\u{A0}',
                '\u{A9}', '\u{AE}', '\u{AD}', 'à', 'Đ', 'ệ', 'ừ', '\u{300}', '\u{301}',
                '\u{323}', '\u{338}', '\u{2013}', '\u{2018}', '\u{201C}', '\u{2026}',
                '\u{FFFD}',
            ]),
            1 => proptest::sample::select(vec![
                '\u{FE0F}', '\u{FE0E}', '\u{FE01}', '\u{200D}', '\u{20E3}', '😀', '👍',
                '\u{1F3FB}', '\u{1F1FB}', '\u{1F1F3}', '漢', '\u{5D0}', '\u{5DC}',
                '\u{627}', '\u{644}', '\u{1780}', '\u{17D2}', '\u{2D31}', '\u{2D7F}',
                '\u{A4FC}', '\u{203C}', '\u{2049}', '\u{2122}', '\u{2139}',
            ]),
            1 => any::<char>().prop_filter("one line", |c| !matches!(c, '\n' | '\r')),
        ]
    }

    proptest::proptest! {
        /// The snippet made from plain characters, when they are, is the one measured whole.
        #[test]
        fn plain_snippets_are_exact(
            before in proptest::collection::vec(any_char(), 0..90),
            marked in proptest::collection::vec(any_char(), 0..6),
            after in proptest::collection::vec(any_char(), 0..60),
            cut_before: bool,
            cut_after: bool,
        ) {
            let (before, marked, after): (String, String, String) = (
                before.into_iter().collect(),
                marked.into_iter().collect(),
                after.into_iter().collect(),
            );
            let raw = (before.as_str(), marked.as_str(), after.as_str());
            let exact = Snippet::any(raw, cut_before, cut_after);
            if let Some(plain) = Snippet::plain(raw, cut_before, cut_after) {
                proptest::prop_assert_eq!(
                    (plain.line, plain.caret_at, plain.carets),
                    (exact.line, exact.caret_at, exact.carets)
                );
            }
        }
    }

    /// As `plain_snippets_are_exact`, counting the snippets made from plain characters:
    /// most must be, and cut on either side.
    #[test]
    fn plain_snippets_are_exact_and_common() {
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let part = |n| proptest::collection::vec(any_char(), 0..n).prop_map(String::from_iter);
        let parts = (part(90), part(6), part(60));
        let (mut plain_ones, mut cut_before, mut cut_after) = (0, 0, 0);
        for _ in 0..2000 {
            let (before, marked, after) = parts.new_tree(&mut runner).unwrap().current();
            let raw = (before.as_str(), marked.as_str(), after.as_str());
            let exact = Snippet::any(raw, false, false);
            if let Some(plain) = Snippet::plain(raw, false, false) {
                plain_ones += 1;
                cut_before += usize::from(plain.line.starts_with('…'));
                cut_after += usize::from(plain.line.ends_with('…'));
                assert_eq!(
                    (&plain.line, plain.caret_at, plain.carets),
                    (&exact.line, exact.caret_at, exact.carets),
                    "{raw:?}"
                );
            }
        }
        assert!(
            plain_ones > 400 && cut_before > 100 && cut_after > 100,
            "{plain_ones} plain, {cut_before} cut before, {cut_after} after"
        );
    }

    #[test]
    fn plain_characters_count_their_own_width_before_plain_ones() {
        let plain_chars: Vec<char> = [
            ' '..='~',
            '\u{A0}'..='\u{36F}',
            '\u{1E00}'..='\u{1EFF}',
            '\u{2010}'..='\u{2027}',
            '\u{FFFD}'..='\u{FFFD}',
        ]
        .into_iter()
        .flatten()
        .collect();
        let followers = [
            'a', ' ', '#', '0', '\u{301}', 'ệ', '\u{A0}', '\u{2019}', '\u{FFFD}',
        ];
        for &c in &plain_chars {
            let w = plain(c).expect("plain");
            assert_eq!(c.to_string().width(), w, "{c:?} alone");
            for f in followers {
                let pair: String = [c, f].into_iter().collect();
                assert_eq!(
                    pair.width(),
                    w + f.to_string().width(),
                    "{c:?} before {f:?}"
                );
            }
        }
        // And what is not plain is not taken for plain.
        for c in [
            '\u{FE0F}', '\u{200D}', '😀', '\u{5DC}', '\u{627}', '\t', '\u{85}',
        ] {
            assert_eq!(plain(c), None, "{c:?}");
        }
    }

    #[test]
    fn plain_snippets_are_used_for_articles() {
        let line = format!(
            "{}ASEANPOL{}",
            "Cảnh sát hai nước ".repeat(10),
            " làm việc".repeat(10)
        );
        let at = line.find("ASEANPOL").unwrap();
        let raw = (&line[..at], &line[at..at + 8], &line[at + 8..]);
        let plain = Snippet::plain(raw, false, false).expect("plain");
        let exact = Snippet::any(raw, false, false);
        assert_eq!((plain.line, plain.caret_at), (exact.line, exact.caret_at));
        // A keycap in the context shown is measured whole; one past it, after a letter
        // that ends the measure, is not looked at.
        let keycap = (raw.0, raw.1, "1\u{FE0F}\u{20E3}");
        assert!(Snippet::plain(keycap, false, false).is_none());
        let far = format!("{}#\u{FE0F}", "x".repeat(40));
        let keycap_far = (raw.0, raw.1, far.as_str());
        let plain = Snippet::plain(keycap_far, false, false).expect("plain");
        assert_eq!(plain.line, Snippet::any(keycap_far, false, false).line);
    }

    #[test]
    fn visible_copies_text_without_control_characters() {
        assert_eq!(visible("Hà Nội — “x”"), "Hà Nội — “x”");
        assert_eq!(
            visible("a\tb\u{1}c\u{7F}\u{85}d\u{A0}é"),
            "a    b\u{FFFD}c\u{FFFD}\u{FFFD}d\u{A0}é"
        );
    }

    #[test]
    fn colours_only_when_enabled() {
        let text = "ASEANPOL";
        assert!(!render(text, &[finding(text, "ASEANPOL")]).contains('\x1b'));
        assert_eq!(Colors::new(true).paint("1", "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(render("", &[]), "No problems found in 1 file.\n");
    }
}
