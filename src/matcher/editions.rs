//! Edition numbers around a series mention: `AMIM-17`, `AMIM 17`, `COP26`, `17th AMIM`,
//! `the first … Meeting`, `… lần thứ 17`, `… lần thứ nhất`, `Đại hội XIII`, `… khóa XI`.
//!
//! Everything here reads the case-folded normalised view; Roman numerals are also checked
//! in the original text, where they must be capitals (`Đại hội X` is the 10th congress, `x`
//! is not a numeral).

use std::ops::Range;
use std::sync::LazyLock;

use super::{Via, is_word_char};
use crate::normalize::{Fold, Normalized, normalized_string};

static LAN_THU: LazyLock<String> = LazyLock::new(|| normalized_string("lần thứ", Fold::Case));
static KHOA: LazyLock<[String; 2]> = LazyLock::new(|| {
    [
        normalized_string("khóa", Fold::Case),
        normalized_string("khoá", Fold::Case),
    ]
});
static VI_NUMBERS: LazyLock<Vec<(String, u32)>> = LazyLock::new(|| {
    [
        ("nhất", 1),
        ("hai", 2),
        ("ba", 3),
        ("tư", 4),
        ("bốn", 4),
        ("năm", 5),
        ("sáu", 6),
        ("bảy", 7),
        ("tám", 8),
        ("chín", 9),
        ("mười", 10),
    ]
    .into_iter()
    .map(|(w, n)| (normalized_string(w, Fold::Case), n))
    .collect()
});

const EN_ORDINALS: [(&str, u32); 20] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
];

/// Extends a series match `m` (a range of the view) to its edition, if one is written.
pub(super) fn extend(
    hay: &str,
    text: &str,
    view: &Normalized,
    m: Range<usize>,
    via: Via,
) -> Option<(Range<usize>, u32)> {
    forward(hay, text, view, m.end, via)
        .map(|(end, n)| (m.start..end, n))
        .or_else(|| backward(hay, m.start).map(|(start, n)| (start..m.end, n)))
}

fn forward(hay: &str, text: &str, view: &Normalized, at: usize, via: Via) -> Option<(usize, u32)> {
    let rest = &hay[at..];
    if via == Via::Acronym {
        // AMIM-17, AMIM 17, COP26
        let digits_at = match rest.as_bytes().first()? {
            b'-' | b' ' => 1,
            b'0'..=b'9' => 0,
            _ => return None,
        };
        return digits(rest, digits_at).map(|(end, n)| (at + end, n));
    }
    words(hay, text, view, at).or_else(|| {
        // `… (gọi tắt là MACOSA) lần thứ nhất`: the edition after a parenthesis names the
        // edition, but the mention stays the name (the parenthesis holds its own mention).
        let inner = rest.strip_prefix(" (")?;
        let close = inner
            .char_indices()
            .take_while(|(i, c)| *i < 80 && *c != '(')
            .find(|(_, c)| *c == ')')
            .map(|(i, _)| i)?;
        let after = at + 2 + close + 1;
        words(hay, text, view, after).map(|(_, n)| (at, n))
    })
}

/// `lần thứ N`, `khóa N`, or a Roman numeral after a name ending at `at`.
fn words(hay: &str, text: &str, view: &Normalized, at: usize) -> Option<(usize, u32)> {
    let rest = hay[at..].strip_prefix(' ')?;
    // Most names are followed by a word none of these starts as: `lần thứ` and `khóa`
    // start with `l` and `k`, a Roman numeral with one of its letters.
    if !rest
        .as_bytes()
        .first()
        .is_some_and(|&b| is_roman_letter(b) || b == b'k')
    {
        return None;
    }
    let base = at + 1;
    // … lần thứ 17 / lần thứ nhất / lần thứ XIII
    if let Some(after) = rest.strip_prefix(LAN_THU.as_str()) {
        let after = after.strip_prefix(' ')?;
        let off = base + LAN_THU.len() + 1;
        if let Some((len, n)) = digits(after, 0) {
            return Some((off + len, n));
        }
        for (w, n) in VI_NUMBERS.iter() {
            if after.starts_with(w.as_str()) && ends_word(after, w.len()) {
                return Some((off + w.len(), *n));
            }
        }
        return roman(after, text, view, off).map(|(len, n)| (off + len, n));
    }
    // … khóa XI / khóa 76
    for k in KHOA.iter() {
        if let Some(after) = rest.strip_prefix(k.as_str()) {
            let after = after.strip_prefix(' ')?;
            let off = base + k.len() + 1;
            if let Some((len, n)) = digits(after, 0) {
                return Some((off + len, n));
            }
            return roman(after, text, view, off).map(|(len, n)| (off + len, n));
        }
    }
    // Đại hội XIII
    roman(rest, text, view, base).map(|(len, n)| (base + len, n))
}

