//! Token-level BIO tags in CoNLL style, to train or evaluate a statistical tagger.
//!
//! One token per line, `token<TAB>tag`, a blank line after each sentence, and a
//! `-DOCSTART-<TAB>O` line (followed by a blank line) before each document, as in
//! CoNLL-2003. Tags are `O`, or `B-`/`I-` with the kind's [`tag`](super::tag): `ORG`,
//! `SERIES`, `MEETING`, `PER`, `LOC`, `DOC`, `TERM`.
//!
//! Tokens ([`tokenize`]) follow the main rules of Unicode word boundaries (UAX #29): a word
//! is a run of letters, digits and combining marks, kept whole across an apostrophe or a
//! period between letters (`don't`, `U.S`) and a period, comma or apostrophe between digits
//! (`3.000`, `1,5`) — where a mention ends inside a word, the rest starts with its
//! apostrophe (`Vietnam` `'s`); format characters (soft hyphen, joiners, variation selectors) stay
//! with the token they follow; a flag (two regional indicators) is one token; any other
//! character that is not a space is a token of its own (`24-NQ/TW` is `24 - NQ / TW`).
//! Zero-width spaces and BOMs separate tokens like spaces. The text is tokenised between
//! mention edges, so every mention starts and ends on a token boundary.
//!
//! Sentences ([`sentences`]) end at a blank line, and after `.`, `!`, `?` or `…` (and any
//! closing quotes or brackets) when a line break follows, or a space and then a capital
//! letter (or an opening quote and a capital) — but not after a known abbreviation
//! (`Gen.`, `Dr.`, `TS.`, `TP.`…) or a single capital letter (an initial), and never inside
//! a mention.

use std::io::{self, Write};
use std::ops::Range;

use crate::lexicon::Lexicon;
use crate::matcher::Mention;

/// A token of the text and its tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tagged {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// `O`, `B-ORG`, `I-ORG`…
    pub tag: String,
}

/// The sentences of `text`, each a list of tagged tokens.
pub fn sentences(lexicon: &Lexicon, text: &str, mentions: &[Mention]) -> Vec<Vec<Tagged>> {
    // Tokens, tagged, never crossing a mention edge; and for each, whether it lies inside
    // a mention other than at its end (no sentence ends there).
    let mut tokens: Vec<(Tagged, bool)> = Vec::new();
    let mut at = 0;
    let mut buf = Vec::new();
    for m in mentions {
        buf.clear();
        tokenize_range(text, at..m.span.start, &mut buf);
        tokens.extend(buf.drain(..).map(|span| {
            (
                Tagged {
                    span,
                    tag: "O".into(),
                },
                false,
            )
        }));
        let tag = super::tag(lexicon.record(m.entity.record).kind);
        tokenize_range(text, m.span.clone(), &mut buf);
        let n = buf.len();
        for (i, span) in buf.drain(..).enumerate() {
            let prefix = if i == 0 { "B" } else { "I" };
            tokens.push((
                Tagged {
                    span,
                    tag: format!("{prefix}-{tag}"),
                },
                i + 1 < n,
            ));
        }
        at = m.span.end;
    }
    buf.clear();
    tokenize_range(text, at..text.len(), &mut buf);
    tokens.extend(buf.drain(..).map(|span| {
        (
            Tagged {
                span,
                tag: "O".into(),
            },
            false,
        )
    }));

    let mut out: Vec<Vec<Tagged>> = Vec::new();
    let mut current: Vec<Tagged> = Vec::new();
    for i in 0..tokens.len() {
        let (tok, inside) = &tokens[i];
        current.push(tok.clone());
        let Some((next, _)) = tokens.get(i + 1) else {
            break;
        };
        if !inside && ends_sentence(text, &tokens, i, &next.span) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a sentence ends after token `i`, with `next` the following token.
fn ends_sentence(text: &str, tokens: &[(Tagged, bool)], i: usize, next: &Range<usize>) -> bool {
    let tok = &tokens[i].0.span;
    let gap = &text[tok.end..next.start];
    let line_breaks = gap.chars().filter(|&c| c == '\n').count()
        + gap
            .char_indices()
            .filter(|&(j, c)| c == '\r' && !gap[j + 1..].starts_with('\n'))
            .count();
    if line_breaks >= 2 {
        return true;
    }
    // The sentence-final mark, possibly followed by closing quotes or brackets.
    let mut k = i;
    while is_closer(&text[tokens[k].0.span.clone()]) && k > 0 {
        k -= 1;
    }
    let mark = &text[tokens[k].0.span.clone()];
    if !matches!(mark, "." | "!" | "?" | "…") {
        return false;
    }
    if mark == "." && k > 0 {
        let before = &tokens[k - 1].0.span;
        // Only when the period touches the word before it: `Gen.`, `J.`.
        if before.end == tokens[k].0.span.start && is_abbreviation(&text[before.clone()]) {
            return false;
        }
    }
    if line_breaks >= 1 {
        return true;
    }
    if gap.is_empty() || !gap.chars().all(is_space) {
        return false;
    }
    let next_text = &text[next.clone()];
    if starts_upper(next_text) {
        return true;
    }
    // An opening quote or bracket, then a capital.
    if is_opener(next_text)
        && let Some(after) = tokens.iter().find(|(t, _)| t.span.start >= next.end)
    {
        return starts_upper(&text[after.0.span.clone()]);
    }
    false
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "'" | "”" | "’" | "»" | ")" | "]")
}

fn is_opener(s: &str) -> bool {
    matches!(s, "\"" | "'" | "“" | "‘" | "«" | "(" | "[")
}

/// Words whose period does not end a sentence.
fn is_abbreviation(word: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cdr", "Adm", "Sgt",
        "Brig", "Sen", "Rep", "Gov", "Pres", "St", "Jr", "Sr", "No", "Nos", "Vol", "Art", "Fig",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc",
        "Ltd", "Co", "Corp", "vs", "etc", "e.g", "i.e", "U.S", "U.K", "U.N", "TS", "ThS", "PGS",
        "GS", "TP", "Tp", "TT", "ĐH", "Q", "P",
    ];
    ABBREVIATIONS.contains(&word) || {
        let mut c = word.chars();
        matches!((c.next(), c.next()), (Some(a), None) if a.is_uppercase())
    }
}

