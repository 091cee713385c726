//! Cutting a document into the pieces that are matched one by one, so that an edit
//! re-matches only the pieces it touched ([`super::Engine::reanalyze`]).
//!
//! A mention never crosses a cut, so matching piece by piece finds exactly what matching the
//! whole text would, as long as no alias could span one. Two kinds of line break cut:
//!
//! - a blank line (a line break, then only spaces or tabs, then another line break): no
//!   mention spans a paragraph;
//! - a line break after a sentence's final punctuation (`.`, `!`, `?`, `…`, perhaps followed
//!   by closing quotes or brackets): plain-text articles often put one paragraph on each line
//!   without blank lines between them. Unless the word before the punctuation is one an alias
//!   continues after (`TP.` in `TP. Hồ Chí Minh`, `No.` in `Conclusion No. 77-KL/TW`): the
//!   caller says which ([`crate::matcher::Matcher::ends_piece_after`]).
//!
//! A line break inside a sentence never cuts: names wrapped over two lines still match.

use std::ops::Range;

use crate::matcher::{CLOSERS, TERMINATORS, word_before};

/// The pieces of `text`, in order, without the line breaks that separate them. Their
/// concatenation with those separators is `text`; a text without cuts is one piece.
/// `cuts_after(word)` says whether a line that ends a sentence with `word` (the word
/// characters before the final punctuation, as written) ends a piece.
pub fn pieces(text: &str, cuts_after: impl Fn(&str) -> bool) -> Vec<Range<usize>> {
    pieces_and_breaks(text, cuts_after, &mut Vec::new())
}

/// [`pieces`], also pushing to `breaks` where each `\n` and `\r` of `text` is, in order:
/// cutting finds every line break, and the rules want them all for line numbers and
/// headlines (see [`crate::rules::prose::LineNumbers`]), which searching the text for them
/// again cost nearly as much as cutting it.
pub fn pieces_and_breaks(
    text: &str,
    cuts_after: impl Fn(&str) -> bool,
    breaks: &mut Vec<usize>,
) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Every `\n` and `\r` in `at..at + len`, a line break of one or two bytes.
    let mut push = |at: usize, len: usize| {
        breaks.push(at);
        if len == 2 {
            breaks.push(at + 1);
        }
    };
    while let Some(off) = memchr::memchr2(b'\n', b'\r', &b[i..]) {
        let brk = i + off;
        let len = line_break_len(b, brk);
        push(brk, len);
        let mut end = brk + len;
        let mut cut = false;
        // Blank lines that follow belong to the separator, and make it a cut.
        loop {
            let mut k = end;
            while k < b.len() && matches!(b[k], b' ' | b'\t') {
                k += 1;
            }
            if k < b.len() && matches!(b[k], b'\n' | b'\r') {
                let len = line_break_len(b, k);
                push(k, len);
                end = k + len;
                cut = true;
            } else {
                break;
            }
        }
        // Only a line that no blank line follows needs its sentence end read: in articles
        // that separate paragraphs with blank lines, few do (a fifth of the line breaks of
        // the profiling sample), and reading the word before the punctuation and asking
        // `cuts_after` about it was most of the cost of cutting.
        cut = cut || sentence_end(&text[start..brk]).is_some_and(&cuts_after);
        if cut {
            if brk > start {
                out.push(start..brk);
            }
            start = end;
        }
        i = end;
    }
    if start < b.len() {
        out.push(start..b.len());
    }
    out
}

/// `\r\n` counts as one line break.
fn line_break_len(b: &[u8], at: usize) -> usize {
    if b[at] == b'\r' && b.get(at + 1) == Some(&b'\n') {
        2
    } else {
        1
    }
}