fn backward(hay: &str, at: usize) -> Option<(usize, u32)> {
    let before = hay[..at].strip_suffix(' ')?;
    // An edition number or an English ordinal is ASCII: the word's ASCII letters and digits
    // are read first, and only a word that is one asks whether a letter before it (whose
    // Unicode tables cost hundreds of instructions) makes it part of a longer word.
    let word_start = before.len()
        - before
            .bytes()
            .rev()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
    let word = &before[word_start..];
    if word.is_empty() {
        return None;
    }
    let n = ordinal(word)?;
    if before[..word_start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    (n > 0).then_some((word_start, n))
}

/// The number an edition word before a series name gives: digits with their English
/// ordinal suffix (`17th`, `21st`) or an English ordinal word (`tenth`).
fn ordinal(word: &str) -> Option<u32> {
    // Every ordinal ends as the ordinal suffixes do (`first`, `second`, `third`, `tenth`):
    // the words that do not, nearly all of those before a name, are no ordinal.
    if !word.ends_with("th")
        && !word.ends_with("st")
        && !word.ends_with("nd")
        && !word.ends_with("rd")
    {
        return None;
    }
    if let Some((num, suffix)) = word.split_at_checked(word.find(|c: char| !c.is_ascii_digit())?)
        && !num.is_empty()
    {
        let n: u32 = num.parse().ok()?;
        (suffix == crate::lexicon::ordinal_suffix(n)).then_some(n)
    } else {
        EN_ORDINALS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|&(_, n)| n)
    }
}

/// 1 to 4 digits at `from`, not followed by a word character: (length from `from`, value).
fn digits(s: &str, from: usize) -> Option<(usize, u32)> {
    let tail = s.get(from..)?;
    let len = tail.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 4 || !ends_word(tail, len) {
        return None;
    }
    let n: u32 = tail[..len].parse().ok()?;
    (n > 0).then_some((from + len, n))
}

