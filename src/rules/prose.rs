//! Reading prose for the rules: sentences, headlines, words and near-miss spellings.
//! Everything here is cheap, works on byte offsets of the original text and never fails.

use std::ops::Range;

use crate::matcher::is_acronym_like;
pub(crate) use crate::matcher::is_word_char;

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// The line around byte `at`, without its line break.
pub fn line_around(text: &str, at: usize) -> Range<usize> {
    line_within(text, at, usize::MAX).range
}

/// Part of the line around `at`, looking at most about `max` bytes each way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinePart {
    pub range: Range<usize>,
    /// The line goes on before `range`.
    pub cut_before: bool,
    /// The line goes on after `range`.
    pub cut_after: bool,
}

/// The line around `at`, but no more than about `max` bytes on each side of it, so that
/// looking at lines stays cheap when an article puts a whole paragraph on one line.
pub fn line_within(text: &str, at: usize, max: usize) -> LinePart {
    let lo = floor_char_boundary(text, at.saturating_sub(max));
    let hi = floor_char_boundary(text, at.saturating_add(max));
    let (start, cut_before) = match last_line_break(&text[lo..at]) {
        Some(i) => (lo + i + 1, false),
        None => (lo, lo > 0),
    };
    let (end, cut_after) = match first_line_break(&text[at..hi]) {
        Some(i) => (at + i, false),
        None => (hi, hi < text.len()),
    };
    LinePart {
        range: start..end,
        cut_before,
        cut_after,
    }
}

/// The first `\n` or `\r` in `s`. Two searches for one character each (which the standard
/// library runs a word at a time) beat one search for either, character by character: the
/// rules look at the lines around many places of every article.
fn first_line_break(s: &str) -> Option<usize> {
    match s.find('\n') {
        Some(n) => Some(s[..n].find('\r').unwrap_or(n)),
        None => s.find('\r'),
    }
}

/// The last `\n` or `\r` in `s` (see [`first_line_break`]).
fn last_line_break(s: &str) -> Option<usize> {
    match s.rfind('\n') {
        Some(n) => Some(s[n..].rfind('\r').map_or(n, |r| n + r)),
        None => s.rfind('\r'),
    }
}

/// The line around `at` when it is at most `max` bytes on each side of it.
fn short_line_around(text: &str, at: usize, max: usize) -> Option<Range<usize>> {
    let part = line_within(text, at, max);
    (!part.cut_before && !part.cut_after).then_some(part.range)
}

/// The largest character boundary at or before `i` (clamped to the text).
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Headlines and datelines are short: longer lines are body text.
const SHORT_LINE: usize = 400;

/// Whether the line around `at` is a headline, kicker or byline rather than body text: a short
/// line on its own (blank or no line before and after it) that does not end a sentence.
/// Style guides let headlines use acronyms without spelling them out.
pub fn is_title_line(text: &str, at: usize) -> bool {
    let Some(line) = short_line_around(text, at, SHORT_LINE) else {
        return false;
    };
    let body = text[line.clone()].trim();
    if body.is_empty() || body.ends_with(['.', '!', ':', ';', ',', '…']) {
        return false;
    }
    if body.split_whitespace().count() > 20 {
        return false;
    }
    let blank = |l: Option<Range<usize>>| l.is_none_or(|l| text[l].trim().is_empty());
    blank(prev_line(text, &line)) && blank(next_line(text, &line))
}

/// The line before `line`, if any (a long one is cut: only its blankness matters).
fn prev_line(text: &str, line: &Range<usize>) -> Option<Range<usize>> {
    let before = text.get(..line.start).filter(|b| !b.is_empty())?;
    let before = match before.strip_suffix('\n') {
        Some(b) => b.strip_suffix('\r').unwrap_or(b),
        None => before.strip_suffix('\r').unwrap_or(before),
    };
    Some(line_within(text, before.len(), SHORT_LINE).range)
}

