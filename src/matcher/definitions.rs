//! In-document definitions: `Long Form (ACR)` and `ACR (Long Form)`.
//!
//! The long form is taken from the lexicon when a name mention ends right before the
//! parenthesis; otherwise from the words before it whose letters spell the acronym
//! (Schwartz & Hearst, 2003). In `ACR (Long Form)`, the long form is the parenthesis.

use std::ops::Range;

use smallvec::SmallVec;

use super::{Candidates, Mention, Via};
use crate::lexicon::{EntityRef, Kind, Lexicon};
use crate::normalize::{base_letter, strip_diacritics};

/// A definition of an acronym in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The acronym as written (bytes of the original).
    pub short: Range<usize>,
    /// The acronym without a plural `s` (`SOPs` → `SOP`).
    pub short_text: String,
    /// The long form as written.
    pub long: Range<usize>,
    /// What the long form names, when the lexicon knows it.
    pub long_entity: Option<EntityRef>,
    /// What the acronym names in the lexicon (the first candidate), if it is known.
    pub short_entity: Option<EntityRef>,
    /// Every record the acronym can name.
    pub short_candidates: Candidates,
    /// Whether it is written `ACR (Long Form)` rather than `Long Form (ACR)`.
    pub short_first: bool,
}

impl Definition {
    /// The entity the definition binds the acronym to for the rest of the document: the
    /// long form's entity when the acronym can name it (or is unknown to the lexicon).
    pub fn bound(&self, lexicon: &Lexicon) -> Option<EntityRef> {
        let long = self.long_entity?;
        if self.short_candidates.is_empty() {
            return Some(long);
        }
        if let Some(short) = self.short_entity
            && same_family(lexicon, short, long)
        {
            // Prefer the more specific of the two (the edition).
            return Some(if short.edition.is_some() { short } else { long });
        }
        self.short_candidates.contains(&long.record).then_some(long)
    }

    /// Whether the long form names something other than the acronym's record(s).
    pub fn contradicts(&self, lexicon: &Lexicon) -> bool {
        if self.short_candidates.is_empty() {
            return false;
        }
        match self.long_entity {
            None => true,
            Some(_) => self.bound(lexicon).is_none(),
        }
    }
}

/// The same record, the same edition, or a meeting and its series.
pub fn same_family(lexicon: &Lexicon, a: EntityRef, b: EntityRef) -> bool {
    if a.record == b.record {
        return a.edition.is_none() || b.edition.is_none() || a.edition == b.edition;
    }
    let series_of = |e: EntityRef| {
        let r = lexicon.record(e.record);
        match r.kind {
            Kind::Meeting => r.facts.series,
            Kind::Series => Some(e.record),
            _ => None,
        }
    };
    let (sa, sb) = (series_of(a), series_of(b));
    let ed = |e: EntityRef| e.edition.or(lexicon.record(e.record).facts.edition);
    sa.is_some() && sa == sb && (ed(a).is_none() || ed(b).is_none() || ed(a) == ed(b))
}

/// Whether a token looks like an acronym: starts with a capital, has at least two capitals
/// and no more small letters than capitals, and only letters, digits, `-` and `&`.
///
/// It reads the token once, and stops at the first character that rules it out (the space
/// of a parenthesis of words, the 25th character), rather than reading all of it up to five
/// times: every parenthesis of an article is asked about, some twice.
pub fn is_acronym_like(s: &str) -> bool {
    let bytes = s.as_bytes();
    let starts_upper = match bytes.first() {
        Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
        _ => s.chars().next().is_some_and(char::is_uppercase),
    };
    if !starts_upper {
        return false;
    }
    let (mut upper, mut lower) = (0usize, 0usize);
    // Acronyms are nearly always ASCII: an ASCII character is told from its byte by one
    // table, where the Unicode properties of a `char` cost a decoding and several tests.
    // A token of more than 24 bytes may still be short enough in characters.
    for (k, &b) in bytes.iter().enumerate() {
        if !b.is_ascii() {
            return acronym_counts(&s[k..], k, upper, lower);
        }
        let class = ACRONYM_CLASS[usize::from(b)];
        if k == 24 || class == 0 {
            return false;
        }
        upper += usize::from(class & UPPER != 0);
        lower += usize::from(class & LOWER != 0);
    }
    upper >= 2 && lower <= upper && !s.ends_with('-')
}

