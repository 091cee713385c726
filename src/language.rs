//! Which language a text is in, cheaply: the share of its letters that carry Vietnamese
//! marks. Right for articles; never needs to be right for a single word.

use crate::lexicon::Lang;

/// How many characters are looked at, at most.
const SAMPLE: usize = 8_000;

/// The language of a text: Vietnamese when at least 8% of its letters are marked the way
/// Vietnamese letters are (`ă â đ ê ô ơ ư` and tone marks), composed or decomposed.
pub fn detect_language(text: &str) -> Lang {
    let (letters, marked) = letter_counts(text, true);
    if is_vietnamese(letters, marked) {
        Lang::Vi
    } else {
        Lang::En
    }
}

/// Whether `marked` letters of `letters` make a text Vietnamese.
fn is_vietnamese(letters: usize, marked: usize) -> bool {
    letters > 0 && marked * 100 >= letters * 8
}

/// How many letters the first [`SAMPLE`] characters of `text` hold, and how many of them are
/// marked the way Vietnamese letters are.
///
/// With `settle`, reading stops once the text is sure to be Vietnamese, and the counts are
/// those read so far: each character left adds at most one letter, so when the marked
/// letters are enough for all the letters read and one more for each character left, they
/// are enough whatever those characters are. A Vietnamese article is settled after about
/// three thousand characters. Reading more never unsettles a text, so it is enough to ask
/// after each 64 bytes, not after each letter.
fn letter_counts(text: &str, settle: bool) -> (usize, usize) {
    let mut letters = 0usize;
    let mut marked = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Characters still to look at.
    let mut left = SAMPLE;
    // Every document is sampled, and a lint run reads thousands: the text is read eight
    // bytes at a time, for as long as they cannot hold more characters than are left. The
    // ASCII letters and the characters are counted in the whole word at once; only the
    // characters that are not ASCII are looked at one by one, from their first byte, which
    // is the only one counted (the bytes that continue a character never are, wherever the
    // character starts). Vietnamese text has one every three or four bytes.
    while left >= 8
        && let Some(chunk) = bytes.get(i..i + 8)
    {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let high = word & (0x80 * LANES);
        if high == 0 {
            // Eight ASCII characters: nothing to look at one by one. Half of the words of
            // Vietnamese text, and most of English.
            letters += lanes_set(ascii_letters(word));
            left -= 8;
            i += 8;
            continue;
        }
        // Bytes from `0xC0` on start a character of two bytes or more; those from `0x80` to
        // `0xBF` continue one, and every other byte is a character.
        let mut leads = high & (word << 1);
        left -= 8 - lanes_set(high & !(word << 1));
        letters += lanes_set(ascii_letters(word) & !high & (0x80 * LANES));
        while leads != 0 {
            let at = i + leads.trailing_zeros() as usize / 8;
            leads &= leads - 1;
            let (letter, mark) = classify(bytes, at);
            letters += letter;
            marked += mark;
        }
        i += 8;
        if settle && i % 64 == 0 && is_vietnamese(letters + left, marked) {
            return (letters, marked);
        }
    }
    // The rest, a character at a time: fewer than eight bytes, or fewer than eight characters
    // left. The bytes that continue a character the last word started were counted with it.
    while i < bytes.len() && bytes[i] & 0xC0 == 0x80 {
        i += 1;
    }
    while left > 0
        && let Some(&b) = bytes.get(i)
    {
        left -= 1;
        if b.is_ascii() {
            letters += usize::from(b.is_ascii_alphabetic());
            i += 1;
            continue;
        }
        let (letter, mark) = classify(bytes, i);
        letters += letter;
        marked += mark;
        i += match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
    }
    (letters, marked)
}

/// Whether the character that starts at byte `at` of `bytes`, the bytes of a `str`, is a
/// letter and whether it is marked the way Vietnamese letters are, as counts (0 or 1), for a
/// character that is not ASCII. The precomposed Vietnamese letters and the common
/// punctuation are told from their first bytes, without decoding them; other characters
/// are decoded.
#[inline(always)]
fn classify(bytes: &[u8], at: usize) -> (usize, usize) {
    let next = |k: usize| bytes[at + k];
    let vietnamese = match bytes[at] {
        // U+00C0 to U+00FF, but for `×` and `÷`.
        0xC3 => !matches!(next(1), 0x97 | 0xB7),
        // U+0100 to U+017F.
        0xC4 | 0xC5 => true,
        // U+0180 to U+01B0.
        0xC6 => next(1) <= 0xB0,
        // U+1EA0 to U+1EBF, and U+1EC0 to U+1EF9.
        0xE1 => match next(1) {
            0xBA => next(2) >= 0xA0,
            0xBB => next(2) <= 0xB9,
            _ => false,
        },
        _ => false,
    };
    if vietnamese {
        return (1, 1);
    }
    // U+2000 to U+203F: dashes, curly quotes, ellipsis.
    if bytes[at] == 0xE2 && next(1) == 0x80 {
        return (0, 0);
    }
    classify_decoded(bytes, at)
}