/// The line after `line`, if any (a long one is cut: only its blankness matters).
fn next_line(text: &str, line: &Range<usize>) -> Option<Range<usize>> {
    let after = text.get(line.end..).filter(|a| !a.is_empty())?;
    let rest = match after.strip_prefix('\r') {
        Some(a) => a.strip_prefix('\n').unwrap_or(a),
        None => after.strip_prefix('\n').unwrap_or(after),
    };
    Some(line_within(text, text.len() - rest.len(), SHORT_LINE).range)
}

/// Whether the line around `at` is written in capitals only (an all-caps headline).
pub fn is_all_caps_line(text: &str, at: usize) -> bool {
    let Some(line) = short_line_around(text, at, SHORT_LINE) else {
        return false;
    };
    let line = &text[line];
    let letters = line.chars().filter(|c| c.is_alphabetic());
    let (mut upper, mut lower) = (0, 0);
    for c in letters {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    lower == 0 && upper >= 2 && line.split_whitespace().count() >= 2
}

/// Whether `span` is a dateline: capitals at the start of a line followed by a dash
/// (`HANOI — …`, `NDO - …`, `HÀ NỘI (TTXVN) – …`).
pub fn is_dateline(text: &str, span: &Range<usize>) -> bool {
    let line = line_within(text, span.start, SHORT_LINE);
    if line.cut_before {
        return false;
    }
    let line = line.range;
    let head = &text[line.start..span.start];
    if !head.chars().all(|c| c.is_whitespace() || c.is_uppercase()) {
        return false;
    }
    let rest = text[span.end..line.end].trim_start_matches(|c: char| c == ' ' || c.is_uppercase());
    let rest = skip_parenthesis(rest).trim_start();
    rest.starts_with(['—', '–', '-'])
}

fn skip_parenthesis(s: &str) -> &str {
    match s.trim_start().strip_prefix('(') {
        Some(inner) => inner.find(')').map_or(s, |i| &inner[i + 1..]),
        None => s,
    }
}

/// The longest stretch read on each side of a span for its sentence.
const LONG_SENTENCE: usize = 1000;

/// The sentence around `span`: from after the previous sentence end (`. `, `! `, `? `, a line
/// break) to the next one, at most about 1000 bytes each way. Decimal points and
/// abbreviations followed by a digit do not end a sentence.
pub fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
    let lo = floor_char_boundary(text, span.start.saturating_sub(LONG_SENTENCE));
    let hi = floor_char_boundary(text, span.end.saturating_add(LONG_SENTENCE));
    let mut start = lo;
    for (i, c) in text[lo..span.start].char_indices().rev() {
        let i = lo + i;
        if is_line_break(c) || (ends_sentence(c) && followed_by_space(text, i + c.len_utf8())) {
            start = i + c.len_utf8();
            break;
        }
    }
    let mut end = hi;
    for (i, c) in text[span.end..hi].char_indices() {
        let at = span.end + i;
        if is_line_break(c) || (ends_sentence(c) && followed_by_space(text, at + c.len_utf8())) {
            end = at;
            break;
        }
    }
    start..end
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn followed_by_space(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(char::is_whitespace)
}

/// A word-like token: letters and digits joined by `-`, `/`, `+` or `&` (`24-NQ/TW`, `GMT+7`,
/// `AMIM-17`, `R&D`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub span: Range<usize>,
    pub text: &'a str,
}

/// [`is_word_char`] without Unicode table lookups for ASCII and the Latin letters of
/// Vietnamese and Western European text (U+00C0–U+024F but `×` and `÷`, U+1E00–U+1EFF),
/// which are most of what the rules read: the tokenizer runs over every article.
#[inline]
fn word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{D7}' | '\u{F7}' => false,
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => is_word_char(c),
    }
}

/// The tokens of `text` in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|&(_, c)| word_char(c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            let joins = matches!(c, '-' | '/' | '+' | '&')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(word_char);
            if word_char(c) || joins {
                chars.next();
            } else {
                end = i;
                break;
            }
        }
        Some(Token {
            span: start..end,
            text: &text[start..end],
        })
    })
}

/// Acronym-like words (see [`is_acronym_like`]) that are not Roman numerals. Tokens with `/`
/// or `+` are document numbers and time zones (`24-NQ/TW`, `GMT+7`) and are skipped; others
/// are split at hyphens, except before a number (`AMIM-17`, `COVID-19`; `ASEAN-Japan` is two
/// words).
pub fn acronym_words(text: &str) -> impl Iterator<Item = Token<'_>> {
    acronym_words_of(tokens(text))
}

