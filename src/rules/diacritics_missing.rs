//! `diacritics-missing`: a Vietnamese name written without its diacritics in Vietnamese text.

use crate::Map;
use std::sync::{Arc, Mutex, PoisonError};

use super::{Context, Edit, Fix, PerLexicon, Raw, RuleInfo, Shared};
use crate::analysis::Engine;
use crate::config::Level;
use crate::lexicon::{Lang, Record, RecordId};
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
    ctx.analysis
        .mentions
        .iter()
        .filter(|m| m.via == Via::Folded)
        .map(|m| {
            let written = &ctx.text[m.span.clone()];
            let marked = marked_form(&marked_names(ctx.engine, m.entity.record), written);
            // The message and fix are written piece by piece: `format!` cost several times
            // as much.
            let mut message = String::with_capacity(2 * written.len() + 40);
            message.push('`');
            message.push_str(written);
            message.push_str("` is written without diacritics");
            if let Some((p, _)) = &marked {
                message.push_str(": `");
                message.push_str(p);
                message.push('`');
            }
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
                        title: ["Replace with ", &p].concat(),
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

/// A name or alias of a record that has diacritics, as [`marked_form`] compares it.
struct Marked {
    name: String,
    /// The name without its diacritics.
    stripped: String,
    /// `normalized_string(stripped, Fold::Case)`.
    key: String,
}

/// The record's names and aliases that have diacritics, in the order [`marked_form`] prefers
/// them (the Vietnamese name, the English one, the aliases).
///
/// A name in ASCII is left out without stripping it: it has no diacritics, so it is not the
/// marked form of anything (most English names and many aliases).
fn marked_names_of(r: &Record) -> Vec<Marked> {
    let names = [&r.name.vi, &r.name.en].into_iter().flatten();
    names
        .chain(r.aliases.iter().map(|a| &a.text))
        .filter(|n| !n.is_ascii())
        .filter_map(|n| {
            let stripped = strip_diacritics(n);
            (stripped != *n).then(|| Marked {
                name: n.clone(),
                key: normalized_string(&stripped, Fold::Case),
                stripped,
            })
        })
        .collect()
}

/// [`marked_names_of`] the record `id` of the engine's lexicon, made once for the run: a
/// lint run finds the same few names unmarked in many articles, and stripping and
/// normalising a record's names cost several times what finding them here does.
fn marked_names(engine: &Engine, id: RecordId) -> Arc<[Marked]> {
    static NAMES: PerLexicon<Mutex<Map<RecordId, Arc<[Marked]>>>> = PerLexicon::new();
    let names = NAMES.get(engine, |_| Mutex::default());
    let mut names = names.lock().unwrap_or_else(PoisonError::into_inner);
    names
        .entry(id)
        .or_insert_with(|| marked_names_of(engine.lexicon().record(id)).into())
        .clone()
}

/// The name or alias (of `names`, see [`marked_names_of`]) that `written` is the unmarked
/// form of, the first one, with that name without its diacritics.
fn marked_form(names: &[Marked], written: &str) -> Option<(String, String)> {
    let key = normalized_string(written, Fold::Case);
    names
        .iter()
        .find(|n| n.key == key)
        .map(|n| (n.name.clone(), n.stripped.clone()))
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
                    let got = super::marked_form(&super::marked_names_of(r), &written);
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

    /// The names kept for the run are those of the lexicon asked about, when two lexicons
    /// take turns.
    #[test]
    fn kept_names_are_those_of_the_engine_asked_about() {
        let engines = [
            crate::analysis::Engine::embedded(),
            crate::rules::test_support::engine(),
        ];
        let mut names = 0;
        for round in 0..3 {
            for engine in &engines {
                let lx = engine.lexicon();
                for i in (round..lx.records().len()).step_by(7) {
                    let id = crate::lexicon::RecordId(i as u32);
                    let kept = super::marked_names(engine, id);
                    let made = super::marked_names_of(lx.record(id));
                    let texts = |m: &[super::Marked]| -> Vec<(String, String, String)> {
                        m.iter()
                            .map(|n| (n.name.clone(), n.stripped.clone(), n.key.clone()))
                            .collect()
                    };
                    assert_eq!(texts(&kept), texts(&made), "{}", lx.record(id).id);
                    names += made.len();
                }
            }
        }
        assert!(names > 100, "{names}");
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
