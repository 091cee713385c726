//! Reading prose for the rules: sentences, headlines, words and near-miss spellings.
//! Everything here is cheap, works on byte offsets of the original text and never fails.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};
use std::ops::Range;

use crate::bytes16::Lanes;
use crate::matcher::is_acronym_like;
pub(crate) use crate::matcher::is_word_char;

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

/// The first `\n` or `\r` in `s`. One vectorised search for either byte: the rules look at
/// the lines around many places of every article, and these bytes never occur inside a
/// multi-byte character.
fn first_line_break(s: &str) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', s.as_bytes())
}

/// The last `\n` or `\r` in `s` (see [`first_line_break`]).
fn last_line_break(s: &str) -> Option<usize> {
    memchr::memrchr2(b'\n', b'\r', s.as_bytes())
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

/// What the last character of a line that is no headline can be.
const SENTENCE_ENDS: [char; 6] = ['.', '!', ':', ';', ',', '…'];

/// Whether the line around `at` is a headline, kicker or byline rather than body text: a short
/// line on its own (blank or no line before and after it) that does not end a sentence.
/// Style guides let headlines use acronyms without spelling them out.
pub fn is_title_line(text: &str, at: usize) -> bool {
    let Some(line) = short_line_around(text, at, SHORT_LINE) else {
        return false;
    };
    let body = text[line.clone()].trim();
    if body.is_empty() || body.ends_with(SENTENCE_ENDS) {
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
    let mut upper = 0;
    for c in line.chars().filter(|c| c.is_alphabetic()) {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            // Body text: most lines have a small letter early on.
            return false;
        }
    }
    upper >= 2 && line.split_whitespace().count() >= 2
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
///
/// The scans read bytes, not characters: every character that can end a sentence is ASCII
/// but `…` (E2 80 A6), whose bytes are checked together, and no other character contains
/// these bytes in that order, so decoding each character would only cost time. The bytes
/// that may end one are searched for three at a time, many bytes at a step (memchr).
pub fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
    sentence_bounds(text, span).range
}

/// A sentence as [`sentence_around`] finds it, and how its ends were found.
struct SentenceBounds {
    range: Range<usize>,
    /// It starts after a sentence end or line break (not at the limit of the search).
    start_found: bool,
    /// It ends at a sentence end or line break, or at the end of the text.
    end_found: bool,
}

/// [`sentence_around`], telling how the sentence's ends were found.
///
/// The bytes that may end a sentence are searched for in two sets of three (memchr searches
/// for at most three): the common ones (`\n`, `\r`, `.`) and the others (`!`, `?` and a byte
/// of `…`). The common set is searched first, and the other only between the span and what
/// it found: most sentences end at a full stop or a line break, and searching the other set
/// as far as the limit of the search (about 1000 bytes) cost more than finding the sentence.
fn sentence_bounds(text: &str, span: &Range<usize>) -> SentenceBounds {
    let lo = floor_char_boundary(text, span.start.saturating_sub(LONG_SENTENCE));
    let hi = floor_char_boundary(text, span.end.saturating_add(LONG_SENTENCE));
    let b = text.as_bytes();
    // Backwards, each candidate is recognised by its last byte; `lo` is a character
    // boundary, so a `…` that ends at or after it also starts at or after it.
    let ends_at = |j: usize| match b[j] {
        b'\n' | b'\r' => true,
        b'.' | b'!' | b'?' => followed_by_space(text, j + 1),
        0xA6 => b[..j].ends_with(&[0xE2, 0x80]) && followed_by_space(text, j + 1),
        // No other byte is searched for.
        _ => false,
    };
    let before = |k: usize, within: Range<usize>| {
        let [x, y, z] = [*b"\n\r.", [b'!', b'?', 0xA6]][k];
        memchr::memrchr3(x, y, z, &b[within.clone()]).map(|i| within.start + i)
    };
    let start = last_accepted(lo, span.start, ends_at, before);
    // Forwards, by its first byte; `hi` is a character boundary, so a `…` that starts before
    // it ends at or before it.
    let ends_from = |j: usize| match b[j] {
        b'\n' | b'\r' => true,
        b'.' | b'!' | b'?' => followed_by_space(text, j + 1),
        0xE2 => b[j + 1..].starts_with(&[0x80, 0xA6]) && followed_by_space(text, j + 3),
        _ => false,
    };
    let after = |k: usize, within: Range<usize>| {
        let [x, y, z] = [*b"\n\r.", [b'!', b'?', 0xE2]][k];
        memchr::memchr3(x, y, z, &b[within.clone()]).map(|i| within.start + i)
    };
    let end = first_accepted(span.end, hi, ends_from, after);
    SentenceBounds {
        range: start.map_or(lo, |j| j + 1)..end.unwrap_or(hi),
        start_found: start.is_some(),
        end_found: end.is_some() || hi == text.len(),
    }
}

/// [`sentence_around`] for the spans of one text, asked about in text order: the sentence
/// of a span is the one found last when nothing between them can end a sentence, which is
/// then told without searching the text again. Many mentions share a sentence.
pub struct Sentences<'a> {
    text: &'a str,
    /// The span last searched around and what was found, when its sentence ends at a
    /// sentence end (or at the end of the text), which later spans inside the sentence may
    /// share (see [`Sentences::around`]).
    last: Option<Searched>,
}

/// A span [`Sentences`] searched around.
struct Searched {
    span: Range<usize>,
    sentence: Range<usize>,
    /// The sentence starts after a sentence end (not at the limit of the search).
    start_found: bool,
    /// The span holds no byte that may end a sentence: told when a later span first needs
    /// it, as most spans share no sentence with the next one.
    clean: Option<bool>,
}