/// [`acronym_words`] of tokens already read (so that a rule reads the text once).
pub fn acronym_words_of<'a>(
    tokens: impl Iterator<Item = Token<'a>>,
) -> impl Iterator<Item = Token<'a>> {
    tokens
        .filter(|t| has_two_capitals(t.text) && !t.text.contains(['/', '+']))
        .flat_map(split_hyphens)
        .filter(|t| is_acronym_like(t.text) && !is_roman_numeral(t.text))
}

/// Whether `s` has two capitals: an acronym-like word has, so a token with fewer holds none
/// (and is not split, which allocates).
fn has_two_capitals(s: &str) -> bool {
    s.chars().filter(|c| c.is_uppercase()).nth(1).is_some()
}

fn split_hyphens(t: Token<'_>) -> Vec<Token<'_>> {
    let mut parts: Vec<Token> = Vec::new();
    let mut at = t.span.start;
    for part in t.text.split('-') {
        let span = at..at + part.len();
        at = span.end + 1;
        match parts.last_mut() {
            Some(prev) if part.bytes().all(|b| b.is_ascii_digit()) => {
                prev.span.end = span.end;
                prev.text = &t.text[prev.span.start - t.span.start..span.end - t.span.start];
            }
            _ => parts.push(Token { span, text: part }),
        }
    }
    parts
}

/// Whether a word is a Roman numeral below 100 written in capitals (`VI`, `XIII`, `XC`).
pub fn is_roman_numeral(s: &str) -> bool {
    const TENS: [&str; 10] = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    !s.is_empty()
        && TENS.iter().any(|t| {
            s.strip_prefix(t)
                .is_some_and(|rest| ONES.contains(&rest) && !(t.is_empty() && rest.is_empty()))
        })
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions), in
/// characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![(0..=b.len()).collect::<Vec<usize>>()];
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (rows[i - 1][j] + 1)
                .min(row[j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(rows[i - 2][j - 2] + 1);
            }
        }
        rows.push(row);
    }
    rows[a.len()][b.len()]
}

/// The 1-based line of byte `at`, counting `\r\n`, `\r` and `\n` as one line break each, for
/// messages that point at another place in the document.
pub fn line_number(text: &str, at: usize) -> usize {
    LineNumbers::new(text).of(at)
}

