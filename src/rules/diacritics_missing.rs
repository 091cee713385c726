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
            let proper = marked_form(record, written);
            let message = match &proper {
                Some(p) => format!("`{written}` is written without diacritics: `{p}`"),
                None => format!("`{written}` is written without diacritics"),
            };
            let safe = !m.is_ambiguous()
                && proper
                    .as_deref()
                    .is_some_and(|p| strip_diacritics(p) == written);
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

/// The record's name or alias that `written` is the unmarked form of, preferring Vietnamese.
fn marked_form(r: &Record, written: &str) -> Option<String> {
    let key = normalized_string(written, Fold::Case);
    let names = [&r.name.vi, &r.name.en].into_iter().flatten();
    names
        .chain(r.aliases.iter().map(|a| &a.text))
        .find(|n| {
            normalized_string(&strip_diacritics(n), Fold::Case) == key && strip_diacritics(n) != **n
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use crate::rules::apply_safe_fixes;
    use crate::rules::test_support::run;

    const RULE: &str = "diacritics-missing";

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