/// [`classify`] for the characters it does not tell from their first bytes: kept out of the
/// loops that read the text, for they are rare.
#[inline(never)]
fn classify_decoded(bytes: &[u8], at: usize) -> (usize, usize) {
    let (c, _) = char_at(bytes, at);
    if is_vietnamese_mark(c) {
        // Decomposed text: a mark on the letter before it (a byte of a character that is
        // not ASCII is not ASCII).
        (
            0,
            usize::from(at > 0 && bytes[at - 1].is_ascii_alphabetic()),
        )
    } else if is_vietnamese_letter(c) {
        (1, 1)
    } else {
        (usize::from(!is_punctuation(c) && c.is_alphabetic()), 0)
    }
}

/// The character that starts at byte `i` of `bytes`, the bytes of a `str` (a character
/// boundary before its end), and its length in bytes: decoded from its bytes as they are,
/// without checking them again.
fn char_at(bytes: &[u8], i: usize) -> (char, usize) {
    let cont = |k: usize| u32::from(bytes[i + k] & 0x3F);
    let lead = u32::from(bytes[i]);
    let (code, len) = match bytes[i] {
        0x00..=0x7F => (lead, 1),
        0xC0..=0xDF => ((lead & 0x1F) << 6 | cont(1), 2),
        0xE0..=0xEF => ((lead & 0x0F) << 12 | cont(1) << 6 | cont(2), 3),
        _ => (
            (lead & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3),
            4,
        ),
    };
    (char::from_u32(code).unwrap_or_default(), len)
}

/// Eight bytes in every lane of a `u64` (little-endian: the first byte is the lowest).
const LANES: u64 = u64::from_le_bytes([1; 8]);

/// How many lanes of `found` have their high bit set, its only bits that may be: summed by
/// a multiplication into the top lane (eight at most, no carry), which costs less than
/// counting bits where the processor has no instruction for it.
fn lanes_set(found: u64) -> usize {
    ((found >> 7).wrapping_mul(LANES) >> 56) as usize
}

/// The ASCII letters among the eight bytes of `word`, as the high bit of each byte's lane:
/// a byte with `0x20` set (lower case) is from `a` to `z`, and no other ASCII byte is. A
/// byte that is not ASCII may be counted: the caller masks those out. No lane carries into
/// the next: seven bits plus at most `0x1F` stay below `0x100`.
fn ascii_letters(word: u64) -> u64 {
    let lower = (word | (0x20 * LANES)) & (0x7F * LANES);
    let from_a = lower + (0x80 - u64::from(b'a')) * LANES;
    let past_z = lower + (0x80 - u64::from(b'z') - 1) * LANES;
    from_a & !past_z & (0x80 * LANES)
}

/// The General Punctuation block (curly quotes, dashes, ellipsis): common in articles, and
/// known to hold no letter without the Unicode tables.
fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{2000}'..='\u{206F}')
}

/// Precomposed letters of Vietnamese: Latin-1 and Extended-A/B letters with marks, and the
/// Vietnamese block of Latin Extended Additional.
fn is_vietnamese_letter(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x00D6 | 0x00D8..=0x00F6 | 0x00F8..=0x01B0 | 0x1EA0..=0x1EF9)
}

