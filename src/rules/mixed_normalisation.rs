//! `mixed-normalisation`: decomposed characters, `Ð` for `Đ`, and two tone-mark styles in
//! one document.

use crate::Map;
use std::ops::Range;

use super::{Context, Edit, Fix, Raw, RuleInfo, Shared};
use crate::config::Level;
use crate::lexicon::push_decimal;
use crate::normalize::canonical_text;

pub const INFO: RuleInfo = RuleInfo {
    id: "mixed-normalisation",
    default_level: Level::Warning,
    summary: "decomposed Unicode, `Ð` for `Đ`, or two tone-mark styles in one article",
    explanation: "\
Vietnamese text can look right and still be written in ways that break search, sorting and
spell-checking:

- **decomposed characters** (Unicode NFD): `ệ` stored as `e` plus two combining marks, as
  some macOS tools and PDF exports write it;
- **`Ð` (U+00D0, Icelandic eth) for `Đ` (U+0110)**: they look the same, but only `Đ` is
  Vietnamese;
- **two tone-mark styles** in one article: the old placement `hòa`, `thủy`, `khỏe` and the
  new one `hoà`, `thuỷ`, `khoẻ`. Either is correct; mixing them is not.

One finding is reported per problem, at its first occurrence, with the number of places.
The fix rewrites every affected place in the canonical form lexls uses (NFC, `Đ`, the new
tone placement) and nothing else: whitespace, dashes and letter case are kept. It is safe,
so `lexls lint --fix` applies it. An article written in the old style only is left alone.
",
};

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    // From the sites the analysis's views found, which is what `inspect` would report,
    // without reading the whole text again.
    let report = ctx.analysis.normalization(ctx.text);
    let mut out = Vec::new();
    let mut add = |ranges: &[Range<usize>], what: &str, title: &str| {
        if let Some(raw) = finding(ctx.text, ranges, what, title) {
            out.push(raw);
        }
    };
    add(
        &report.decomposed,
        "decomposed characters (Unicode NFD)",
        "Compose characters (NFC)",
    );
    add(
        &report.eth,
        "`Ð` (U+00D0) written for `Đ` (U+0110)",
        "Replace Ð with Đ",
    );
    if !report.new_tone.is_empty() {
        add(
            &report.old_tone,
            "old-style tone marks (`hòa`) in an article that also uses the new style (`hoà`)",
            "Use the new tone-mark style",
        );
    }
    out
}

fn finding(text: &str, ranges: &[Range<usize>], what: &str, title: &str) -> Option<Raw> {
    let first = ranges.first()?.clone();
    // The canonical form of each text the ranges hold, made once: an article repeats the
    // same few words (`Hòa`) or the same letter (`Ð`), and making it costs far more than
    // finding it here. None when the text is canonical already (no edit).
    let mut canonical: Map<&str, Option<String>> = Map::default();
    let mut edits: Vec<Edit> = Vec::with_capacity(ranges.len());
    for r in ranges {
        let written = &text[r.clone()];
        let replacement = canonical.entry(written).or_insert_with(|| {
            let replacement = canonical_text(written);
            (replacement != written).then_some(replacement)
        });
        if let Some(replacement) = replacement {
            edits.push(Edit {
                range: r.clone(),
                replacement: replacement.clone(),
            });
        }
    }
    // "{what}: 1 place" or "{what}: {n} places", written piece by piece: `format!` cost
    // several times as much.
    let mut message = String::with_capacity(what.len() + 16);
    message.push_str(what);
    message.push_str(": ");
    push_decimal(&mut message, ranges.len() as u64);
    message.push_str(if ranges.len() == 1 {
        " place"
    } else {
        " places"
    });
    Some(Raw {
        span: first,
        message,
        fixes: if edits.is_empty() {
            Vec::new()
        } else {
            vec![Fix {
                title: title.to_owned(),
                edits,
                safe: true,
            }]
        },
        related: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use unicode_normalization::UnicodeNormalization;

    use crate::normalize::canonical_text;
    use crate::rules::Edit;

    use crate::rules::apply_safe_fixes;
    use crate::rules::test_support::run;

    const RULE: &str = "mixed-normalisation";

    /// [`super::finding`]'s edits as they were made before the canonical forms were made
    /// once for each text: one for each range. The reference the test compares with.
    fn edits_reference(text: &str, ranges: &[Range<usize>]) -> Vec<Edit> {
        ranges
            .iter()
            .map(|r| Edit {
                range: r.clone(),
                replacement: canonical_text(&text[r.clone()]),
            })
            .filter(|e| e.replacement != text[e.range.clone()])
            .collect()
    }

    proptest::proptest! {
        /// Ranges over words that repeat, canonical or not, some written alike: the same
        /// edits as one canonical form per range, and the message as `format!` wrote it.
        #[test]
        fn findings_edit_as_one_canonical_form_per_range(
            picks in proptest::collection::vec((0usize..12, proptest::bool::ANY), 1..30)
        ) {
            let words = [
                "Hòa", "hoà", "thủy", "Ðông", "\u{00D0}", "ð", "plain", "e\u{302}\u{323}",
                "Hòa", "khỏe", "Đông", "nghị",
            ];
            let mut text = String::new();
            let mut ranges = Vec::new();
            for &(w, taken) in &picks {
                let start = text.len();
                text.push_str(words[w]);
                if taken {
                    ranges.push(start..text.len());
                }
                text.push(' ');
            }
            let got = super::finding(&text, &ranges, "what", "title");
            proptest::prop_assert_eq!(got.is_some(), !ranges.is_empty());
            if let Some(raw) = got {
                let want = edits_reference(&text, &ranges);
                let edits = raw.fixes.first().map(|f| f.edits.clone()).unwrap_or_default();
                proptest::prop_assert_eq!(edits, want);
                let places = match ranges.len() {
                    1 => "1 place".to_owned(),
                    n => format!("{n} places"),
                };
                proptest::prop_assert_eq!(raw.message, format!("what: {places}"));
            }
        }
    }

    #[test]
    fn composes_decomposed_text() {
        let nfd: String = "Hội nghị tại Hà Nội".nfd().collect();
        let (_, f) = run(RULE, &nfd);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .starts_with("decomposed characters (Unicode NFD): "),
            "{}",
            f[0].message
        );
        let (fixed, n) = apply_safe_fixes(&nfd, &f);
        assert_eq!((fixed.as_str(), n), ("Hội nghị tại Hà Nội", 1));
    }

    #[test]
    fn replaces_eth() {
        let t = "Khu vực \u{00D0}ông Nam Á.";
        let (marked, f) = run(RULE, t);
        assert_eq!(marked, "Khu vực [[\u{00D0}]]ông Nam Á.");
        assert_eq!(apply_safe_fixes(t, &f).0, "Khu vực Đông Nam Á.");
    }

    #[test]
    fn unifies_two_tone_styles_but_keeps_one_consistent_style() {
        let t = "Tỉnh Hòa Bình, nước thủy lợi.\r\nTỉnh Hoà Bình khoẻ.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "Tỉnh [[Hòa]] Bình, nước thủy lợi.\r\nTỉnh Hoà Bình khoẻ."
        );
        assert_eq!(f[0].message.rsplit(": ").next(), Some("2 places"));
        assert_eq!(
            apply_safe_fixes(t, &f).0,
            "Tỉnh Hoà Bình, nước thuỷ lợi.\r\nTỉnh Hoà Bình khoẻ."
        );
        for t in [
            "Tỉnh Hòa Bình, nước thủy lợi.",
            "Tỉnh Hoà Bình khoẻ.",
            "Plain ASCII text.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }
}