fn ends_word(s: &str, len: usize) -> bool {
    s[len..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// A Roman numeral at the start of `s` (view), written in capitals in the original.
fn roman(s: &str, text: &str, view: &Normalized, at: usize) -> Option<(usize, u32)> {
    let len = s.bytes().take_while(|&b| is_roman_letter(b)).count();
    if len == 0 || len > 8 || !ends_word(s, len) {
        return None;
    }
    let orig = &text[view.to_original(at..at + len)];
    if !orig.bytes().all(|b| b"IVXLCDM".contains(&b)) {
        return None;
    }
    parse_roman(orig).map(|n| (len, n))
}

/// Whether `b` is a letter of Roman numerals in the case-folded view.
fn is_roman_letter(b: u8) -> bool {
    matches!(b, b'i' | b'v' | b'x' | b'l' | b'c' | b'd' | b'm')
}

/// Parses a well-formed Roman numeral (I to MMMCMXCIX).
pub(crate) fn parse_roman(s: &str) -> Option<u32> {
    let value = |c: u8| match c {
        b'I' => 1,
        b'V' => 5,
        b'X' => 10,
        b'L' => 50,
        b'C' => 100,
        b'D' => 500,
        b'M' => 1000,
        _ => 0,
    };
    let b = s.as_bytes();
    let mut total = 0i64;
    for (i, &c) in b.iter().enumerate() {
        let v = value(c);
        if v == 0 {
            return None;
        }
        // A smaller value before a larger one is subtracted (IV, XC).
        if b.get(i + 1).is_some_and(|&n| value(n) > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    let total = u32::try_from(total).ok()?;
    // Canonical form only: render back and compare (rejects IIII, VX, IC …).
    (total > 0 && total < 4000 && to_roman(total) == s).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view the matcher searches, of `s`.
    fn view(s: &str) -> Normalized {
        let mut v = Normalized::empty();
        v.renormalize(s, Fold::Case);
        v
    }

    #[test]
    fn an_edition_before_a_series_takes_the_suffix_of_its_number() {
        for (text, want) in [
            ("the 17th amim", Some(17)),
            ("the 21st amim", Some(21)),
            ("the 11th amim", Some(11)),
            ("the 12nd amim", None),
            ("the 3th amim", None),
            ("the 3rd amim", Some(3)),
            ("the 2nd amim", Some(2)),
            ("the 2nds amim", None),
            ("the 0th amim", None),
        ] {
            let at = text.find("amim").unwrap();
            let v = view(text);
            assert_eq!(
                extend(v.as_str(), text, &v, at..text.len(), Via::Alias).map(|(_, n)| n),
                want,
                "{text}"
            );
        }
    }

    /// [`backward`] as it was before it read the word's ASCII first: the reference the
    /// property test compares with.
    fn backward_reference(hay: &str, at: usize) -> Option<(usize, u32)> {
        let before = hay[..at].strip_suffix(' ')?;
        let word_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric())
            .last()
            .map(|(i, _)| i)?;
        let word = &before[word_start..];
        let n = super::ordinal(word)?;
        (n > 0).then_some((word_start, n))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, failure_persistence: None, ..Default::default()
        })]

        /// Ordinals and numbers after letters and digits that are not ASCII, marks,
        /// punctuation and spaces, read back from every character boundary.
        #[test]
        fn reads_the_word_before_as_reading_every_character_back(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "17th", "21st", "2nd", "3rd", "first", "tenth", "th", "17", "0th", "x",
                    "thứ", "ệ", "é", "\u{301}", "١٧", "²", "ª", "中", "-", "(", " ", " ", "amim",
                ]),
                0..10,
            ),
        ) {
            let hay = parts.concat();
            for at in (0..=hay.len()).filter(|&i| hay.is_char_boundary(i)) {
                proptest::prop_assert_eq!(
                    backward(&hay, at),
                    backward_reference(&hay, at),
                    "{:?} at {}",
                    hay,
                    at
                );
            }
        }
    }

    /// The filters before the edition words and after the ordinals let every one of them
    /// through.
    #[test]
    fn edition_words_pass_the_filters_before_them() {
        assert!(LAN_THU.starts_with('l') && is_roman_letter(b'l'));
        assert!(KHOA.iter().all(|k| k.starts_with('k')));
        for n in 1..=200 {
            let word = format!("{n}{}", crate::lexicon::ordinal_suffix(n));
            assert_eq!(ordinal(&word), Some(n), "{word}");
        }
        for (word, n) in EN_ORDINALS {
            assert_eq!(ordinal(word), Some(n), "{word}");
        }
        assert_eq!(ordinal("the"), None);
        for (text, want) in [
            ("Hội nghị lần thứ 17", Some(17)),
            ("Hội nghị lần thứ nhất", Some(1)),
            ("Hội nghị khóa XI", Some(11)),
            ("Hội nghị khoá 76", Some(76)),
            ("Hội nghị XIII", Some(13)),
            ("Hội nghị MMXXI", Some(2021)),
            ("Hội nghị Lần thứ 17", Some(17)),
            ("Hội nghị năm 17", None),
        ] {
            let v = view(text);
            let at = v.as_str().find(" ").unwrap() + " nghị".len();
            assert_eq!(
                words(v.as_str(), text, &v, at).map(|(_, n)| n),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn roman_numerals() {
        for (s, n) in [
            ("VI", 6),
            ("IX", 9),
            ("X", 10),
            ("XIII", 13),
            ("XIV", 14),
            ("MMXXI", 2021),
        ] {
            assert_eq!(parse_roman(s), Some(n), "{s}");
        }
        for s in ["IIII", "VX", "IC", "", "ABC", "XM"] {
            assert_eq!(parse_roman(s), None, "{s}");
        }
    }
}