impl<'a> Sentences<'a> {
    pub fn new(text: &'a str) -> Sentences<'a> {
        Sentences { text, last: None }
    }

    /// [`sentence_around`]`(text, span)`.
    ///
    /// When `span` starts after the span `p` last searched around and ends within its
    /// sentence `s`, and `p` holds no byte that may end a sentence, nothing between the start
    /// and the end of `s` ends one: not before `p` (`s` starts after the last sentence end
    /// before `p`), not in `p`, and not after it (`s` ends at the first one after `p`). So
    /// the sentence end after `span` is the end of `s`, within reach of `span` as it was of
    /// `p`, and the one before is the one before `s`, if `span` reaches back to it; when `s`
    /// starts at the limit of the search instead, that limit must be the same.
    pub fn around(&mut self, span: &Range<usize>) -> Range<usize> {
        let text = self.text;
        if let Some(last) = &mut self.last
            && span.start >= last.span.end
            && span.end <= last.sentence.end
        {
            let lo = floor_char_boundary(text, span.start.saturating_sub(LONG_SENTENCE));
            let s = &last.sentence;
            let reached = if last.start_found {
                s.start > lo
            } else {
                s.start == lo
            };
            // Every byte is tested, without a branch for each, which the compiler turns into
            // vector instructions: a span rarely holds such a byte.
            let clean = || {
                let may_end = |b: u8| matches!(b, b'\n' | b'\r' | b'.' | b'!' | b'?' | 0xA6);
                let bytes = &text.as_bytes()[last.span.clone()];
                !bytes.iter().fold(false, |any, &b| any | may_end(b))
            };
            if reached && *last.clean.get_or_insert_with(clean) {
                return s.clone();
            }
        }
        let found = sentence_bounds(text, span);
        self.last = found.end_found.then(|| Searched {
            span: span.clone(),
            sentence: found.range.clone(),
            start_found: found.start_found,
            clean: None,
        });
        found.range
    }
}

/// The last candidate in `lo..end` that `accepts`, of those two searches find (`before(k,
/// within)`, the last candidate of search `k` in `within`; search 0 finds the common ones):
/// the later of their finds is tried, and when rejected its search goes on before it.
///
/// Search 1 is made only after search 0's find (`f`), where a candidate is tried before `f`:
/// `r`, when found, is the last candidate of search 1 between `f` and the end, and none of
/// search 1 is there otherwise.
fn last_accepted(
    lo: usize,
    end: usize,
    accepts: impl Fn(usize) -> bool,
    before: impl Fn(usize, Range<usize>) -> Option<usize>,
) -> Option<usize> {
    let after = |f: Option<usize>| f.map_or(lo, |f| f + 1);
    let mut f = before(0, lo..end);
    let mut r = before(1, after(f)..end);
    loop {
        let j = r.or(f)?;
        if accepts(j) {
            return Some(j);
        }
        if r == Some(j) {
            r = before(1, after(f)..j);
        } else {
            f = before(0, lo..j);
            r = before(1, after(f)..j);
        }
    }
}

/// The first candidate in `from..hi` that `accepts`, of those two searches find (`after(k,
/// within)`, the first candidate of search `k` in `within`; search 0 finds the common ones):
/// the earlier of their finds is tried, and when rejected its search goes on after it.
///
/// Search 1 is made only up to search 0's find (`f`), where a candidate is tried before `f`:
/// `r`, when found, is the first candidate of search 1 before `f` (or `hi`), and none of
/// search 1 is there otherwise.
fn first_accepted(
    from: usize,
    hi: usize,
    accepts: impl Fn(usize) -> bool,
    after: impl Fn(usize, Range<usize>) -> Option<usize>,
) -> Option<usize> {
    let mut f = after(0, from..hi);
    let mut r = after(1, from..f.unwrap_or(hi));
    loop {
        let j = r.or(f)?;
        if accepts(j) {
            return Some(j);
        }
        if r == Some(j) {
            r = after(1, j + 1..f.unwrap_or(hi));
        } else {
            f = after(0, j + 1..hi);
            r = after(1, j + 1..f.unwrap_or(hi));
        }
    }
}

fn followed_by_space(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(char::is_whitespace)
}

/// What a byte is to the tokenizer, as bits: a word character (an ASCII letter or digit), a
/// capital (`A` to `Z`, also a word character), a joiner (`-`, `/`, `+`, `&`, which join two
/// word characters), or part of a character that is not ASCII, which [`see`] looks up.
const WORD: u8 = 1;
const CAPITAL: u8 = 2;
const JOIN: u8 = 4;
const NOT_ASCII: u8 = 8;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let x = b as u8;
        table[b] = if x.is_ascii_uppercase() {
            WORD | CAPITAL
        } else if x.is_ascii_alphanumeric() {
            WORD
        } else if matches!(x, b'-' | b'/' | b'+' | b'&') {
            JOIN
        } else if !x.is_ascii() {
            NOT_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Which characters of U+0000–U+027F (the first ten words) and U+1E00–U+1EFF (the last four)
/// are capitals, one bit each, taken from the standard library's tables at compile time.
static LATIN_CAPITALS: [u64; 14] = {
    let mut bits = [0; 14];
    let mut i = 0;
    while i < 14 * 64 {
        let code = if i < 10 * 64 { i } else { 0x1E00 + i - 10 * 64 };
        if let Some(c) = char::from_u32(code as u32)
            && c.is_uppercase()
        {
            bits[i / 64] |= 1 << (i % 64);
        }
        i += 1;
    }
    bits
};

/// The character that starts at byte `i` of `text` (a character boundary before its end),
/// with its length in bytes.
fn char_at(text: &str, i: usize) -> (char, usize) {
    let c = text[i..].chars().next().expect("i is before the end");
    (c, c.len_utf8())
}

/// A character that is not ASCII, as the tokenizer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    /// It continues a word ([`is_word_char`]).
    word: bool,
    /// It is a capital (only asked for when `CAPITALS`, else false).
    capital: bool,
    /// Its length in bytes.
    len: usize,
}

/// The character at byte `i` of `text`, which is not ASCII. The letters of Vietnamese and
/// Western European text, the marks of decomposed text and the punctuation of news text are
/// told from their first bytes without decoding: U+00C0–U+024F but `×` and `÷` (C3 80 to C9
/// 8F), U+0300–U+036F (CC 80 to CD AF, marks, never capitals), U+1E00–U+1EFF (E1 B8 80 to E1
/// BB BF), their capitals from [`LATIN_CAPITALS`], and U+2000–U+206F (E2 80 80 to E2 81 AF,
/// no word characters). Other characters go through the Unicode tables.
#[inline(always)]
fn see<const CAPITALS: bool>(text: &str, i: usize) -> Seen {
    let b = text.as_bytes();
    let capital = |n: usize| CAPITALS && LATIN_CAPITALS[n / 64] & (1 << (n % 64)) != 0;
    match b[i] {
        x @ 0xC3..=0xC9 => {
            let code = (usize::from(x & 0x1F) << 6) | usize::from(b[i + 1] & 0x3F);
            if code <= 0x24F && code != 0xD7 && code != 0xF7 {
                return Seen {
                    word: true,
                    capital: capital(code),
                    len: 2,
                };
            }
        }
        0xCC => {
            return Seen {
                word: true,
                capital: false,
                len: 2,
            };
        }
        0xCD if b[i + 1] < 0xB0 => {
            return Seen {
                word: true,
                capital: false,
                len: 2,
            };
        }
        // U+2000–U+206F: spaces, dashes, quotes and other punctuation of news text.
        0xE2 if b[i + 1] == 0x80 || (b[i + 1] == 0x81 && b[i + 2] < 0xB0) => {
            return Seen {
                word: false,
                capital: false,
                len: 3,
            };
        }
        0xE1 if matches!(b[i + 1], 0xB8..=0xBB) => {
            let n = (usize::from(b[i + 1] - 0xB8) << 6) | usize::from(b[i + 2] & 0x3F);
            return Seen {
                word: true,
                capital: capital(10 * 64 + n),
                len: 3,
            };
        }
        _ => {}
    }
    see_other::<CAPITALS>(text, i)
}

/// [`see`] for other characters, through the Unicode tables.
#[cold]
fn see_other<const CAPITALS: bool>(text: &str, i: usize) -> Seen {
    let (c, len) = char_at(text, i);
    Seen {
        word: is_word_char(c),
        capital: CAPITALS && c.is_uppercase(),
        len,
    }
}

/// Whether a word character starts at byte `i` of `text` (false at the end).
#[inline]
fn word_char_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&x) if x < 0x80 => BYTE_CLASS[usize::from(x)] & WORD != 0,
        Some(_) => see::<false>(text, i).word,
    }
}

/// A word-like token: letters and digits joined by `-`, `/`, `+` or `&` (`24-NQ/TW`, `GMT+7`,
/// `AMIM-17`, `R&D`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub span: Range<usize>,
    pub text: &'a str,
}

/// The capitals of a token, as far as the rules ask: how many, and whether it starts with one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capitals {
    /// How many capitals, two standing for two or more.
    pub count: u8,
    /// The first character is a capital.
    pub first: bool,
}

impl Capitals {
    /// A capital, then no other (`Toronto`, `Hà`, but not `UN`).
    pub fn is_capitalised(self) -> bool {
        self.first && self.count == 1
    }
}

/// The tokens of `text` in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    Scanner::<false> { text, at: 0 }.map(|(t, _)| t)
}

/// The tokens of `text` in order, with their capitals, counted while reading them: the rules
/// that look for acronyms and capitalised words need not read each token again.
pub fn tokens_with_capitals(text: &str) -> impl Iterator<Item = (Token<'_>, Capitals)> {
    Scanner::<true> { text, at: 0 }
}

/// The iterator of [`tokens`] and [`tokens_with_capitals`] (which counts capitals when
/// `CAPITALS`). It reads bytes and looks up only characters that are not ASCII.
struct Scanner<'a, const CAPITALS: bool> {
    text: &'a str,
    /// Where to look for the next token (a character boundary).
    at: usize,
}

impl<'a, const CAPITALS: bool> Iterator for Scanner<'a, CAPITALS> {
    type Item = (Token<'a>, Capitals);

    #[inline]
    fn next(&mut self) -> Option<(Token<'a>, Capitals)> {
        let Some(found) = scan_token::<CAPITALS>(self.text, self.at) else {
            self.at = self.text.len();
            return None;
        };
        self.at = found.0.span.end;
        Some(found)
    }
}

/// The first token of `text` at or after byte `from` (a character boundary): the next token
/// [`tokens`] reads from there. Always inlined, for loops that read a few tokens at a time
/// where a call to [`Scanner::next`] for each token cost more than reading it.
#[inline(always)]
pub fn token_at(text: &str, from: usize) -> Option<Token<'_>> {
    scan_token::<false>(text, from).map(|(t, _)| t)
}

