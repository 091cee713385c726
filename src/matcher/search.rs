//! The search for aliases in the normalised view: every pattern that matches at a word start.
//!
//! A mention starts where a word starts, so instead of an unanchored overlapping search that
//! reports every match at every byte (and then drops those inside words), the automaton is
//! walked anchored from each word start until it dies. Most walks end within a byte or two;
//! the ones that go on are the prefixes of aliases. The automaton is built for anchored
//! searches only, which also makes the DFA smaller and quicker to build.

use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, StartKind, dfa, nfa};

use super::is_word_char;

/// Up to this many bytes of patterns, the automaton is a DFA: the fastest walk, with memory
/// growing as states times byte classes. Beyond it, a contiguous NFA.
const DFA_MAX_PATTERN_BYTES: usize = 200_000;

/// An automaton over the patterns, walked by hand.
#[derive(Clone, Debug)]
pub(super) enum Search {
    Dfa(dfa::DFA),
    Nfa(nfa::contiguous::NFA),
}

impl Search {
    /// The automaton for `patterns` (pattern `i` is reported as `i`).
    pub(super) fn new(patterns: &[String]) -> Search {
        let bytes: usize = patterns.iter().map(String::len).sum();
        if bytes <= DFA_MAX_PATTERN_BYTES {
            Search::Dfa(
                dfa::DFA::builder()
                    .match_kind(MatchKind::Standard)
                    .start_kind(StartKind::Anchored)
                    .prefilter(false)
                    .build(patterns)
                    .expect("lexicon patterns fit the automaton"),
            )
        } else {
            Search::Nfa(
                nfa::contiguous::NFA::builder()
                    .match_kind(MatchKind::Standard)
                    .prefilter(false)
                    .build(patterns)
                    .expect("lexicon patterns fit the automaton"),
            )
        }
    }

    /// Calls `found(start, end, pattern)` for every pattern that matches `hay[start..end]`
    /// where `start` is a word start (the start of `hay`, or just after a character that is
    /// not a word character). In order of start, then end.
    pub(super) fn each_match(&self, hay: &str, found: impl FnMut(usize, usize, usize)) {
        match self {
            Search::Dfa(a) => walk(a, hay, found),
            Search::Nfa(a) => walk(a, hay, found),
        }
    }
}

fn walk<A: Automaton>(aut: &A, hay: &str, mut found: impl FnMut(usize, usize, usize)) {
    let Ok(start) = aut.start_state(Anchored::Yes) else {
        return;
    };
    let bytes = hay.as_bytes();
    let mut at_word_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_word_start {
            let mut sid = start;
            for (k, &byte) in bytes[i..].iter().enumerate() {
                sid = aut.next_state(Anchored::Yes, sid, byte);
                if !aut.is_special(sid) {
                    continue;
                }
                if aut.is_dead(sid) {
                    break;
                }
                if aut.is_match(sid) {
                    let len = k + 1;
                    for m in 0..aut.match_len(sid) {
                        let pid = aut.match_pattern(sid, m);
                        // A match state also lists patterns that end here but start later
                        // (suffixes): only those that start at `i` count.
                        if aut.pattern_len(pid) == len {
                            found(i, i + len, pid.as_usize());
                        }
                    }
                }
            }
        }
        // The next character, and whether a word may start after it.
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = hay[i..].chars().next().unwrap_or_default();
            (c, c.len_utf8())
        };
        at_word_start = if b.is_ascii() {
            !b.is_ascii_alphanumeric()
        } else {
            !is_latin_letter(c) && !is_word_char(c)
        };
        i += len;
    }
}

/// Latin letters with diacritics, Vietnamese among them: word characters, known without the
/// Unicode tables (whose lookup is slow for the Vietnamese block).
fn is_latin_letter(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && !matches!(c, '×' | '÷')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_letters_are_word_characters() {
        for c in ('\u{00C0}'..='\u{024F}').chain('\u{1E00}'..='\u{1EFF}') {
            assert_eq!(is_latin_letter(c), is_word_char(c), "{c:?}");
        }
    }

    /// What an unanchored overlapping search finds at word starts: the reference.
    fn reference(patterns: &[String], hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let mut out: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(hay)
            .filter(|m| hay.is_char_boundary(m.start()))
            .filter(|m| {
                hay[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_word_char(c))
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        out.sort();
        out
    }

    fn search(s: &Search, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        s.each_match(hay, |a, b, p| out.push((a, b, p)));
        assert!(out.is_sorted_by_key(|&(a, b, _)| (a, b)), "in order");
        out.sort();
        out
    }

    #[test]
    fn finds_what_the_overlapping_search_finds_at_word_starts() {
        let patterns: Vec<String> = [
            "asean",
            "sean",
            "an",
            "a",
            "asean regional forum",
            "regional",
            "hội nghị",
            "nghị",
            "ị",
            "(ac)",
            "-19",
            "covid-19",
            "đ",
        ]
        .map(String::from)
        .to_vec();
        let hays = [
            "",
            "asean",
            "the asean regional forum met; aseanx an a.",
            "hội nghị hộinghị nghịị ị",
            "covid-19 and -19 (ac)(ac)",
            "đđ đ 😀asean e\u{301}asean",
        ];
        let dfa = Search::new(&patterns);
        assert!(matches!(dfa, Search::Dfa(_)));
        let nfa = Search::Nfa(
            nfa::contiguous::NFA::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .unwrap(),
        );
        for hay in hays {
            let want = reference(&patterns, hay);
            assert_eq!(search(&dfa, hay), want, "DFA on {hay:?}");
            assert_eq!(search(&nfa, hay), want, "NFA on {hay:?}");
        }
    }

    #[test]
    fn a_large_pattern_set_gets_the_nfa() {
        let patterns: Vec<String> = (0..20_000).map(|i| format!("pattern number {i}")).collect();
        let s = Search::new(&patterns);
        assert!(matches!(s, Search::Nfa(_)));
        assert_eq!(
            search(&s, "a pattern number 17 z"),
            [(2, 18, 1), (2, 19, 17)]
        );
    }
}
