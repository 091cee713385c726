//! The normaliser, the matcher, definitions and the lint rules on arbitrary strings: no
//! panic, every offset inside the text and on a character boundary, mentions sorted and
//! disjoint, the offset map monotonic; and the ways of writing the same text (composed or
//! decomposed) give the same mentions.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use unicode_normalization::UnicodeNormalization;

use lexls::analysis::Engine;

use super::inputs;
use super::invariants::{check_analysis, check_text};

#[test]
fn core_on_generated_text() {
    let mut runner = TestRunner::new(inputs::config(256));
    runner
        .run(&inputs::text(60), |text| {
            check_text(&text);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn core_on_arbitrary_chars() {
    let mut runner = TestRunner::new(inputs::config(256));
    let chars = proptest::collection::vec(any::<char>(), 0..200);
    runner
        .run(&chars, |chars| {
            check_text(&chars.into_iter().collect::<String>());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Composed and decomposed writings of a text name the same things, from the same places.
fn same_mentions_composed_and_decomposed(strategy: impl Strategy<Value = String>) {
    let engine = Engine::embedded();
    let mut runner = TestRunner::new(inputs::config(256));
    runner
        .run(&strategy, |text| {
            let nfc: String = text.nfc().collect();
            let nfd: String = nfc.nfd().collect();
            let a = engine.analyze(&nfc);
            let b = engine.analyze(&nfd);
            check_analysis(&nfd, &b);
            let seen = |t: &str, a: &lexls::analysis::Analysis| {
                a.mentions
                    .iter()
                    .map(|m| (t[m.span.clone()].nfc().collect::<String>(), m.entity))
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(seen(&nfc, &a), seen(&nfd, &b), "NFC {:?} vs NFD", nfc);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn decomposed_text_has_the_same_mentions() {
    same_mentions_composed_and_decomposed(inputs::text(40));
}

#[test]
fn decomposed_vietnamese_has_the_same_mentions() {
    same_mentions_composed_and_decomposed(inputs::vietnamese_text(30));
}

/// A way of writing a text differently, by name.
type Variant = (&'static str, fn(&str) -> String);

/// The other ways of writing the same text — NBSP for spaces, `Ð` for `Đ`, the old tone
/// placement — name the same things.
#[test]
fn variant_writings_have_the_same_mentions() {
    let engine = Engine::embedded();
    let mut runner = TestRunner::new(inputs::config(256));
    let variants: [Variant; 3] = [
        ("nbsp", |t| t.replace(' ', "\u{00A0}")),
        ("eth", |t| t.replace('Đ', "Ð")),
        ("old tones", old_tones),
    ];
    runner
        .run(&inputs::vietnamese_text(30), |text| {
            let text: String = text.nfc().collect();
            let base: Vec<_> = engine
                .analyze(&text)
                .mentions
                .iter()
                .map(|m| m.entity)
                .collect();
            for (name, f) in &variants {
                let v = f(&text);
                let a = engine.analyze(&v);
                check_analysis(&v, &a);
                let got: Vec<_> = a.mentions.iter().map(|m| m.entity).collect();
                prop_assert_eq!(&got, &base, "{}: {:?} vs {:?}", name, v, text);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The old tone placement in open syllables: `hoà` → `hòa`, `thuỷ` → `thủy`, `khoẻ` → `khỏe`
/// (closed syllables such as `toàn` have one placement only).
fn old_tones(t: &str) -> String {
    const PAIRS: [(&str, &str); 6] = [
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("uỷ", "ủy"),
        ("uý", "úy"),
        ("oẻ", "ỏe"),
    ];
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    'outer: while !rest.is_empty() {
        for (new, old) in PAIRS {
            if let Some(after) = rest.strip_prefix(new)
                && !after.starts_with(char::is_alphanumeric)
                && !out.ends_with(['q', 'Q'])
            {
                out.push_str(old);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}