/// The first token of `text` at or after byte `from` (a character boundary), with its
/// capitals when `CAPITALS`: what [`Scanner`] reads, as a function that the loops over many
/// tokens can take in whole, where a call for each token cost a fifth of the reading.
#[inline(always)]
fn scan_token<const CAPITALS: bool>(text: &str, from: usize) -> Option<(Token<'_>, Capitals)> {
    let b = text.as_bytes();
    let mut i = from;
    // The first word character: where the token starts, its length, and whether it is a
    // capital.
    let (start, end, first) = loop {
        let &x = b.get(i)?;
        let class = BYTE_CLASS[usize::from(x)];
        if class & WORD != 0 {
            break (i, i + 1, class & CAPITAL != 0);
        } else if class & NOT_ASCII != 0 {
            let seen = see::<CAPITALS>(text, i);
            if seen.word {
                break (i, i + seen.len, seen.capital);
            }
            i += seen.len;
        } else {
            i += 1;
        }
    };
    Some(token_from::<CAPITALS>(text, start, end, first))
}

/// The token that starts at byte `start` of `text` with a word character, which ends at
/// `end` and is a capital when `first`: [`scan_token`] once it has found where a token starts.
#[inline(always)]
fn token_from<const CAPITALS: bool>(
    text: &str,
    start: usize,
    mut end: usize,
    first: bool,
) -> (Token<'_>, Capitals) {
    let b = text.as_bytes();
    let mut count = usize::from(first);
    while let Some(&x) = b.get(end) {
        let class = BYTE_CLASS[usize::from(x)];
        if class & WORD != 0 {
            // The capital bit, as 0 or 1.
            count += usize::from(class >> 1);
            end += 1;
        } else if class & NOT_ASCII != 0 {
            let seen = see::<CAPITALS>(text, end);
            if !seen.word {
                break;
            }
            count += usize::from(seen.capital);
            end += seen.len;
        } else if class & JOIN != 0 && word_char_at(text, end + 1) {
            // A joiner continues the token when a word character follows it, which the
            // next round reads.
            end += 1;
        } else {
            break;
        }
    }
    let token = Token {
        span: start..end,
        text: &text[start..end],
    };
    let capitals = Capitals {
        count: count.min(2) as u8,
        first,
    };
    (token, capitals)
}

/// Acronym-like words (see [`is_acronym_like`]) that are not Roman numerals. Tokens with `/`
/// or `+` are document numbers and time zones (`24-NQ/TW`, `GMT+7`) and are skipped; others
/// are split at hyphens, except before a number (`AMIM-17`, `COVID-19`; `ASEAN-Japan` is two
/// words).
pub fn acronym_words(text: &str) -> impl Iterator<Item = Token<'_>> {
    tokens_with_a_capital(text)
        .filter(|(t, caps)| may_hold_acronyms(t.text, *caps))
        .flat_map(|(t, _)| acronym_words_in(t))
}

/// The tokens of `text` that hold a capital, in order, with their capitals: what the rules
/// that look for acronyms and capitalised words read. The text between them is passed over
/// sixteen bytes at a time where it is ASCII, without reading its tokens (most words hold no
/// capital).
pub fn tokens_with_a_capital(text: &str) -> impl Iterator<Item = (Token<'_>, Capitals)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = next_capital(text, from)?;
        // Most capitals start a word after a space or other punctuation in ASCII, where the
        // token starts: `token_start` is asked only when the byte before may continue a token.
        let start = match at.checked_sub(1).map(|i| text.as_bytes()[i]) {
            Some(x) if BYTE_CLASS[usize::from(x)] & (WORD | JOIN | NOT_ASCII) != 0 => {
                token_start(text, at)
            }
            _ => at,
        };
        let found = if start == at {
            // The token starts with the capital found: only the rest is read.
            token_from::<true>(text, at, at + utf8_len(text.as_bytes()[at]), true)
        } else {
            scan_token::<true>(text, start).expect("a word character starts a token")
        };
        from = found.0.span.end;
        Some(found)
    })
}

/// Calls `f` with each of [`tokens_with_a_capital`], in order. Not inlined: in a function of
/// its own the loop keeps the text, where it is and the constants in registers, where
/// inlined into a rule's loop it reloaded them from the stack for every step (measured when
/// a step was eight bytes: 11 instructions against 23).
#[inline(never)]
pub fn each_token_with_a_capital<'a>(text: &'a str, mut f: impl FnMut(Token<'a>, Capitals)) {
    for (t, caps) in tokens_with_a_capital(text) {
        f(t, caps);
    }
}

/// Where the first capital that is a word character at or after byte `from` (a character
/// boundary) starts.
///
/// The text is read sixteen bytes at a time, and within them only the bytes that can start a
/// capital ([`capital_starts`]), which [`is_capital_at`] tells one after the other. Vietnamese
/// text has such a byte every few bytes, nearly always the first of a small letter: going on
/// in the same sixteen bytes after one costs less than reading them again from after it, and
/// going on after them costs less than looking for where to start again (most sixteen bytes
/// with such a byte hold no capital).
#[inline(always)]
fn next_capital(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut rest = b.get(from..)?;
    loop {
        let (chunk, mut found) = capital_starts_in(rest)?;
        let base = b.len() - chunk.len();
        while found != 0 {
            let at = base + found.trailing_zeros() as usize;
            if is_capital_at(text, at) {
                return Some(at);
            }
            found &= found - 1;
        }
        // The sixteen bytes read were the last ones when fewer are left.
        rest = chunk.get(16..)?;
    }
}

/// The first sixteen bytes of `rest` (in steps of sixteen) in which a byte may start a
/// capital: the rest of the text from them on, and [`capital_starts`] of them; the last bytes
/// are read with zeros after them (a zero starts no capital). None when no byte of `rest` may.
#[inline(always)]
fn capital_starts_in(mut rest: &[u8]) -> Option<(&[u8], u16)> {
    while let Some((chunk, after)) = rest.split_first_chunk::<16>() {
        let found = capital_starts(chunk);
        if found != 0 {
            return Some((rest, found));
        }
        rest = after;
    }
    let mut last = [0; 16];
    last[..rest.len()].copy_from_slice(rest);
    let found = capital_starts(&last);
    (found != 0).then_some((rest, found))
}

/// The bytes of `chunk` that may start a capital, byte `k` as bit `k`: `A` to `Z`, and
/// `0xC0` to `0xFF`, the first bytes of characters that are not ASCII. The other bytes of a
/// character (`0x80` to `0xBF`) and ASCII's other bytes start none.
#[inline(always)]
fn capital_starts(chunk: &[u8; 16]) -> u16 {
    let x = Lanes::load(chunk);
    x.in_range(b'A', b'Z').or(x.at_least(0xC0)).high_bits()
}