/// [`is_acronym_like`] from the first character of `rest` that is not ASCII on, after
/// `chars` characters of which `upper` were capitals and `lower` small letters.
#[inline(never)]
fn acronym_counts(rest: &str, mut chars: usize, mut upper: usize, mut lower: usize) -> bool {
    for c in rest.chars() {
        chars += 1;
        if chars > 24 || !(c.is_alphanumeric() || c == '-' || c == '&') {
            return false;
        }
        upper += usize::from(c.is_uppercase());
        lower += usize::from(c.is_lowercase());
    }
    upper >= 2 && lower <= upper && !rest.ends_with('-')
}

/// A character an acronym may hold ([`ACRONYM_CLASS`]).
const ALLOWED: u8 = 1;
/// A capital ([`ACRONYM_CLASS`]).
const UPPER: u8 = 2;
/// A small letter ([`ACRONYM_CLASS`]).
const LOWER: u8 = 4;

/// What each ASCII character is to [`is_acronym_like`]: 0 for a character an acronym does
/// not hold, else [`ALLOWED`] with [`UPPER`] or [`LOWER`] for a letter.
const ACRONYM_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = if b.is_ascii_uppercase() {
            ALLOWED | UPPER
        } else if b.is_ascii_lowercase() {
            ALLOWED | LOWER
        } else if b.is_ascii_digit() || b == b'-' || b == b'&' {
            ALLOWED
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The acronym without a plural `s`: `SOPs` → `SOP`.
pub fn singular(s: &str) -> &str {
    match s.strip_suffix('s') {
        Some(b) if b.chars().last().is_some_and(char::is_uppercase) && is_acronym_like(b) => b,
        _ => s,
    }
}

const PREFIXES: [&str; 9] = [
    "gọi tắt là",
    "viết tắt là",
    "viết tắt",
    "tên viết tắt",
    "tiếng Anh:",
    "hereafter",
    "hereinafter",
    "or",
    "tức",
];

/// The first bytes of [`PREFIXES`], in both cases, as a set: a parenthesis that starts with
/// none of them (an acronym, nearly always) starts with no prefix, and the prefixes need not
/// be compared one by one.
const PREFIX_FIRSTS: u128 = {
    let mut set = 0u128;
    let mut k = 0;
    while k < PREFIXES.len() {
        let b = PREFIXES[k].as_bytes()[0];
        assert!(
            b.is_ascii_alphabetic(),
            "a prefix starts with an ASCII letter"
        );
        set |= 1 << b.to_ascii_lowercase() | 1 << b.to_ascii_uppercase();
        k += 1;
    }
    set
};

/// Where `items`, sorted, go from those `before` holds for to those it does not, as
/// `partition_point` finds it, looked for from `*from`, the answer of the last call, and
/// left there for the next: the parentheses of a document come in order, and the mention
/// they ask about is nearly always the one the last asked about or one of the next few,
/// where a binary search over all the mentions took a tenth of the work.
fn partition_from<T>(items: &[T], from: &mut usize, before: impl Fn(&T) -> bool) -> usize {
    let mut k = (*from).min(items.len());
    while k < items.len() && before(&items[k]) {
        k += 1;
    }
    while k > 0 && !before(&items[k - 1]) {
        k -= 1;
    }
    *from = k;
    k
}

/// Finds the definitions in `text`, given its mentions (in order).
pub fn find_definitions(lexicon: &Lexicon, text: &str, mentions: &[Mention]) -> Vec<Definition> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Where the last parenthesis found its mentions (see `partition_from`).
    let (mut at_start, mut at_end, mut at_inner) = (0, 0, 0);
    // Both parentheses are ASCII, so byte searches find them: no character is decoded
    // between them.
    while let Some(off) = memchr::memchr(b'(', &bytes[i..]) {
        let open = i + off;
        i = open + 1;
        let Some(close) = closing_parenthesis(bytes, open) else {
            continue;
        };
        let (inner_start, inner_end) = trim(text, open + 1, close);
        if inner_start >= inner_end {
            continue;
        }
        let mut inner_start = inner_start;
        let first = bytes[inner_start];
        // Most parentheses (acronyms) start with none of the prefixes' first bytes.
        let prefixes: &[&str] = if first < 128 && PREFIX_FIRSTS & 1 << first != 0 {
            &PREFIXES
        } else {
            &[]
        };
        for p in prefixes {
            let inner = &text[inner_start..inner_end];
            if inner.len() > p.len()
                && inner.is_char_boundary(p.len())
                && inner[..p.len()].eq_ignore_ascii_case(p)
                && inner[p.len()..].starts_with(char::is_whitespace)
            {
                inner_start = trim(text, inner_start + p.len(), inner_end).0;
                break;
            }
        }
        let inner = &text[inner_start..inner_end];
        // Mentions are sorted and never overlap: found from where the last look-up was.
        let mut mention_at = |r: &Range<usize>| {
            let i = partition_from(mentions, &mut at_start, |m| m.span.start < r.start);
            mentions.get(i).filter(|m| m.span == *r)
        };
        if is_acronym_like(inner) || is_acronym_like(singular(inner)) {
            // Long Form (ACR)
            let short = inner_start..inner_end;
            let short_text = singular(inner).to_owned();
            let before_end = text[..open].trim_end().len();
            let long_mention = mentions
                [..partition_from(mentions, &mut at_end, |m| m.span.end <= before_end)]
                .last()
                .filter(|m| m.span.end == before_end && m.via != Via::Acronym);
            let (long, long_entity) = match long_mention {
                Some(m) => (m.span.clone(), Some(m.entity)),
                None => match long_form_start(text, before_end, &short_text) {
                    Some(start) => (start..before_end, None),
                    None => continue,
                },
            };
            let sm = mention_at(&short);
            out.push(Definition {
                short,
                short_text,
                long,
                long_entity,
                short_entity: sm.map(|m| m.entity),
                short_candidates: sm.map(|m| m.candidates.clone()).unwrap_or_default(),
                short_first: false,
            });
            continue;
        }
        // ACR (Long Form)
        let before_end = text[..open].trim_end().len();
        let token_start = text[..before_end]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '&')
            .last()
            .map_or(before_end, |(j, _)| j);
        let token = &text[token_start..before_end];
        if !is_acronym_like(token) || inner.split_whitespace().nth(1).is_none() {
            continue;
        }
        let short = token_start..before_end;
        let sm = mention_at(&short);
        let first = partition_from(mentions, &mut at_inner, |m| m.span.start < inner_start);
        let inside = mentions[first..]
            .iter()
            .take_while(|m| m.span.end <= inner_end)
            .count();
        let inner_mentions = &mentions[first..first + inside];
        let long_entity = inner_mentions
            .iter()
            .find(|m| sm.is_some_and(|s| same_family(lexicon, s.entity, m.entity)))
            .or_else(|| {
                inner_mentions
                    .iter()
                    .find(|m| m.span == (inner_start..inner_end))
            })
            .map(|m| m.entity);
        out.push(Definition {
            short,
            short_text: singular(token).to_owned(),
            long: inner_start..inner_end,
            long_entity,
            short_entity: sm.map(|m| m.entity),
            short_candidates: sm.map(|m| m.candidates.clone()).unwrap_or_default(),
            short_first: true,
        });
    }
    out
}

