//! Which language a text is in, cheaply: the share of its letters that carry Vietnamese
//! marks. Right for articles; never needs to be right for a single word.

use crate::lexicon::Lang;

/// How many characters are looked at, at most.
const SAMPLE: usize = 8_000;

/// The language of a text: Vietnamese when at least 8% of its letters are marked the way
/// Vietnamese letters are (`ă â đ ê ô ơ ư` and tone marks), composed or decomposed.
pub fn detect_language(text: &str) -> Lang {
    let mut letters = 0usize;
    let mut marked = 0usize;
    let mut prev_letter = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    // Bytes rather than `chars()`: most characters are ASCII, read without decoding. Every
    // document is sampled, and a lint run reads thousands.
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
            // Decomposed text: a mark on the letter before it.
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
    if letters > 0 && marked * 100 >= letters * 8 {
        Lang::Vi
    } else {
        Lang::En
    }
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
