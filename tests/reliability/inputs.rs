//! Input generators: text pieces that stress the normaliser, the matcher and the position
//! conversions (multi-byte Vietnamese precomposed and decomposed, combining marks, emoji made
//! of surrogate pairs, NBSP, soft hyphen, zero-width characters, CR/LF/CRLF, `Ð`, acronyms
//! and fragments of the lexicon's names).

use std::sync::LazyLock;

use lexls::lexicon::Lexicon;
use proptest::prelude::*;
use proptest::test_runner::Config;
use unicode_normalization::UnicodeNormalization;

/// A proptest configuration: `default` cases unless `PROPTEST_CASES` says otherwise; no
/// regression files (found failures are kept as named regression tests instead).
pub fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Hand-picked pieces: each is a hazard for one part of the pipeline.
const PIECES: &[&str] = &[
    // ASCII words and punctuation.
    "a",
    "the",
    "of",
    "and",
    "Meeting",
    "Military",
    "x",
    "1",
    "17",
    "21st",
    "XIII",
    "-",
    "/",
    "'",
    "(",
    ")",
    ",",
    ".",
    ":",
    " ",
    "  ",
    "\t",
    "s",
    "lần thứ",
    "Đại hội",
    // Vietnamese, precomposed.
    "Hà Nội",
    "Việt Nam",
    "Đông",
    "hòa",
    "hoà",
    "thủy",
    "thuỷ",
    "khỏe",
    "khoẻ",
    "Bộ Quốc phòng",
    "ư",
    "ơ",
    "Ư",
    "ỹ",
    "Hòa",
    "HÒA",
    "quý",
    "Thủ tướng",
    // Combining marks on their own (decomposed text, or marks on odd bases).
    "\u{0300}",
    "\u{0301}",
    "\u{0303}",
    "\u{0309}",
    "\u{0323}",
    "\u{0302}",
    "\u{0306}",
    "\u{031B}",
    "\u{0345}",
    // Whitespace and invisible characters.
    "\u{00A0}",
    "\u{00AD}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{2028}",
    "\u{3000}",
    // Emoji: astral (two UTF-16 units), flags, ZWJ sequences.
    "😀",
    "🇻🇳",
    "👨‍👩‍👧",
    "🤝",
    "𝐀",
    // Line breaks.
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\r\r\n",
    // Look-alikes and characters whose NFC or case folding changes length.
    "Ð",
    "ð",
    "–",
    "—",
    "’",
    "‐",
    "⁄",
    "İ",
    "ẞ",
    "\u{212A}",
    "\u{2126}",
    "ﬁ",
    "\u{0344}",
    "\u{0958}",
    "\u{0F73}",
    "\u{1E9B}\u{0323}",
    "\u{1100}\u{1161}",
    "ǅ",
];

/// Acronyms, name words and numbered-meeting forms taken from the embedded lexicon.
static LEXICON_PIECES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let lx = Lexicon::embedded();
    let mut out = Vec::new();
    for r in lx.records() {
        out.extend(r.acronyms.iter().cloned());
        for name in [&r.name.en, &r.name.vi].into_iter().flatten() {
            out.push(name.clone());
            out.extend(name.split(' ').map(str::to_owned));
        }
        for a in &r.aliases {
            out.push(a.text.clone());
        }
        if let Some(a) = r.acronyms.first() {
            out.push(format!("{a}-17"));
            out.push(format!("({a})"));
            out.push(format!("17th {a}"));
        }
    }
    out.sort();
    out.dedup();
    out
});

/// One piece of text.
pub fn piece() -> impl Strategy<Value = String> {
    let hand = proptest::sample::select(PIECES).prop_map(str::to_owned);
    let decomposed = proptest::sample::select(PIECES).prop_map(|s| s.nfd().collect::<String>());
    let lexicon = proptest::sample::select(LEXICON_PIECES.clone());
    let lexicon_nfd =
        proptest::sample::select(LEXICON_PIECES.clone()).prop_map(|s| s.nfd().collect());
    prop_oneof![
        6 => hand,
        2 => decomposed,
        5 => lexicon,
        1 => lexicon_nfd,
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Vietnamese words, so that a text built mostly of them reads as Vietnamese.
const VIETNAMESE: &[&str] = &[
    "Hội nghị",
    "Bộ trưởng",
    "Quốc phòng",
    "các nước",
    "họp tại",
    "Hà Nội",
    "Việt Nam",
    "đã",
    "và",
    "của",
    "lần thứ",
    "hòa bình",
    "thủy",
    "khỏe",
    "Đại hội",
    "CỘNG HÒA",
];

/// A text that reads as Vietnamese, with lexicon pieces among its words.
pub fn vietnamese_text(max: usize) -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => proptest::sample::select(VIETNAMESE).prop_map(str::to_owned),
        1 => proptest::sample::select(LEXICON_PIECES.clone()),
        1 => proptest::sample::select(PIECES).prop_map(str::to_owned),
    ];
    proptest::collection::vec(word, 0..max).prop_map(|v| v.join(" "))
}

/// A text of up to `max` pieces.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..max).prop_map(|v| v.concat())
}

/// Pieces that can be inserted by an edit: mostly short, with line breaks and surrogates.
pub fn insert_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        6 => piece(),
        2 => proptest::collection::vec(piece(), 0..4).prop_map(|v| v.concat()),
    ]
}