/// The closing parenthesis of the one at `open`: the first `)` after it, if it starts within
/// 400 bytes and before another `(`.
fn closing_parenthesis(bytes: &[u8], open: usize) -> Option<usize> {
    let window = &bytes[open + 1..bytes.len().min(open + 1 + 400)];
    memchr::memchr2(b'(', b')', window)
        .filter(|&j| window[j] == b')')
        .map(|j| open + 1 + j)
}

fn trim(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e {
        let c = text[s..].chars().next().expect("in range");
        if c.is_whitespace() {
            s += c.len_utf8();
        } else {
            break;
        }
    }
    while e > s {
        let c = text[..e].chars().next_back().expect("in range");
        if c.is_whitespace() {
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    (s, e)
}

/// Where the long form of `short` starts before `end`: Schwartz & Hearst on the acronym,
/// or, for an edition (`AMIM-17`), on the acronym without its number, with the ordinal
/// before the long form included (`17th ASEAN Maritime Initiative Meeting`).
fn long_form_start(text: &str, end: usize, short: &str) -> Option<usize> {
    if let Some(start) = schwartz_hearst(text, end, short) {
        return Some(start);
    }
    let base = short.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = base.strip_suffix(['-', ' ']).unwrap_or(base);
    if base.len() == short.len() || !is_acronym_like(base) {
        return None;
    }
    let start = schwartz_hearst(text, end, base)?;
    // An ordinal right before: `17th`, `1st`, `first`.
    let before = text[..start].trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word = &before[word_start..];
    let ordinal = word.starts_with(|c: char| c.is_ascii_digit())
        && ["st", "nd", "rd", "th"].iter().any(|s| word.ends_with(s))
        || ORDINAL_WORDS.contains(&word.to_ascii_lowercase().as_str());
    Some(if ordinal && before.len() < start {
        word_start
    } else {
        start
    })
}

const ORDINAL_WORDS: [&str; 10] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
];

/// Schwartz & Hearst: the shortest run of words before `end` whose letters contain the
/// acronym's letters in order, the first one starting a word. Returns the start offset.
///
/// The candidate's characters are read backwards as the letters are matched, rather than
/// collected first, and only a matching first letter asks about the character before it.
fn schwartz_hearst(text: &str, end: usize, short: &str) -> Option<usize> {
    let letters = acronym_letters(short);
    if letters.len() < 2 {
        return None;
    }
    // What `base_letter` gives, without calling it for ASCII, most of the candidate.
    let base = |c: char| {
        if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            base_letter(c)
        }
    };
    let mut chars = candidate(text, end, letters.len());
    let mut first = None;
    for (s, &want) in letters.iter().enumerate().rev() {
        loop {
            let (j, c) = chars.next()?;
            // The character before the candidate, if any, is a space or punctuation, which
            // starts a word as the candidate's start does.
            if base(c) == want
                && (s != 0
                    || text[..j]
                        .chars()
                        .next_back()
                        .is_none_or(|p| !base(p).is_alphanumeric()))
            {
                first = Some(j);
                break;
            }
        }
    }
    // The long form starts at the beginning of the word the first letter starts.
    first
}