/// Tokens of the whole text, as byte ranges.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    tokenize_range(text, 0..text.len(), &mut out);
    out
}

/// Spaces between tokens: whitespace, and invisible characters that are not part of a word
/// (zero-width space, BOM, word joiner).
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Characters that stay with the character before them (UAX #29 Extend and Format, the
/// ones that occur in text: combining marks, soft hyphen, joiners, direction marks,
/// variation selectors, emoji modifiers and tags).
fn is_extend(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(c,
            '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}'
            | '\u{2061}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_extend(c)
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Appends the tokens of `text[range]` to `out`.
fn tokenize_range(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let chars: Vec<(usize, char)> = text[range.clone()]
        .char_indices()
        .map(|(i, c)| (range.start + i, c))
        .collect();
    let end_of = |i: usize| chars.get(i).map_or(range.end, |&(b, _)| b);
    // Skips the extend characters from `i`.
    let extend = |mut i: usize| {
        while i < chars.len() && is_extend(chars[i].1) {
            i += 1;
        }
        i
    };
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_space(c) || is_extend(c) {
            // A stray mark after a space belongs to no token.
            i += 1;
            continue;
        }
        // An apostrophe between letters where a mention edge cut the word (`Vietnam's`)
        // starts the clitic's token: `'s`.
        let clitic = matches!(c, '\'' | '’')
            && i == 0
            && text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
            && chars.get(1).is_some_and(|&(_, d)| d.is_alphabetic());
        let mut j;
        if is_word(c) || clitic {
            j = extend(i + 1);
            loop {
                while j < chars.len() && is_word(chars[j].1) {
                    j = extend(j + 1);
                }
                // A separator inside a word or a number: `don't`, `U.S`, `3.000`.
                let Some(&(_, sep)) = chars.get(j) else { break };
                let Some(&(_, after)) = chars.get(j + 1) else {
                    break;
                };
                let prev = chars[..j]
                    .iter()
                    .rev()
                    .map(|&(_, c)| c)
                    .find(|&c| !is_extend(c))
                    .unwrap_or(' ');
                let letters = prev.is_alphabetic()
                    && after.is_alphabetic()
                    && matches!(sep, '\'' | '’' | '.' | '·');
                let digits = prev.is_numeric()
                    && after.is_numeric()
                    && matches!(sep, '.' | ',' | '\'' | '’');
                if letters || digits {
                    j += 1;
                } else {
                    break;
                }
            }
        } else if is_regional_indicator(c)
            && chars
                .get(i + 1)
                .is_some_and(|&(_, d)| is_regional_indicator(d))
        {
            j = extend(i + 2);
        } else {
            j = extend(i + 1);
            // An emoji sequence joined by ZWJ stays one token.
            while j > 0
                && chars[j - 1].1 == '\u{200D}'
                && chars
                    .get(j)
                    .is_some_and(|&(_, d)| !is_space(d) && !is_word(d))
            {
                j = extend(j + 1);
            }
        }
        out.push(start..end_of(j));
        i = j;
    }
}

/// Writes one document: `-DOCSTART-<TAB>O`, a blank line, then each sentence's tokens and
/// a blank line.
pub fn write(
    lexicon: &Lexicon,
    text: &str,
    mentions: &[Mention],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(b"-DOCSTART-\tO\n\n")?;
    for sentence in sentences(lexicon, text, mentions) {
        for t in &sentence {
            writeln!(out, "{}\t{}", &text[t.span.clone()], t.tag)?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn tokens_follow_word_boundaries() {
        assert_eq!(
            toks("Nghị quyết số 24-NQ/TW, 3.000 người (AMIC)."),
            [
                "Nghị", "quyết", "số", "24", "-", "NQ", "/", "TW", ",", "3.000", "người", "(",
                "AMIC", ")", "."
            ]
        );
        assert_eq!(
            toks("Leaders' Meeting, don't; U.S. 1,5"),
            [
                "Leaders", "'", "Meeting", ",", "don't", ";", "U.S", ".", "1,5"
            ]
        );
        assert_eq!(
            toks("🇻🇳 Hà Nội 😀AMIC😀"),
            ["🇻🇳", "Hà", "Nội", "😀", "AMIC", "😀"]
        );
        // Decomposed marks, a soft hyphen and a zero-width space.
        assert_eq!(
            toks("Ho\u{0300}a Ngo\u{AD}ại Biển \u{200B}Đông"),
            ["Ho\u{0300}a", "Ngo\u{AD}ại", "Biển", "Đông"]
        );
        assert_eq!(toks("👨\u{200D}👩 x"), ["👨\u{200D}👩", "x"]);
    }

    #[test]
    fn a_mention_edge_inside_a_word_keeps_the_clitic() {
        let lx = Lexicon::embedded();
        let t = "Vietnam's delegation, Ministers' Meeting";
        let a = crate::analysis::Engine::embedded().analyze(t);
        let got: Vec<String> = sentences(&lx, t, &a.mentions)
            .concat()
            .iter()
            .map(|x| format!("{}/{}", &t[x.span.clone()], x.tag))
            .collect();
        assert_eq!(
            got,
            [
                "Vietnam/B-LOC",
                "'s/O",
                "delegation/O",
                ",/O",
                "Ministers/O",
                "'/O",
                "Meeting/O"
            ]
        );
    }

    fn split(t: &str) -> Vec<String> {
        let lx = Lexicon::embedded();
        sentences(&lx, t, &[])
            .into_iter()
            .map(|s| {
                s.iter()
                    .map(|x| &t[x.span.clone()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn sentences_split_on_final_marks() {
        assert_eq!(
            split("Headline here\n\nIt rose 3.000 times. Then it fell! Lt. Gen. Tran spoke.\nNext"),
            [
                "Headline here",
                "It rose 3.000 times .",
                "Then it fell !",
                "Lt . Gen . Tran spoke .",
                "Next"
            ]
        );
        assert_eq!(
            split("Theo Nghị quyết 24-NQ/TW. Hội nghị \"Mở\". \"Đóng\" rồi. a. b"),
            [
                "Theo Nghị quyết 24 - NQ / TW .",
                "Hội nghị \" Mở \" .",
                "\" Đóng \" rồi . a . b"
            ]
        );
        assert_eq!(split("line one\nline two."), ["line one line two ."]);
        assert_eq!(split("a.\r\rB"), ["a .", "B"]);
    }
}
