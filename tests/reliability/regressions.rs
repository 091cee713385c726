//! Inputs that failed once, kept as named regression tests (issue 8). Each names what broke.

use super::invariants::{check_bytes, check_text};

/// A class-0 character that decomposes into combining marks (Tibetan U+0F73) ended a
/// cluster early: the canonical text was not NFC and not idempotent.
#[test]
fn regression_issue8_non_starter_decomposition() {
    check_text("s\u{0F73}\u{0301}");
}

/// Decomposed Vietnamese was detected as English: the English-only alias `NAM` became a
/// mention in it (and not in the same text composed).
#[test]
fn regression_issue8_decomposed_vietnamese() {
    check_text("Nhan Dan Hội nghị");
    check_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM. Hội nghị các nước NAM họp.");
}

/// An invisible character after a whitespace run after a rewritten unit put the offset
/// map out of order: the mention `Mỹ` took the line separator after it.
#[test]
fn regression_issue8_invisible_after_whitespace() {
    check_bytes(&[77, 121, 204, 131, 226, 128, 168, 194, 173]);
    check_text("đo\u{302}-la My\u{303}\n\u{200b}\u{a0}%");
}
