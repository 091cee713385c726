//! `mixed-normalisation`: decomposed characters, `Ð` for `Đ`, and two tone-mark styles in
//! one document.

use std::ops::Range;

use super::{Context, Edit, Fix, Raw, RuleInfo, Shared};
use crate::config::Level;
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
    let edits: Vec<Edit> = ranges
        .iter()
        .map(|r| Edit {
            range: r.clone(),
            replacement: canonical_text(&text[r.clone()]),
        })
        .filter(|e| e.replacement != text[e.range.clone()])
        .collect();
    let places = match ranges.len() {
        1 => "1 place".to_owned(),
        n => format!("{n} places"),
    };
    Some(Raw {
        span: first,
        message: format!("{what}: {places}"),
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
    use unicode_normalization::UnicodeNormalization;

    use crate::rules::apply_safe_fixes;
    use crate::rules::test_support::run;

    const RULE: &str = "mixed-normalisation";

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