/// The length in bytes of the character that starts with byte `x`.
#[inline]
fn utf8_len(x: u8) -> usize {
    match x {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// Which characters of two bytes in UTF-8 (U+0080–U+07FF) are capitals, one bit each: word
/// `x & 0x1F` for a first byte `x`, bit `y & 0x3F` for a second byte `y`, so that the two bytes
/// find the bit without the code point being put together. Taken from the standard library's
/// tables at compile time. Every capital is a word character (Unicode's capitals are letters).
static TWO_BYTE_CAPITALS: [u64; 32] = {
    let mut bits = [0; 32];
    let mut code = 0x80;
    while code < 0x800 {
        if let Some(c) = char::from_u32(code as u32)
            && c.is_uppercase()
        {
            bits[code >> 6] |= 1 << (code & 0x3F);
        }
        code += 1;
    }
    bits
};

/// Whether the character at byte `at` of `text`, ASCII or the first byte of a character that
/// is not ASCII, is a capital and a word character: [`see`]'s answer for the
/// capitals, with fewer steps for the small letters [`next_capital`] meets every few bytes of
/// Vietnamese. A character of two bytes is told by one look in [`TWO_BYTE_CAPITALS`], one of
/// U+1E00–U+1EFF by one in [`LATIN_CAPITALS`], and an emoji by its first three bytes; the
/// others go through [`see`].
#[inline(always)]
fn is_capital_at(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let x = b[at];
    if x < 0x80 {
        return x.is_ascii_uppercase();
    }
    if x < 0xE0 {
        // The first of two bytes (a byte below 0xC0 starts no character, and is not asked
        // about).
        return TWO_BYTE_CAPITALS[usize::from(x & 0x1F)] >> (b[at + 1] & 0x3F) & 1 != 0;
    }
    let y = b[at + 1];
    if x == 0xE1 && y & 0xFC == 0xB8 {
        return LATIN_CAPITALS[10 + usize::from(y & 3)] >> (b[at + 2] & 0x3F) & 1 != 0;
    }
    if x == 0xF0 && y == 0x9F && b[at + 2] >= 0x87 {
        // U+1F1C0–U+1FFFF: emoji and other signs, no capitals (the squared and circled Latin
        // capitals before them end at U+1F189).
        return false;
    }
    let seen = see::<true>(text, at);
    seen.word && seen.capital
}

/// The tokens of `text` in which an occurrence of one of `needles` starts (at a word
/// character), with their capitals, in order and each once: [`tokens_containing`] for many
/// needles at once. One search per needle reads the text once per needle; a glossary that
/// spells out thousands of acronyms made that quadratic, so past a few needles one
/// Aho-Corasick automaton finds them all in one reading.
pub fn tokens_containing_any<'a>(text: &'a str, needles: &[&str]) -> Vec<(Token<'a>, Capitals)> {
    // An empty needle occurs everywhere: then every token is wanted, as one search finds.
    let mut found: Vec<(Token, Capitals)> = if needles.len() <= 4 || needles.contains(&"") {
        needles
            .iter()
            .flat_map(|n| tokens_containing(text, n))
            .collect()
    } else {
        let automaton = aho_corasick::AhoCorasick::new(needles).expect("needles fit an automaton");
        let mut found: Vec<(Token, Capitals)> = Vec::new();
        // Leftmost-first matches can hide an occurrence that starts inside another one and
        // runs past it; the overlapping search reports every occurrence, ordered by end.
        for m in automaton.find_overlapping_iter(text) {
            let at = m.start();
            // Another occurrence in the token found last would find it again.
            let in_last = found.last().is_some_and(|(t, _)| t.span.contains(&at));
            if in_last || !word_char_at(text, at) {
                continue;
            }
            let mut scanner = Scanner::<true> {
                text,
                at: token_start(text, at),
            };
            found.push(scanner.next().expect("a word character starts a token"));
        }
        found
    };
    found.sort_by_key(|(t, _)| t.span.start);
    found.dedup_by_key(|(t, _)| t.span.start);
    found
}

/// The tokens of `text` in which an occurrence of `needle` starts (at a word character), in
/// order, with their capitals. A rule that looks for a few words can search for them, which
/// runs many bytes at a time, and read only the tokens around what it finds.
pub fn tokens_containing<'a>(
    text: &'a str,
    needle: &str,
) -> impl Iterator<Item = (Token<'a>, Capitals)> {
    let finder = memchr::memmem::Finder::new(needle.as_bytes()).into_owned();
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let at = from + finder.find(text.as_bytes().get(from..)?)?;
            if !word_char_at(text, at) {
                // Not where a word starts. An empty needle is found at every byte, inside
                // characters too, and at the end of the text, where this stops.
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let mut scanner = Scanner::<true> {
                text,
                at: token_start(text, at),
            };
            let found = scanner.next().expect("a word character starts a token");
            // Other occurrences in this token would find it again.
            from = found.0.span.end;
            return Some(found);
        }
    })
}

/// Where the token around the word character at byte `at` starts: back over word characters,
/// and over joiners with a word character before them (one follows them).
fn token_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let before = |i: usize| (i > 0).then(|| floor_char_boundary(text, i - 1));
    let mut start = at;
    while let Some(&x) = start.checked_sub(1).and_then(|i| b.get(i)) {
        let class = BYTE_CLASS[usize::from(x)];
        if class & WORD != 0 {
            start -= 1;
        } else if class & JOIN != 0
            && let Some(word) = before(start - 1).filter(|&w| word_char_at(text, w))
        {
            start = word;
        } else if class & NOT_ASCII != 0
            && let Some(prev) = before(start).filter(|&p| word_char_at(text, p))
        {
            start = prev;
        } else {
            break;
        }
    }
    start
}

/// Whether token `t`, with capitals `caps`, may hold acronym-like words: it has two capitals
/// (an acronym-like word has) and no `/` or `+` (document numbers and time zones). Both are
/// ASCII, which is never part of another character: the bytes are read without decoding.
pub fn may_hold_acronyms(t: &str, caps: Capitals) -> bool {
    caps.count >= 2 && !t.bytes().any(|b| b == b'/' || b == b'+')
}

/// The acronym-like words of a token that [`may_hold_acronyms`].
pub fn acronym_words_in(t: Token<'_>) -> impl Iterator<Item = Token<'_>> {
    split_hyphens(t).filter(|t| is_acronym_like(t.text) && !is_roman_numeral(t.text))
}

/// The parts of a token between hyphens, a part that is a number staying with the one before
/// it (`AMIM-17`; `ASEAN-Japan` is two parts). Most tokens have no hyphen and are their own
/// only part.
fn split_hyphens(t: Token<'_>) -> HyphenParts<'_> {
    HyphenParts {
        token: t,
        at: Some(0),
    }
}

/// The iterator of [`split_hyphens`].
struct HyphenParts<'a> {
    token: Token<'a>,
    /// Where the next part starts in the token's text, until the last was returned.
    at: Option<usize>,
}

impl<'a> Iterator for HyphenParts<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let s = self.token.text;
        let start = self.at?;
        let part_end = |from: usize| s[from..].find('-').map_or(s.len(), |i| from + i);
        let mut end = part_end(start);
        // Numbers (and empty parts) after a hyphen join the part before them.
        while end < s.len() {
            let next = part_end(end + 1);
            if !s.as_bytes()[end + 1..next].iter().all(u8::is_ascii_digit) {
                break;
            }
            end = next;
        }
        self.at = (end < s.len()).then_some(end + 1);
        let base = self.token.span.start;
        Some(Token {
            span: base + start..base + end,
            text: &s[start..end],
        })
    }
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
    edit_distance_at_most(a, b, usize::MAX).expect("every distance is at most usize::MAX")
}

/// [`edit_distance`] when it is at most `limit`, else none, found sooner: the computation stops
/// at two rows in a row whose every distance is over `limit` (the final distance can be no
/// less, a transposition reaching two rows back at most).
pub fn edit_distance_at_most(a: &str, b: &str, limit: usize) -> Option<usize> {
    // Bytes are characters in ASCII, which acronyms nearly always are: nothing to decode.
    if a.is_ascii() && b.is_ascii() {
        return alignment_distance(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    alignment_distance(&a, &b, limit)
}

/// [`edit_distance_at_most`] of two sequences. A transposition looks two rows back, so three
/// rows are kept, in one buffer that is on the stack for the short words compared (the
/// messages compare a word with many lexicon acronyms). Only the band of cells within `limit`
/// of the diagonal is computed: a cell further off is at least its distance from the
/// diagonal, over the limit, and is read as `limit + 1` (Ukkonen's cut-off).
fn alignment_distance<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    const STACK: usize = 3 * 33;
    // The distance is at least the difference in length, and at most the longer length (a
    // larger limit changes nothing).
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let limit = limit.min(a.len().max(b.len()));
    let over = limit + 1;
    let width = b.len() + 1;
    let mut stack = [0; STACK];
    let mut heap = Vec::new();
    let buf: &mut [usize] = if 3 * width <= STACK {
        &mut stack[..3 * width]
    } else {
        heap.resize(3 * width, 0);
        &mut heap
    };
    // The row before the previous one is first read for row 2.
    let (mut before, rest) = buf.split_at_mut(width);
    let (mut prev, mut row) = rest.split_at_mut(width);
    for (j, d) in prev.iter_mut().enumerate() {
        *d = j.min(over);
    }
    // Whether the previous row had no distance within the limit.
    let mut prev_over = false;
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        row[0] = i.min(over);
        // The cell left of the band, read by its first cell.
        row[lo - 1] = if lo == 1 { row[0] } else { over };
        let mut least = row[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d.min(over);
            least = least.min(d);
        }
        // The cell right of the band, read by the next row's last cell.
        if hi < b.len() {
            row[hi + 1] = over;
        }
        if least > limit && prev_over {
            return None;
        }
        prev_over = least > limit;
        (before, prev, row) = (prev, row, before);
    }
    Some(prev[b.len()]).filter(|&d| d <= limit)
}