/// When a line ends with a sentence's final punctuation (trailing spaces and closing quotes
/// or brackets aside): the word characters just before it, perhaps none.
///
/// Reads the line's end a character at a time: trimming it with lists of characters as
/// patterns cost a third of cutting a document.
fn sentence_end(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let last = |end: usize| line[..end].chars().next_back();
    while let Some(c) = last(end).filter(|c| CLOSERS.contains(c)) {
        end -= c.len_utf8();
    }
    let t = last(end).filter(|c| TERMINATORS.contains(c))?;
    Some(word_before(&line[..end - t.len_utf8()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, at_sentence_ends: bool) -> Vec<&str> {
        pieces(text, |word| at_sentence_ends && word != "TP")
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn blank_lines_cut_in_every_line_break_style() {
        for nl in ["\n", "\r\n", "\r"] {
            let t = format!("One para{nl}still one.{nl}{nl}Two{nl} \t{nl}{nl}Three{nl}");
            assert_eq!(
                texts(&t, false),
                [
                    format!("One para{nl}still one."),
                    "Two".into(),
                    format!("Three{nl}")
                ],
                "line break {nl:?}"
            );
        }
    }

    #[test]
    fn sentence_ends_cut_only_when_allowed() {
        let t = "The ASEAN\nSecretariat met.\n“Quoted.”\nHỏi?\nNo end\nhere";
        assert_eq!(
            texts(t, true),
            [
                "The ASEAN\nSecretariat met.",
                "“Quoted.”",
                "Hỏi?",
                "No end\nhere"
            ]
        );
        assert_eq!(texts(t, false), [t]);
        // A word an alias continues after keeps the line with the next.
        assert_eq!(
            texts("Tại TP.\nHồ Chí Minh. Xong.\nHết", true),
            ["Tại TP.\nHồ Chí Minh. Xong.", "Hết"]
        );
    }

    /// [`pieces`] as it was before it read sentence ends only on lines that no blank line
    /// follows: the reference the property test compares with.
    fn pieces_reference(text: &str, cuts_after: impl Fn(&str) -> bool) -> Vec<Range<usize>> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'\n', b'\r', &b[i..]) {
            let brk = i + off;
            let mut end = brk + line_break_len(b, brk);
            let mut cut = sentence_end(&text[start..brk]).is_some_and(&cuts_after);
            loop {
                let mut k = end;
                while k < b.len() && matches!(b[k], b' ' | b'\t') {
                    k += 1;
                }
                if k < b.len() && matches!(b[k], b'\n' | b'\r') {
                    end = k + line_break_len(b, k);
                    cut = true;
                } else {
                    break;
                }
            }
            if cut {
                if brk > start {
                    out.push(start..brk);
                }
                start = end;
            }
            i = end;
        }
        if start < b.len() {
            out.push(start..b.len());
        }
        out
    }

    /// [`sentence_end`] as it was before it read the line's end a character at a time.
    fn sentence_end_reference(line: &str) -> Option<&str> {
        let trimmed = line.trim_end_matches([' ', '\t']).trim_end_matches(CLOSERS);
        let before = trimmed.strip_suffix(TERMINATORS)?;
        Some(word_before(before))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, failure_persistence: None, ..Default::default()
        })]

        /// Line ends of words, every terminator and closer, spaces and tabs in any order.
        #[test]
        fn sentence_ends_as_trimming_with_patterns_finds_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "TP", "Hà Nội", "Hỏi", "x", "17", "Tế", ".", "!", "?", "…", "”", "’", ")",
                    "]", "\"", "'", "»", " ", "\t", "\u{A0}", "-", "é",
                ]),
                0..12,
            ),
        ) {
            let line = parts.concat();
            proptest::prop_assert_eq!(sentence_end(&line), sentence_end_reference(&line));
        }

        /// Texts of words, sentence ends, closers, spaces and every kind of line break, with
        /// words that a sentence end cuts after and words it does not.
        #[test]
        fn cuts_where_reading_every_sentence_end_cuts(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "TP", "Hà Nội", "No", "met", "Hỏi", "x", "17", ".", "!", "?", "…", "”", "’",
                    ")", "]", "\"", "»", " ", "\t", "\n", "\r", "\r\n", "\n\n", " \n \n", "-",
                ]),
                0..60,
            ),
        ) {
            let text = parts.concat();
            let cuts_after = |word: &str| word != "TP" && word != "No";
            let mut breaks = Vec::new();
            proptest::prop_assert_eq!(
                pieces_and_breaks(&text, cuts_after, &mut breaks),
                pieces_reference(&text, cuts_after)
            );
            // Every `\n` and `\r`, each once, in order.
            let want: Vec<usize> = memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()).collect();
            proptest::prop_assert_eq!(breaks, want);
        }
    }

    #[test]
    fn pieces_and_separators_make_up_the_text() {
        for t in [
            "",
            "\n",
            "\n\n\n",
            "a",
            "a.\n",
            "\r\n\r\nx.\r\ny\r",
            "x.  \n  y",
            "end.\r",
        ] {
            let ps = pieces(t, |_| true);
            let mut at = 0;
            for p in &ps {
                assert!(p.start >= at && p.start < p.end, "{t:?}: {ps:?}");
                assert!(t[at..p.start].chars().all(char::is_whitespace), "{t:?}");
                at = p.end;
            }
            assert!(t[at..].chars().all(char::is_whitespace), "{t:?}");
        }
    }
}