/// Combining marks Vietnamese uses: grave, acute, circumflex, tilde, breve, hook, horn,
/// dot below.
fn is_vietnamese_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'
            | '\u{0301}'
            | '\u{0302}'
            | '\u{0303}'
            | '\u{0306}'
            | '\u{0309}'
            | '\u{031B}'
            | '\u{0323}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn detects_language() {
        let vi = "Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 54 đã khai mạc tại Hà Nội.";
        assert_eq!(detect_language(vi), Lang::Vi);
        assert_eq!(detect_language(&vi.nfd().collect::<String>()), Lang::Vi);
        assert_eq!(
            detect_language("The ASEAN foreign ministers met in Hà Nội on Monday."),
            Lang::En
        );
        assert_eq!(
            detect_language("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            Lang::Vi
        );
        assert_eq!(detect_language(""), Lang::En);
        assert_eq!(detect_language("🤝 2024 — 17"), Lang::En);
    }

    /// [`letter_counts`] as it was before it read eight bytes at a time: the reference the
    /// tests compare with.
    fn letter_counts_reference(text: &str) -> (usize, usize) {
        let mut letters = 0usize;
        let mut marked = 0usize;
        let mut prev_letter = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        for _ in 0..SAMPLE {
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if b.is_ascii() {
                prev_letter = b.is_ascii_alphabetic();
                letters += usize::from(prev_letter);
                i += 1;
                continue;
            }
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            if is_vietnamese_mark(c) {
                if prev_letter {
                    marked += 1;
                    prev_letter = false;
                }
            } else if is_vietnamese_letter(c) {
                letters += 1;
                marked += 1;
                prev_letter = false;
            } else if !is_punctuation(c) && c.is_alphabetic() {
                letters += 1;
                prev_letter = false;
            } else {
                prev_letter = false;
            }
        }
        (letters, marked)
    }

    #[test]
    fn characters_decode_as_the_standard_library_decodes_them() {
        let text: String = ('\0'..=char::MAX)
            .step_by(7)
            .chain(['\u{7FF}', '\u{800}', '\u{FFFF}', '\u{10000}', char::MAX])
            .collect();
        for (i, c) in text.char_indices() {
            assert_eq!(char_at(text.as_bytes(), i), (c, c.len_utf8()), "{c:?}");
        }
    }

    #[test]
    fn lanes_are_counted_as_bits() {
        for bits in 0..=0xFFu64 {
            let found = (0..8)
                .filter(|k| bits & (1 << k) != 0)
                .fold(0, |f, k| f | 0x80 << (8 * k));
            assert_eq!(lanes_set(found), found.count_ones() as usize, "{found:#x}");
        }
    }

    #[test]
    fn every_ascii_byte_is_a_letter_or_not_as_the_standard_library_says() {
        for b in 0..=0x7Fu8 {
            for lane in 0..8 {
                // The byte in one lane, among others that are not letters.
                let mut bytes = [b'-'; 8];
                bytes[lane] = b;
                let found = ascii_letters(u64::from_le_bytes(bytes));
                let want = if b.is_ascii_alphabetic() {
                    0x80 << (8 * lane)
                } else {
                    0
                };
                assert_eq!(found, want, "{b:#x} in lane {lane}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, failure_persistence: None, ..Default::default()
        })]

        /// Vietnamese, then English, then Vietnamese again: texts whose share of marked
        /// letters crosses the threshold anywhere in the sample, where stopping early would
        /// show.
        #[test]
        fn settles_only_when_the_rest_cannot_change_the_answer(
            lengths in proptest::collection::vec(0usize..6000, 1..4),
        ) {
            const VI: &str = "Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 54 đã khai mạc tại Hà Nội. ";
            const EN: &str = "The ASEAN foreign ministers met in Hanoi on Monday to talk trade. ";
            let mut text = String::new();
            for (k, &n) in lengths.iter().enumerate() {
                let part = if k % 2 == 0 { VI } else { EN };
                text.extend(part.chars().cycle().take(n));
            }
            let (letters, marked) = letter_counts_reference(&text);
            let want = if is_vietnamese(letters, marked) { Lang::Vi } else { Lang::En };
            proptest::prop_assert_eq!(detect_language(&text), want);
        }

        /// Texts of Vietnamese and English letters, marks, punctuation and other scripts,
        /// some longer than the sample, and with the sample's end anywhere in them.
        #[test]
        fn counts_as_reading_a_character_at_a_time(
            parts in proptest::collection::vec(
                "([ -~]{1,12}|[\\u{80}-\\u{10FFFF}]|[×÷ƯưƱǀǅḀṀỺỹ⁰⁅…]{1,3}|[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]{1,4}|[\\u{300}\\u{301}\\u{303}\\u{309}\\u{323}\\u{2014}\\u{201C}\\u{A0}ßЖж中🤝]{1,3})",
                0..40,
            ),
            repeat in 1usize..400,
            pad in 0usize..9,
        ) {
            let text = " ".repeat(pad) + &parts.concat().repeat(repeat);
            let (letters, marked) = letter_counts_reference(&text);
            proptest::prop_assert_eq!(letter_counts(&text, false), (letters, marked));
            let want = if is_vietnamese(letters, marked) { Lang::Vi } else { Lang::En };
            proptest::prop_assert_eq!(detect_language(&text), want);
        }
    }

    #[test]
    fn general_punctuation_holds_no_letter() {
        for c in ('\u{2000}'..='\u{206F}').filter(|&c| is_punctuation(c)) {
            assert!(!c.is_alphabetic(), "{c:?}");
        }
        assert!(is_punctuation('“') && is_punctuation('—') && !is_punctuation('a'));
    }

    #[test]
    fn samples_the_first_8000_characters() {
        // 2,700 dashes are 8,100 bytes: the Vietnamese after them is within the sample.
        let vi = "Hội nghị Bộ trưởng Ngoại giao lần thứ 54. ".repeat(20);
        assert_eq!(detect_language(&("—".repeat(2_700) + &vi)), Lang::Vi);
        assert_eq!(detect_language(&("—".repeat(SAMPLE) + &vi)), Lang::En);
        assert_eq!(detect_language(&(" ".repeat(SAMPLE - 10) + &vi)), Lang::Vi);
        assert_eq!(detect_language(&(" ".repeat(SAMPLE) + &vi)), Lang::En);
    }
}
