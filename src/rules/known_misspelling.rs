//! `known-misspelling`: a form the lexicon marks as a misspelling (`ASEANPOL`).

use super::{Context, Edit, Fix, Raw, RuleInfo, Shared};
use crate::config::Level;
use crate::lexicon::Lang;
use crate::matcher::Via;

pub const INFO: RuleInfo = RuleInfo {
    id: "known-misspelling",
    default_level: Level::Warning,
    summary: "a known misspelling of an acronym or name",
    explanation: "\
Flags forms that the lexicon lists under `misspellings` of a record, such as `ASEANPOL` for
`ASEANAPOL` (the ASEAN Chiefs of Police).

The fix replaces the misspelling with the record's acronym (or its name when it has none).
It is safe: `lexls lint --fix` applies it.

```text
Cảnh sát hai nước làm việc qua ASEANPOL    →    Cảnh sát hai nước làm việc qua ASEANAPOL
```
",
};

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    ctx.analysis
        .mentions
        .iter()
        .filter(|m| m.via == Via::Misspelling)
        .map(|m| {
            let r = lx.record(m.entity.record);
            let label = lx.label(m.entity, Lang::En);
            let right = match r.acronym() {
                Some(acronym) => acronym.to_owned(),
                None => label.clone(),
            };
            let wrong = &ctx.text[m.span.clone()];
            // "`{wrong}` is a misspelling of `{right}` ({label})" and "Replace with {right}",
            // written piece by piece: `format!` cost several times as much.
            let pieces = [
                "`",
                wrong,
                "` is a misspelling of `",
                &right,
                "` (",
                &label,
                ")",
            ];
            Raw {
                span: m.span.clone(),
                message: pieces.concat(),
                fixes: vec![Fix {
                    title: ["Replace with ", &right].concat(),
                    edits: vec![Edit {
                        range: m.span.clone(),
                        replacement: right,
                    }],
                    safe: true,
                }],
                related: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn flags_and_fixes_aseanpol() {
        let (marked, f) = run(
            "known-misspelling",
            "Cảnh sát hai nước làm việc qua ASEANPOL.",
        );
        assert_eq!(marked, "Cảnh sát hai nước làm việc qua [[ASEANPOL]].");
        assert_eq!(f[0].fixes[0].edits[0].replacement, "ASEANAPOL");
        assert!(f[0].fixes[0].safe);
    }

    #[test]
    fn correct_form_is_not_flagged() {
        let (marked, f) = run("known-misspelling", "ASEANAPOL và ASEAN");
        assert!(f.is_empty(), "{marked}");
    }
}