/// The 1-based line of byte `at`, counting `\r\n`, `\r` and `\n` as one line break each, for
/// messages that point at another place in the document.
pub fn line_number(text: &str, at: usize) -> usize {
    LineNumbers::new(text).of(at)
}

/// The lines of one text, for many places of it: their numbers ([`line_number`]), which
/// messages give, and whether they are headlines ([`is_title_line`]). Several rules ask about
/// every acronym and definition of an article, and some give the line of another place: the
/// text's `\n` and `\r` are found once, in one search, when first needed, and each place's
/// line is then found among them by bisection.
pub struct LineNumbers<'a> {
    text: &'a str,
    /// Where each `\n` and `\r` is, in order: a line is what lies between two of them, as
    /// [`line_within`] finds it. Given by the analysis ([`LineNumbers::with_breaks`]), or
    /// found when first needed.
    breaks: OnceCell<Cow<'a, [usize]>>,
    /// The line [`LineNumbers::is_title`] last asked about (its index among the lines):
    /// places are mostly asked about in text order, many on the same line or the next, which
    /// are tried before bisecting the breaks.
    last_line: Cell<usize>,
    /// The line breaks that [`line_number`] counts, when they are not `breaks`: those but the
    /// `\n` of each `\r\n`, when the text has one.
    counted: OnceCell<Option<Vec<usize>>>,
    /// For each line (the one before each break, then the last), the verdict of
    /// [`is_title_line`] for the places of the line whose [`SHORT_LINE`] bytes each way hold
    /// the whole line (it depends on the line alone), once one was asked about.
    verdicts: OnceCell<Vec<Cell<Option<bool>>>>,
}

impl<'a> LineNumbers<'a> {
    pub fn new(text: &'a str) -> LineNumbers<'a> {
        LineNumbers {
            text,
            breaks: OnceCell::new(),
            last_line: Cell::new(0),
            counted: OnceCell::new(),
            verdicts: OnceCell::new(),
        }
    }

    /// The lines of `text`, whose `\n` and `\r` are at `breaks`, in order (as
    /// [`crate::analysis::Analysis::line_breaks`] gives them): not searched for again.
    pub fn with_breaks(text: &'a str, breaks: &'a [usize]) -> LineNumbers<'a> {
        debug_assert!(
            breaks
                .iter()
                .copied()
                .eq(memchr::memchr2_iter(b'\n', b'\r', text.as_bytes())),
            "the line breaks of another text"
        );
        let lines = LineNumbers::new(text);
        let _ = lines.breaks.set(Cow::Borrowed(breaks));
        lines
    }

    /// Where each `\n` and `\r` of the text is.
    fn breaks(&self) -> &[usize] {
        self.breaks.get_or_init(|| {
            // Room for the breaks of news text, which has a line break every 130 bytes or so,
            // and for most shorter lines: growing the list one doubling at a time took a
            // dozen copies.
            let mut breaks = Vec::with_capacity(self.text.len() / 64 + 1);
            breaks.extend(memchr::memchr2_iter(b'\n', b'\r', self.text.as_bytes()));
            Cow::Owned(breaks)
        })
    }

    /// The index of the line around `at` among the lines (before each of `breaks`, then the
    /// last): how many breaks are before `at`. The line last asked about and the next one are
    /// tried first.
    fn line_index(&self, breaks: &[usize], at: usize) -> usize {
        // Whether line `i` holds `at`: it runs from after break `i - 1` to break `i`.
        let holds = |i: usize| {
            i.checked_sub(1).is_none_or(|j| breaks[j] < at)
                && breaks.get(i).is_none_or(|&p| at <= p)
        };
        let last = self.last_line.get().min(breaks.len());
        let line = if holds(last) {
            last
        } else if last < breaks.len() && holds(last + 1) {
            last + 1
        } else {
            breaks.partition_point(|&p| p < at)
        };
        debug_assert_eq!(line, breaks.partition_point(|&p| p < at));
        self.last_line.set(line);
        line
    }

    /// The 1-based line of byte `at` (the last line past the end).
    pub fn of(&self, at: usize) -> usize {
        let breaks = self.breaks();
        let counted = self.counted.get_or_init(|| {
            // The `\n` of a `\r\n` is no break of its own. Most texts have none.
            let b = self.text.as_bytes();
            let crlf = |&p: &usize| b[p] == b'\n' && p > 0 && b[p - 1] == b'\r';
            breaks
                .iter()
                .any(crlf)
                .then(|| breaks.iter().copied().filter(|p| !crlf(p)).collect())
        });
        1 + counted
            .as_deref()
            .unwrap_or(breaks)
            .partition_point(|&p| p < at)
    }

    /// [`is_title_line`]`(text, at)`.
    pub fn is_title(&self, at: usize) -> bool {
        let text = self.text;
        let breaks = self.breaks();
        // The line around `at`: after the last break before it, up to the first at or after it.
        let line = self.line_index(breaks, at);
        let start = line.checked_sub(1).map_or(0, |i| breaks[i] + 1);
        let end = breaks.get(line).copied().unwrap_or(text.len());
        // What `short_line_around(text, at, SHORT_LINE)` finds, from the line: whether its
        // start and end are within reach of `at` (see `line_within`).
        let lo = floor_char_boundary(text, at.saturating_sub(SHORT_LINE));
        let hi = floor_char_boundary(text, at.saturating_add(SHORT_LINE));
        // The line break before the line (at `start - 1`) is at or after `lo`.
        let start_reached = start > lo || lo == 0;
        let end_reached = end < hi || hi == text.len();
        if !(start_reached && end_reached) {
            return false;
        }
        let verdicts = self
            .verdicts
            .get_or_init(|| vec![Cell::new(None); breaks.len() + 1]);
        let verdict = &verdicts[line];
        verdict.get().unwrap_or_else(|| {
            // Most lines asked about are paragraphs of body text, which end a sentence: told
            // from the line found, as `is_title_line` first tells them.
            let body = text[start..end].trim();
            let title =
                !(body.is_empty() || body.ends_with(SENTENCE_ENDS)) && is_title_line(text, at);
            verdict.set(Some(title));
            title
        })
    }
}

#[cfg(test)]
mod reference {
    //! The straightforward versions of the functions above that read bytes instead of
    //! characters or avoid allocating: the tests check that both give the same results.
    use std::ops::Range;

    use super::{LONG_SENTENCE, Token, floor_char_boundary, is_acronym_like, is_roman_numeral};
    use crate::matcher::is_word_char;

    /// [`super::next_capital`] as it was before it went on in the same eight bytes after a
    /// character that is not ASCII.
    pub fn next_capital(text: &str, mut from: usize) -> Option<usize> {
        const LANES: u64 = u64::from_le_bytes([1; 8]);
        let b = text.as_bytes();
        loop {
            // Eight bytes at a time while they are ASCII other than `A` to `Z`. Each lane's high
            // bit is set when the byte is not ASCII or, adding to its low seven bits (which
            // cannot carry into the next lane), when it is at least `A` and not above `Z`.
            while let Some(chunk) = b.get(from..from + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                let low = word & (0x7F * LANES);
                let capital = (low + 0x3F * LANES) & !(low + 0x25 * LANES);
                let found = (word | capital) & (0x80 * LANES);
                if found != 0 {
                    from += found.trailing_zeros() as usize / 8;
                    break;
                }
                from += 8;
            }
            let &x = b.get(from)?;
            if x < 0x80 {
                if x.is_ascii_uppercase() {
                    return Some(from);
                }
                from += 1;
            } else {
                let seen = super::see::<true>(text, from);
                if seen.word && seen.capital {
                    return Some(from);
                }
                from += seen.len;
            }
        }
    }

    pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
        let mut chars = text.char_indices().peekable();
        std::iter::from_fn(move || {
            let (start, _) = chars.by_ref().find(|&(_, c)| is_word_char(c))?;
            let mut end = text.len();
            while let Some(&(i, c)) = chars.peek() {
                let joins = matches!(c, '-' | '/' | '+' | '&')
                    && text[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(is_word_char);
                if is_word_char(c) || joins {
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

    pub fn acronym_words(text: &str) -> impl Iterator<Item = Token<'_>> {
        tokens(text)
            .filter(|t| has_two_capitals(t.text) && !t.text.contains(['/', '+']))
            .flat_map(split_hyphens)
            .filter(|t| is_acronym_like(t.text) && !is_roman_numeral(t.text))
    }

    pub fn has_two_capitals(s: &str) -> bool {
        s.chars().filter(|c| c.is_uppercase()).nth(1).is_some()
    }

    pub fn is_capitalised(t: &str) -> bool {
        let mut chars = t.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase())
    }

    pub fn split_hyphens(t: Token<'_>) -> Vec<Token<'_>> {
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

    pub fn sentence_around(text: &str, span: &Range<usize>) -> Range<usize> {
        let is_line_break = |c: char| matches!(c, '\n' | '\r');
        let ends_sentence = |c: char| matches!(c, '.' | '!' | '?' | '…');
        let followed_by_space =
            |at: usize| text[at..].chars().next().is_none_or(char::is_whitespace);
        let lo = floor_char_boundary(text, span.start.saturating_sub(LONG_SENTENCE));
        let hi = floor_char_boundary(text, span.end.saturating_add(LONG_SENTENCE));
        let mut start = lo;
        for (i, c) in text[lo..span.start].char_indices().rev() {
            let i = lo + i;
            if is_line_break(c) || (ends_sentence(c) && followed_by_space(i + c.len_utf8())) {
                start = i + c.len_utf8();
                break;
            }
        }
        let mut end = hi;
        for (i, c) in text[span.end..hi].char_indices() {
            let at = span.end + i;
            if is_line_break(c) || (ends_sentence(c) && followed_by_space(at + c.len_utf8())) {
                end = at;
                break;
            }
        }
        start..end
    }

    pub fn is_all_caps_line(text: &str, at: usize) -> bool {
        let Some(line) = super::short_line_around(text, at, super::SHORT_LINE) else {
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
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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
    fn characters_are_classified_from_their_bytes_as_from_their_tables() {
        let mut buf = [0; 4];
        for c in '\u{80}'..=char::MAX {
            let s = c.encode_utf8(&mut buf);
            let (word, capital, len) = (is_word_char(c), c.is_uppercase(), c.len_utf8());
            let hex = c as u32;
            assert_eq!(
                see::<true>(s, 0),
                Seen { word, capital, len },
                "U+{hex:04X}"
            );
            let capital = false;
            assert_eq!(
                see::<false>(s, 0),
                Seen { word, capital, len },
                "U+{hex:04X}"
            );
            assert_eq!(word_char_at(s, 0), word, "U+{hex:04X}");
            let capital = c.is_uppercase();
            assert_eq!(is_capital_at(s, 0), word && capital, "U+{hex:04X}");
            // A capital is a word character: [`TWO_BYTE_CAPITALS`] holds capitals alone.
            assert!(word || !capital, "U+{hex:04X}");
        }
        for c in '\0'..'\u{80}' {
            assert_eq!(word_char_at(c.encode_utf8(&mut buf), 0), is_word_char(c));
        }
        assert!(!word_char_at("a", 1));
    }

    /// Text where the tokenizer's and the rules' cases are frequent: capitals, joiners,
    /// sentence ends, line breaks, Vietnamese and decomposed letters, other scripts, and any
    /// character now and then.
    fn prose_text() -> impl Strategy<Value = String> {
        const POOL: &[&str] = &[
            "A",
            "B",
            "M",
            "I",
            "X",
            "C",
            "V",
            "a",
            "s",
            "o",
            "1",
            "7",
            "0",
            "-",
            "/",
            "+",
            "&",
            " ",
            " ",
            ".",
            "!",
            "?",
            "…",
            ",",
            "(",
            ")",
            "\n",
            "\r",
            "\r\n",
            "\u{A0}",
            "Đ",
            "đ",
            "Ư",
            "ơ",
            "Ắ",
            "ạ",
            "Ỹ",
            "É",
            "é",
            "×",
            "÷",
            "ß",
            "ẞ",
            "\u{301}",
            "\u{323}",
            "\u{302}",
            "Σ",
            "ς",
            "Ω",
            "日本",
            "\u{1F600}",
            "\u{200B}",
            "\u{AD}",
            "\u{2026}",
            "\u{2025}",
            "\u{2024}",
            "Ầ",
            "Ц",
            "İ",
            "\u{212A}",
            "ǅ",
            "Ⅻ",
            "٣",
        ];
        let piece = prop_oneof![
            8 => proptest::sample::select(POOL).prop_map(str::to_owned),
            1 => any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..80).prop_map(|p| p.concat())
    }

    /// News text built from words and signs: acronyms, document numbers, words of mixed case,
    /// Vietnamese words in small letters, capitals and capitalised, composed and decomposed,
    /// joined to each other or not.
    fn news_text() -> impl Strategy<Value = String> {
        const PIECES: &[&str] = &[
            "AMIM-17",
            "SOMTC",
            "ASEANAPOL",
            "ACDFM-20",
            "COVID-19",
            "U.S.",
            "TP.HCM",
            "iPhone",
            "McKinsey",
            "Hà",
            "Nội",
            "HÀ",
            "NỘI",
            "ĐÀ",
            "NẴNG",
            "Đắk",
            "Lắk",
            "hội",
            "nghị",
            "Bộ",
            "Công",
            "an",
            "A\u{300}",
            "a\u{301}B",
            "Ω",
            "12",
            "2025",
            "24-NQ/TW",
            "GMT+7",
            "R&D",
            "x",
            "Z",
            " ",
            " ",
            " ",
            "-",
            "/",
            "+",
            "&",
            "'",
            "\u{2019}",
            "\u{201C}",
            "\u{201D}",
            "(",
            ")",
            ".",
            ",",
            "\n",
            "\r\n",
            "\u{A0}",
            "\u{2013}",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
    }

    fn config() -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            cases: 2000,
            failure_persistence: None,
            ..Default::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn tokens_agree_with_the_reference(text in prose_text()) {
            let got: Vec<Token> = tokens(&text).collect();
            let want: Vec<Token> = reference::tokens(&text).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn token_at_reads_the_tokens_after_any_boundary(text in prose_text(), cut in 0usize..200) {
            let from = floor_char_boundary(&text, cut.min(text.len()));
            let want: Vec<Token> = tokens(&text[from..])
                .map(|t| Token { span: t.span.start + from..t.span.end + from, text: t.text })
                .collect();
            let mut got = Vec::new();
            let mut at = from;
            while let Some(t) = token_at(&text, at) {
                at = t.span.end;
                got.push(t);
            }
            prop_assert_eq!(got, want);
        }

        #[test]
        fn acronym_words_agree_with_the_reference(text in prose_text()) {
            let got: Vec<Token> = acronym_words(&text).collect();
            let want: Vec<Token> = reference::acronym_words(&text).collect();
            prop_assert_eq!(got, want);
            let with: Vec<(Token, Capitals)> = tokens_with_capitals(&text).collect();
            let without: Vec<Token> = tokens(&text).collect();
            prop_assert_eq!(with.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), without);
            for (t, caps) in with {
                prop_assert_eq!(caps.count >= 2, reference::has_two_capitals(t.text));
                prop_assert_eq!(caps.is_capitalised(), reference::is_capitalised(t.text));
                let count = t.text.chars().filter(|c| c.is_uppercase()).count().min(2);
                let first = t.text.chars().next().is_some_and(char::is_uppercase);
                prop_assert_eq!(caps, Capitals { count: count as u8, first });
            }
        }

        #[test]
        fn title_lines_agree_with_is_title_line(
            lines in proptest::collection::vec(
                (prop_oneof![0usize..900, 390usize..410, 800usize..820], proptest::sample::select(&["\n", "\r\n", "\r", "\n\n", ".\n", "\n\r\n"][..])),
                1..8,
            ),
            places in proptest::collection::vec(any::<proptest::sample::Index>(), 1..60),
            sorted in any::<bool>(),
        ) {
            // Lines of every length around the limits, of one-, two- and three-byte letters
            // and spaces, in words short and long (a title has at most twenty).
            let mut text = String::new();
            for (i, (len, end)) in lines.iter().enumerate() {
                let words = if i % 2 == 0 { "AMIC é ẠB x" } else { "AMICéẠBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx " };
                let line: String = words.chars().cycle().skip(i).take(*len).collect();
                text.push_str(&line);
                text.push_str(end);
            }
            let mut places: Vec<usize> = places
                .iter()
                .map(|i| floor_char_boundary(&text, i.index(text.len() + 1)))
                .collect();
            if sorted {
                places.sort_unstable();
            }
            // Found when first asked for, or given as the analysis gives them; asked about in
            // text order mostly (from the line asked about last), or in any order.
            let breaks: Vec<usize> = memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()).collect();
            let lines = LineNumbers::new(&text);
            let given = LineNumbers::with_breaks(&text, &breaks);
            for at in places {
                let want = is_title_line(&text, at);
                prop_assert_eq!(lines.is_title(at), want, "at {}", at);
                prop_assert_eq!(given.is_title(at), want, "at {} (given breaks)", at);
            }
        }

        #[test]
        fn all_caps_lines_agree_with_the_reference(text in prose_text(), at in 0usize..400) {
            let at = floor_char_boundary(&text, at);
            prop_assert_eq!(is_all_caps_line(&text, at), reference::is_all_caps_line(&text, at));
        }

        #[test]
        fn line_numbers_count_line_breaks(
            text in prose_text(),
            places in proptest::collection::vec(any::<proptest::sample::Index>(), 0..12),
        ) {
            let b = text.as_bytes();
            let is_break = |i: usize| b[i] == b'\r' || (b[i] == b'\n' && (i == 0 || b[i - 1] != b'\r'));
            let want = |at: usize| 1 + (0..at.min(b.len())).filter(|&i| is_break(i)).count();
            // Places in any order, past the end too, between a `\r` and its `\n` too.
            let lines = LineNumbers::new(&text);
            for at in places.iter().map(|i| i.index(text.len() + 3)) {
                prop_assert_eq!(lines.of(at), want(at), "at {}", at);
            }
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                prop_assert_eq!(lines.of(at), want(at), "at {}", at);
            }
        }

        #[test]
        fn next_capitals_agree_with_the_reference(text in prose_text(), from in 0usize..400) {
            let from = floor_char_boundary(&text, from);
            prop_assert_eq!(next_capital(&text, from), reference::next_capital(&text, from));
        }

        #[test]
        fn tokens_with_a_capital_are_those_with_capitals(text in prose_text()) {
            let got: Vec<(Token, Capitals)> = tokens_with_a_capital(&text).collect();
            let want: Vec<(Token, Capitals)> =
                tokens_with_capitals(&text).filter(|(_, caps)| caps.count > 0).collect();
            prop_assert_eq!(got, want);
        }

        /// News text, where a capital follows a space or punctuation (the token starts at it),
        /// a letter, a mark or a joiner (it may start before).
        #[test]
        fn tokens_with_a_capital_in_news_text_are_those_with_capitals(text in news_text()) {
            let got: Vec<(Token, Capitals)> = tokens_with_a_capital(&text).collect();
            let want: Vec<(Token, Capitals)> =
                tokens_with_capitals(&text).filter(|(_, caps)| caps.count > 0).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn tokens_containing_agree_with_the_reference(text in prose_text(), from in 0usize..200, len in 0usize..6) {
            let from = floor_char_boundary(&text, from);
            let needle = &text[from..floor_char_boundary(&text, from + len)];
            let got: Vec<(Token, Capitals)> = tokens_containing(&text, needle).collect();
            let want = tokens_containing_reference(&text, needle);
            prop_assert_eq!(got.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>(), want);
            let all: Vec<(Token, Capitals)> = tokens_with_capitals(&text).collect();
            for found in got {
                prop_assert!(all.contains(&found));
            }
        }

        #[test]
        fn sentences_agree_with_the_reference(text in prose_text(), a in 0usize..400, b in 0usize..400) {
            let (a, b) = (floor_char_boundary(&text, a), floor_char_boundary(&text, b));
            let span = a.min(b)..a.max(b);
            prop_assert_eq!(sentence_around(&text, &span), reference::sentence_around(&text, &span));
        }

        /// Spans asked about one after another, mostly in text order, some overlapping, in
        /// text with sentence ends close together and with stretches longer than a sentence is
        /// searched for: [`Sentences`] finds what [`sentence_around`] finds.
        #[test]
        fn sentences_in_order_agree_with_sentence_around(
            text in prose_text(),
            words in 0usize..5,
            at in any::<proptest::sample::Index>(),
            places in proptest::collection::vec((any::<proptest::sample::Index>(), 0usize..24), 0..16),
            sorted in proptest::bool::weighted(0.8),
        ) {
            let mut text = text;
            let at = floor_char_boundary(&text, at.index(text.len() + 1));
            text.insert_str(at, &"word ".repeat([0, 3, 150, 210, 500][words]));
            let mut spans: Vec<Range<usize>> = places
                .iter()
                .map(|(i, len)| {
                    let start = floor_char_boundary(&text, i.index(text.len() + 1));
                    start..floor_char_boundary(&text, start + len)
                })
                .collect();
            if sorted {
                spans.sort_by_key(|s| (s.start, s.end));
            }
            let mut sentences = Sentences::new(&text);
            for span in &spans {
                prop_assert_eq!(sentences.around(span), sentence_around(&text, span), "{:?}", span);
            }
        }

        #[test]
        fn edit_distances_agree_with_the_reference(a in prose_text(), b in prose_text()) {
            let (a, b) = (&a[..floor_char_boundary(&a, 40)], &b[..floor_char_boundary(&b, 40)]);
            prop_assert_eq!(edit_distance(a, b), reference::edit_distance(a, b));
        }

        #[test]
        fn ascii_edit_distances_agree_with_the_reference(a in "[A-E-]{0,40}", b in "[A-E-]{0,40}") {
            prop_assert_eq!(edit_distance(&a, &b), reference::edit_distance(&a, &b));
        }

        #[test]
        fn bounded_edit_distances_agree_with_the_reference(
            a in "[ABC]{0,14}", b in "[ABC]{0,14}", limit in 0usize..7,
        ) {
            let d = reference::edit_distance(&a, &b);
            prop_assert_eq!(edit_distance_at_most(&a, &b, limit), (d <= limit).then_some(d));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn tokens_containing_any_finds_each_needles_tokens(
            text in prose_text(),
            picks in proptest::collection::vec((0usize..200, 0usize..6), 0..9),
        ) {
            let needles: Vec<&str> = picks
                .iter()
                .map(|&(from, len)| {
                    let from = floor_char_boundary(&text, from);
                    &text[from..floor_char_boundary(&text, from + len)]
                })
                .collect();
            let mut want: Vec<(Token, Capitals)> =
                needles.iter().flat_map(|n| tokens_containing(&text, n)).collect();
            want.sort_by_key(|(t, _)| t.span.start);
            want.dedup_by_key(|(t, _)| t.span.start);
            prop_assert_eq!(tokens_containing_any(&text, &needles), want, "{:?}", needles);
        }
    }

    /// Tokens in which an occurrence of `needle` starts at a word character, read from all
    /// the tokens.
    fn tokens_containing_reference<'a>(text: &'a str, needle: &str) -> Vec<Token<'a>> {
        let starts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(needle))
            .filter(|&i| text[i..].chars().next().is_some_and(is_word_char))
            .collect();
        reference::tokens(text)
            .filter(|t| starts.iter().any(|i| t.span.contains(i)))
            .collect()
    }

    /// Every character of two bytes and of the Latin and Greek letters of three, after small
    /// letters and before capitals, at each place of the eight-byte steps and in the last
    /// bytes, is found as the reference finds it.
    #[test]
    fn next_capitals_agree_for_every_latin_letter() {
        let chars = ('\u{80}'..='\u{7FF}')
            .chain('\u{1D00}'..='\u{20FF}')
            .chain(['\u{2C00}', '\u{A7AA}', 'Ａ', 'ａ'])
            // Signs next to `A` to `Z` and `a` to `z`, which the eight-byte test lets through.
            .chain(['@', '[', '\\', ']', '^', '_', '`', '{', 'Z', 'z']);
        for c in chars {
            for pad in 0..10 {
                for after in ["", "x", "ạ", "ĐA", "A", "à"] {
                    let text = format!("{}{c}{after}", "ă".repeat(pad % 3) + &"x".repeat(pad));
                    for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                        assert_eq!(
                            next_capital(&text, from),
                            reference::next_capital(&text, from),
                            "{text:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    /// The bytes that may start a capital are found in every lane of the sixteen, whatever
    /// the bytes around them.
    #[test]
    fn capital_starts_are_the_bytes_that_may_start_a_capital() {
        let may_start = |x: u8| x.is_ascii_uppercase() || x >= 0xC0;
        for x in 0..=u8::MAX {
            for lane in 0..16 {
                for fill in [0x00, 0x40, 0x5B, 0x7F, 0xBF, 0xFF] {
                    let mut bytes = [fill; 16];
                    bytes[lane] = x;
                    let want = bytes
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| may_start(b))
                        .fold(0, |m, (i, _)| m | 1 << i);
                    assert_eq!(
                        capital_starts(&bytes),
                        want,
                        "{x:#04X} in lane {lane} among {fill:#04X}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf8_lengths_are_told_from_first_bytes() {
        let mut buf = [0; 4];
        for c in '\0'..=char::MAX {
            let first = c.encode_utf8(&mut buf).as_bytes()[0];
            assert_eq!(utf8_len(first), c.len_utf8(), "U+{:04X}", c as u32);
        }
    }

    /// The punctuation [`see`] tells from its bytes holds no word character and no capital.
    #[test]
    fn general_punctuation_holds_no_word_character() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!is_word_char(c) && !c.is_uppercase(), "{c:?}");
            let text = format!("{c}");
            assert_eq!(
                see::<true>(&text, 0),
                Seen {
                    word: false,
                    capital: false,
                    len: 3
                }
            );
        }
        assert!(see::<true>("\u{2070}", 0).word);
    }

    #[test]
    fn tokens_containing_a_needle() {
        let t = "AB-CDAB x AB/AB, ABAB -AB AB";
        let got: Vec<&str> = tokens_containing(t, "AB").map(|(t, _)| t.text).collect();
        assert_eq!(got, ["AB-CDAB", "AB/AB", "ABAB", "AB", "AB"]);
        assert_eq!(tokens_containing(t, "").count(), tokens(t).count());
        assert_eq!(tokens_containing(t, "-").count(), 0);
        assert_eq!(tokens_containing(t, "Z").count(), 0);
        assert_eq!(tokens_containing("", "").count(), 0);
    }

    /// Lines around the lengths where places in them start to be too far from an end
    /// ([`SHORT_LINE`]), too far from both, and far longer, asked about at two places in turn:
    /// the verdict [`LineNumbers`] remembers for a line from the first must hold for the second.
    #[test]
    fn title_lines_agree_at_the_limits() {
        let lengths = (385..=415).chain(796..=814).chain([4090, 4097, 4200]);
        for (len, letters) in
            lengths.flat_map(|l| [(l, "AMICxxxxxxxxxxxxxxxxxxxxxxxxxxx "), (l, "ẠBéx")])
        {
            let line: String = letters.chars().cycle().take(len).collect();
            for text in [format!("{line}\n\nBody."), format!("Lead.\n\n{line}\r\n")] {
                let start = text.find(&line).expect("the line is in the text");
                let end = start + line.len();
                let places: Vec<usize> = [start, start + 3, start + 200, end - 200, end - 3, end]
                    .into_iter()
                    .chain((0..line.len()).step_by(37).take(30).map(|i| start + i))
                    .map(|at| floor_char_boundary(&text, at))
                    .collect();
                // The first place at either end or in the middle; the second anywhere.
                for &a in &places[..6] {
                    for &b in &places {
                        let lines = LineNumbers::new(&text);
                        assert_eq!(lines.is_title(a), is_title_line(&text, a), "{len} at {a}");
                        assert_eq!(
                            lines.is_title(b),
                            is_title_line(&text, b),
                            "{len} at {b} after {a}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn hyphens_split_as_the_reference_does() {
        for t in [
            "A",
            "A-B",
            "A-1",
            "1-A",
            "A-1-2-B-3",
            "AB-CD-EF",
            "A--B",
            "A-",
            "-A",
            "-",
            "--1",
            "A-1b-2",
            "",
            "Đ-12-Ư",
        ] {
            let token = Token {
                span: 10..10 + t.len(),
                text: t,
            };
            let got: Vec<Token> = split_hyphens(token.clone()).collect();
            assert_eq!(got, reference::split_hyphens(token), "{t:?}");
        }
    }

    /// Candidates next to each other, found by the same search or by both, rejected and
    /// accepted, at every span.
    #[test]
    fn sentences_agree_with_the_reference_everywhere() {
        for t in [
            "A.. B",
            "A.! B.? C",
            "It rose 3.2.1. End…. Then!? No?! x\r\ny",
            "Ầ… Ц. é!x ?",
            "..",
            "…",
            "a…b… c",
            "\n\r.",
            "U.S. troops. Hà Nội!. Ok",
            "“Quoted.” – said… “x”!y ?\n— ‘z’. End",
        ] {
            let places: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for (n, &a) in places.iter().enumerate() {
                for &b in &places[n..] {
                    let span = a..b;
                    assert_eq!(
                        sentence_around(t, &span),
                        reference::sentence_around(t, &span),
                        "{t:?} {span:?}"
                    );
                }
            }
        }
    }

    /// Mentions of one sentence share it, found once; a span after one that holds a sentence
    /// end, or out of reach of the sentence's start, has its own.
    #[test]
    fn sentences_are_shared_by_the_spans_in_them() {
        let span = |t: &str, w: &str| {
            let at = t.find(w).unwrap();
            at..at + w.len()
        };
        let t = "Before. AMIM-20 met AMIM-21 in U.S. waters and AMIM-22. Next";
        let mut sentences = Sentences::new(t);
        let first = sentences.around(&span(t, "AMIM-20"));
        assert_eq!(first, sentence_around(t, &span(t, "AMIM-20")));
        assert_eq!(sentences.around(&span(t, "AMIM-21")), first);
        assert_eq!(sentences.last.as_ref().and_then(|l| l.clean), Some(true));
        // `U.S.` runs past the first sentence's end; after it, in a sentence that `U.S.`
        // would have ended, is another.
        for w in ["U.S.", "waters", "AMIM-22", "Next"] {
            assert_eq!(
                sentences.around(&span(t, w)),
                sentence_around(t, &span(t, w)),
                "{w}"
            );
        }
        assert_ne!(sentence_around(t, &span(t, "U.S.")), first);
        assert_ne!(
            sentence_around(t, &span(t, "waters")),
            sentence_around(t, &span(t, "U.S."))
        );

        let pad = "word ".repeat(120);
        let t = format!("Before. {pad} AMIM-20 met {pad} AMIM-21 ends. Next");
        let mut sentences = Sentences::new(&t);
        let first = sentences.around(&span(&t, "AMIM-20"));
        assert_eq!(first, sentence_around(&t, &span(&t, "AMIM-20")));
        assert_eq!(sentences.around(&span(&t, "met")), first);
        // More than a sentence's reach from its start.
        let far = sentences.around(&span(&t, "AMIM-21"));
        assert_eq!(far, sentence_around(&t, &span(&t, "AMIM-21")));
        assert_ne!(far, first);
    }

    #[test]
    fn sentences_end_at_ellipses_and_line_breaks() {
        let t = "Before… after AMIC here… Then\r\nnext";
        let at = t.find("AMIC").unwrap();
        let s = sentence_around(t, &(at..at + 4));
        assert_eq!(&t[s], " after AMIC here");
        let at = t.find("next").unwrap();
        assert_eq!(&t[sentence_around(t, &(at..at + 4))], "next");
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
