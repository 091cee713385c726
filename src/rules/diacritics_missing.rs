//! `diacritics-missing`: a Vietnamese name written without its diacritics in Vietnamese text.

use super::{Context, Edit, Fix, Raw, RuleInfo, Shared};
use crate::config::Level;
use crate::lexicon::{Lang, Record};
use crate::matcher::Via;
use crate::normalize::{Fold, normalized_string, strip_diacritics};

pub const INFO: RuleInfo = RuleInfo {
    id: "diacritics-missing",
    default_level: Level::Warning,
    summary: "a Vietnamese name without diacritics in Vietnamese text",
    explanation: "\
English articles often write Vietnamese names without diacritics (`Tran Cong Chinh`,
`Bui Van Nam`); Vietnamese articles never should. In an article in Vietnamese (most words
carry Vietnamese letters), this rule flags a person or place of the lexicon written without
its marks, and offers the name as the lexicon writes it:

```text
Trung tướng Tran Cong Chinh chủ trì hội nghị.
→ Trung tướng Trần Công Chính chủ trì hội nghị.
```

English articles are not checked, in either direction.

The fix is safe when the name belongs to a single record and the text matches its form
letter for letter apart from the marks; `lexls lint --fix` applies it then.
",
};

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    if ctx.lang() != Lang::Vi {
        return Vec::new();
    }
    let lx = ctx.engine.lexicon();
    ctx.analysis
        .mentions
        .iter()
        .filter(|m| m.via == Via::Folded)
        .map(|m| {
            let written = &ctx.text[m.span.clone()];
            let record = lx.record(m.entity.record);
            let marked = marked_form(record, written);
            let message = match &marked {
                Some((p, _)) => format!("`{written}` is written without diacritics: `{p}`"),
                None => format!("`{written}` is written without diacritics"),
            };
            let safe = !m.is_ambiguous()
                && marked
                    .as_ref()
                    .is_some_and(|(_, stripped)| stripped == written);
            let proper = marked.map(|(p, _)| p);
            Raw {
                span: m.span.clone(),
                message,
                fixes: proper
                    .map(|p| Fix {
                        title: format!("Replace with {p}"),
                        edits: vec![Edit {
                            range: m.span.clone(),
                            replacement: p,
                        }],
                        safe,
                    })
                    .into_iter()
                    .collect(),
                related: Vec::new(),
            }
        })
        .collect()
}

/// The record's name or alias that `written` is the unmarked form of, preferring Vietnamese,
/// with that name without its diacritics.
///
/// Each name is stripped of its diacritics once, and a name in ASCII not at all: it has none
/// to strip, so it is not the marked form of anything (most English names and many aliases).
fn marked_form(r: &Record, written: &str) -> Option<(String, String)> {
    let key = normalized_string(written, Fold::Case);
    let names = [&r.name.vi, &r.name.en].into_iter().flatten();
    names
        .chain(r.aliases.iter().map(|a| &a.text))
        .filter(|n| !n.is_ascii())
        .find_map(|n| {
            let stripped = strip_diacritics(n);
            (stripped != *n && normalized_string(&stripped, Fold::Case) == key)
                .then(|| (n.clone(), stripped))
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::apply_safe_fixes;
    use crate::rules::test_support::run;

    const RULE: &str = "diacritics-missing";

    /// [`super::marked_form`] as it was before it passed over names in ASCII and stripped
    /// each name once: the reference the test compares with.
    fn marked_form_reference(r: &crate::lexicon::Record, written: &str) -> Option<String> {
        use crate::normalize::{Fold, normalized_string, strip_diacritics};
        let key = normalized_string(written, Fold::Case);
        let names = [&r.name.vi, &r.name.en].into_iter().flatten();
        names
            .chain(r.aliases.iter().map(|a| &a.text))
            .find(|n| {
                normalized_string(&strip_diacritics(n), Fold::Case) == key
                    && strip_diacritics(n) != **n
            })
            .cloned()
    }

    /// For every record of the embedded lexicon and each of its names written without
    /// diacritics, in capitals and as it is, the same marked form is found as before.
    #[test]
    fn marked_forms_are_found_as_before() {
        use crate::normalize::strip_diacritics;
        let engine = crate::analysis::Engine::embedded();
        let lx = engine.lexicon();
        let mut found = 0;
        for r in lx.records() {
            let names = [&r.name.vi, &r.name.en].into_iter().flatten();
            for n in names.chain(r.aliases.iter().map(|a| &a.text)) {
                let stripped = strip_diacritics(n);
                for written in [stripped.clone(), stripped.to_uppercase(), n.clone()] {
                    let got = super::marked_form(r, &written);
                    let want = marked_form_reference(r, &written);
                    assert_eq!(got.as_ref().map(|(p, _)| p), want.as_ref(), "{written:?}");
                    if let Some((p, s)) = got {
                        assert_eq!(s, strip_diacritics(&p));
                        found += 1;
                    }
                }
            }
        }
        assert!(found > 100, "{found}");
    }

    #[test]
    fn flags_and_fixes_an_unmarked_name_in_vietnamese_text() {
        let t = "Trung tướng Tran Cong Chinh chủ trì hội nghị tại Hà Nội.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "Trung tướng [[Tran Cong Chinh]] chủ trì hội nghị tại Hà Nội."
        );
        assert_eq!(
            f[0].message,
            "`Tran Cong Chinh` is written without diacritics: `Trần Công Chính`"
        );
        assert_eq!(
            apply_safe_fixes(t, &f).0,
            "Trung tướng Trần Công Chính chủ trì hội nghị tại Hà Nội."
        );
    }

    #[test]
    fn english_text_and_marked_names_pass() {
        for t in [
            "The meeting was chaired by Lieutenant General Tran Cong Chinh in Hanoi.",
            "Trung tướng Trần Công Chính chủ trì hội nghị tại Hà Nội.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }

    #[test]
    fn a_different_letter_case_is_not_a_safe_fix() {
        let t = "Trung tướng TRAN CONG CHINH chủ trì hội nghị tại Hà Nội.";
        let (_, f) = run(RULE, t);
        if let Some(f) = f.first() {
            assert!(!f.fixes[0].safe);
        }
    }
}