/// The letters of an acronym that its long form spells, lower case and without marks. An
/// acronym is nearly always ASCII, whose letters need neither normalisation nor a `String`.
fn acronym_letters(short: &str) -> SmallVec<[char; 24]> {
    if short.is_ascii() {
        return short
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    strip_diacritics(short)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The characters of the candidate long form for an acronym of `letters` letters before
/// `end`, from the last, with their offsets: at most min(n + 5, 2n) words, within the
/// sentence. Perhaps with spaces before its first word, which match no letter.
///
/// They are read as the letters are matched, and no further: the letters are often found
/// in the last few words, and reading all the words allowed first read more of them, twice.
fn candidate(text: &str, end: usize, letters: usize) -> impl Iterator<Item = (usize, char)> {
    let max_words = (letters + 5).min(letters * 2);
    let mut words = 0;
    let mut in_word = false;
    text[..end].char_indices().rev().map_while(move |(j, c)| {
        if matches!(
            c,
            '.' | ';' | ':' | '!' | '?' | '(' | ')' | '"' | '“' | '”' | '\n' | '\r'
        ) {
            return None;
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                in_word = false;
                if words >= max_words {
                    return None;
                }
            }
        } else {
            in_word = true;
        }
        Some((j, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`is_acronym_like`] as it was before it read the token once: the reference the
    /// property tests compare with.
    fn is_acronym_like_reference(s: &str) -> bool {
        let mut chars = s.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        if !first.is_uppercase() || s.chars().count() > 24 {
            return false;
        }
        if !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '&')
        {
            return false;
        }
        let upper = s.chars().filter(|c| c.is_uppercase()).count();
        let lower = s.chars().filter(|c| c.is_lowercase()).count();
        upper >= 2 && lower <= upper && !s.ends_with('-')
    }

    /// [`closing_parenthesis`] as `find_definitions` found it before it searched bytes.
    fn closing_parenthesis_reference(text: &str, open: usize) -> Option<usize> {
        text[open + 1..]
            .char_indices()
            .take_while(|(j, c)| *j < 400 && *c != '(')
            .find(|(_, c)| *c == ')')
            .map(|(j, _)| open + 1 + j)
    }

    /// [`schwartz_hearst`] as it was before it matched the letters while reading the
    /// candidate backwards.
    fn schwartz_hearst_reference(text: &str, end: usize, short: &str) -> Option<usize> {
        let letters: Vec<char> = strip_diacritics(short)
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        if letters.len() < 2 {
            return None;
        }
        let max_words = (letters.len() + 5).min(letters.len() * 2);
        let mut start = end;
        let mut words = 0;
        let mut in_word = false;
        for (j, c) in text[..end].char_indices().rev() {
            if matches!(
                c,
                '.' | ';' | ':' | '!' | '?' | '(' | ')' | '"' | '“' | '”' | '\n' | '\r'
            ) {
                break;
            }
            if c.is_whitespace() {
                if in_word {
                    words += 1;
                    in_word = false;
                    if words >= max_words {
                        break;
                    }
                }
            } else {
                in_word = true;
                start = j;
            }
        }
        let cand: Vec<(usize, char)> = text[start..end]
            .char_indices()
            .map(|(j, c)| (start + j, base_letter(c)))
            .collect();
        let mut l = cand.len() as isize - 1;
        let mut s = letters.len() as isize - 1;
        while s >= 0 {
            let want = letters[s as usize];
            loop {
                if l < 0 {
                    return None;
                }
                let (_, c) = cand[l as usize];
                let at_word_start = l == 0 || !cand[l as usize - 1].1.is_alphanumeric();
                if c == want && (s != 0 || at_word_start) {
                    break;
                }
                l -= 1;
            }
            l -= 1;
            s -= 1;
        }
        let first = (l + 1) as usize;
        Some(cand[first].0)
    }

    /// Words, acronyms, marks, punctuation, spaces and parentheses.
    const PARTS: &str = "([A-Za-z0-9]{1,6}|[A-ZĐÂĂ]{1,5}|Hội|nghị|Đà|Ủy|ban|hòa|ﬁ|İ|ǅ|Ⅻ|\u{301}|[-&.;:!?()\"“”\n ]|  |\u{A0}|中|🤝)";

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, failure_persistence: None, ..Default::default()
        })]

        /// Sorted lists with repeats, asked about in any order, from any start.
        #[test]
        fn partitions_are_found_where_a_binary_search_finds_them(
            mut items in proptest::collection::vec(0u8..40, 0..30),
            asks in proptest::collection::vec(0u8..45, 1..20),
            from in 0usize..40,
        ) {
            items.sort_unstable();
            let mut from = from;
            for x in asks {
                let want = items.partition_point(|&i| i < x);
                proptest::prop_assert_eq!(partition_from(&items, &mut from, |&i| i < x), want);
                proptest::prop_assert_eq!(from, want);
            }
        }

        /// Tokens of letters of any case and script, digits, dashes and spaces.
        #[test]
        fn acronyms_are_told_as_reading_the_token_five_times_told_them(
            parts in proptest::collection::vec(PARTS, 0..30),
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(is_acronym_like(&s), is_acronym_like_reference(&s));
            proptest::prop_assert_eq!(
                is_acronym_like(singular(&s)),
                is_acronym_like_reference(singular(&s))
            );
        }

        /// Every parenthesis of texts with nested, unclosed and distant parentheses.
        #[test]
        fn closing_parentheses_are_found_as_decoding_found_them(
            parts in proptest::collection::vec(PARTS, 0..200),
        ) {
            let text = parts.concat();
            for (open, _) in text.match_indices('(') {
                proptest::prop_assert_eq!(
                    closing_parenthesis(text.as_bytes(), open),
                    closing_parenthesis_reference(&text, open)
                );
            }
        }

        /// Long forms before every character boundary, for acronyms from the text and others.
        #[test]
        fn long_forms_start_where_collecting_the_candidate_found_them(
            parts in proptest::collection::vec(PARTS, 0..40),
            short in "([A-Z]{1,6}|[A-Z]{2,4}-[0-9]{1,2}|ĐHQG|ÂU|İA|[A-ZÀ-Ỹ0-9]{1,5})",
        ) {
            let text = parts.concat();
            let initials: String = text
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect();
            for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                for short in [short.as_str(), initials.as_str()] {
                    proptest::prop_assert_eq!(
                        schwartz_hearst(&text, end, short),
                        schwartz_hearst_reference(&text, end, short),
                        "{:?} before {}", short, end
                    );
                }
            }
        }
    }

    /// The set of first bytes holds a byte exactly when a prefix starts with it, in either
    /// case: no parenthesis that starts with a prefix is passed over.
    #[test]
    fn prefixes_are_looked_for_after_their_first_bytes_only() {
        for b in 0..128u8 {
            let starts = PREFIXES
                .iter()
                .any(|p| p.as_bytes()[0].eq_ignore_ascii_case(&b));
            assert_eq!(PREFIX_FIRSTS & 1 << b != 0, starts, "{:?}", char::from(b));
        }
        let lexicon = crate::lexicon::LexiconBuilder::new().build().unwrap();
        let defined = |text: &str| {
            find_definitions(&lexicon, text, &[])
                .iter()
                .map(|d| text[d.short.clone()].to_owned())
                .collect::<Vec<_>>()
        };
        for p in PREFIXES {
            for p in [p.to_owned(), p.to_ascii_uppercase()] {
                let text = format!("ASEAN Regional Forum ({p} ARF) met");
                assert_eq!(defined(&text), ["ARF"], "{text}");
            }
        }
    }

    #[test]
    fn acronym_shapes() {
        for s in [
            "AMIC",
            "AMIM-17",
            "ASEANAPOL",
            "MERS-CoV",
            "PhD",
            "COP-26",
            "ACMECS",
        ] {
            assert!(is_acronym_like(s), "{s}");
        }
        for s in ["Covid-19", "ASEAN.", "24-NQ/TW", "Hà", "A", "the", "X-", ""] {
            assert!(!is_acronym_like(s), "{s}");
        }
        assert_eq!(singular("SOPs"), "SOP");
        assert_eq!(singular("TORs"), "TOR");
        assert_eq!(singular("AMICs"), "AMIC");
        assert_eq!(singular("ASEANs"), "ASEAN");
        assert_eq!(singular("Ms"), "Ms");
    }

    /// A long form does not reach back across a line break, whichever the text's line breaks
    /// are: a lone `\r` (old Mac files) ends a line as `\n` does.
    #[test]
    fn a_long_form_stops_at_every_kind_of_line_break() {
        for brk in ["\n", "\r\n", "\r"] {
            let t = format!("Defence Ministers{brk}Meeting (DMM)");
            let end = t.find(" (").unwrap();
            assert_eq!(schwartz_hearst(&t, end, "DMM"), None, "{brk:?}");
        }
        let t = "Defence Ministers Meeting (DMM)";
        assert_eq!(schwartz_hearst(t, t.find(" (").unwrap(), "DMM"), Some(0));
    }

    #[test]
    fn schwartz_hearst_finds_the_long_form() {
        let t = "They approved the Standard Operating Procedures (SOPs)";
        let end = t.find(" (").unwrap();
        let s = schwartz_hearst(t, end, "SOP").unwrap();
        assert_eq!(&t[s..end], "Standard Operating Procedures");
        let t = "a new Joint Working Group on Cyber Issues (JWGCI)";
        let end = t.find(" (").unwrap();
        let s = schwartz_hearst(t, end, "JWGCI").unwrap();
        assert_eq!(&t[s..end], "Joint Working Group on Cyber Issues");
        assert_eq!(schwartz_hearst("nothing to see here", 19, "XYZ"), None);
        // An edition: the acronym without its number, and the ordinal before.
        let t = "at the 17th ASEAN Maritime Initiative Meeting (AMIM-17)";
        let end = t.find(" (").unwrap();
        let s = long_form_start(t, end, "AMIM-17").unwrap();
        assert_eq!(&t[s..end], "17th ASEAN Maritime Initiative Meeting");
        let t = "the first Joint Working Group on Cyber Issues (JWGCI-1)";
        let end = t.find(" (").unwrap();
        let s = long_form_start(t, end, "JWGCI-1").unwrap();
        assert_eq!(&t[s..end], "first Joint Working Group on Cyber Issues");
    }
}