/// [`line_number`] for many places of one text: the line breaks are found once, at the first
/// question, so that each finding does not read the text up to its place again.
pub struct LineNumbers<'a> {
    text: &'a str,
    /// Where each line break starts (the `\r` of a `\r\n`), in order.
    breaks: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> LineNumbers<'a> {
    pub fn new(text: &'a str) -> LineNumbers<'a> {
        LineNumbers {
            text,
            breaks: std::cell::OnceCell::new(),
        }
    }

    /// The 1-based line of byte `at` (the last line past the end).
    pub fn of(&self, at: usize) -> usize {
        let breaks = self.breaks.get_or_init(|| {
            let b = self.text.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while let Some(n) = first_line_break(&self.text[i..]) {
                let at = i + n;
                out.push(at);
                i = at
                    + if b[at] == b'\r' && b.get(at + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
            }
            out
        });
        1 + breaks.partition_point(|&p| p < at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_datelines() {
        let t = "AMIC goes live\n\nHANOI — AMIC was launched.\nSecond line of body.\n";
        assert!(is_title_line(t, 0));
        let body = t.find("AMIC was").unwrap();
        assert!(!is_title_line(t, body));
        let hanoi = t.find("HANOI").unwrap();
        assert!(is_dateline(t, &(hanoi..hanoi + 5)));
        assert!(!is_dateline(t, &(body..body + 4)));
        let t = "NDO - Trong khuôn khổ";
        assert!(is_dateline(t, &(0..3)));
        let t = "HÀ NỘI (TTXVN) – Sáng nay";
        assert!(is_dateline(t, &(0.."HÀ".len())));
        assert!(is_all_caps_line("ASEAN LEADERS MEET IN HANOI\n", 3));
        assert!(!is_all_caps_line("ASEAN leaders meet\n", 3));
        assert!(is_title_line(
            "Text.\r\n\r\nA short heading\r\n\r\nBody.",
            12
        ));
    }

    #[test]
    fn sentences() {
        let t = "First one. It rose 3.2 percent in June 2021, in Bangkok. Last";
        let at = t.find("June").unwrap();
        let s = sentence_around(t, &(at..at + 4));
        assert_eq!(&t[s], " It rose 3.2 percent in June 2021, in Bangkok");
    }

    #[test]
    fn tokens_keep_document_numbers_whole() {
        let t = "Nghị quyết số 24-NQ/TW, lúc 09:40 (GMT+7), AMIM-17 và R&D.";
        let got: Vec<&str> = tokens(t).map(|t| t.text).collect();
        assert_eq!(
            got,
            [
                "Nghị", "quyết", "số", "24-NQ/TW", "lúc", "09", "40", "GMT+7", "AMIM-17", "và",
                "R&D"
            ]
        );
        assert_eq!(tokens("").count(), 0);
        assert_eq!(
            tokens("a- b").map(|t| t.text).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn word_char_agrees_with_is_word_char() {
        for c in ('\0'..='\u{2FFF}').chain(['\u{FEFF}', '\u{1F600}', '\u{1F1FB}']) {
            assert_eq!(word_char(c), is_word_char(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn acronym_words_skip_numbers_and_numerals() {
        let t = "24-NQ/TW, GMT+7, AMIM-17, ASEAN-Japan, Covid-19, COVID-19, Đại hội XIII, MERS-CoV";
        let got: Vec<&str> = acronym_words(t).map(|t| t.text).collect();
        assert_eq!(got, ["AMIM-17", "ASEAN", "COVID-19", "MERS", "CoV"]);
    }

    #[test]
    fn roman_numerals() {
        for s in ["I", "VI", "X", "XI", "XIII", "XIV", "XC", "LXXXIX"] {
            assert!(is_roman_numeral(s), "{s}");
        }
        for s in ["", "IIII", "VX", "IC", "MIX", "AMIC", "CD"] {
            assert!(!is_roman_numeral(s), "{s}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("AMIX", "AMIC"), 1);
        assert_eq!(edit_distance("AMCI", "AMIC"), 1);
        assert_eq!(edit_distance("ASEANPOL", "ASEANAPOL"), 1);
        assert_eq!(edit_distance("", "ABC"), 3);
    }

    #[test]
    fn line_breaks_found_either_way() {
        for s in [
            "",
            "abc",
            "a\nb",
            "a\rb",
            "a\r\nb",
            "\n\r",
            "\r\n",
            "x\ry\nz\r",
            "é\nü\rö",
        ] {
            let is_break = |c: char| matches!(c, '\n' | '\r');
            assert_eq!(first_line_break(s), s.find(is_break), "{s:?}");
            assert_eq!(last_line_break(s), s.rfind(is_break), "{s:?}");
        }
    }

    #[test]
    fn line_numbers_count_every_line_break() {
        let t = "a\r\nb\rc\nd\r\r\n\n";
        let lines = LineNumbers::new(t);
        for at in 0..=t.len() + 2 {
            let before = &t.as_bytes()[..at.min(t.len())];
            let mut expected = 1;
            for (i, &b) in before.iter().enumerate() {
                let crlf = b == b'\n' && i > 0 && before[i - 1] == b'\r';
                expected += usize::from((b == b'\n' && !crlf) || b == b'\r');
            }
            assert_eq!(lines.of(at), expected, "at {at}");
        }
        assert_eq!(line_number("a\r\nb\rc\nd", 7), 4);
        assert_eq!(line_number("abc", 99), 1);
        assert_eq!(line_number("a\r\nb", 2), 2);
        assert_eq!(line_number("a\r\nb", 3), 2);
        assert_eq!(line_number("\r\r\n\n", 4), 4);
        assert_eq!(line_number("", 0), 1);
    }
}
