//! `inconsistent-expansion`: one acronym spelled out in different ways in one article.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::prose::LineNumbers;
use super::{Context, Edit, Fix, Raw, RuleInfo, long_form_key, short_key, spelled_out_here};
use crate::config::Level;
use crate::matcher::Definition;

pub const INFO: RuleInfo = RuleInfo {
    id: "inconsistent-expansion",
    default_level: Level::Warning,
    summary: "an acronym spelled out in different ways in one article",
    explanation: "\
Flags a definition of an acronym whose long form differs from the first definition of the
same acronym in the article:

```text
… the 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17) …
… the 17th ASEAN Military Intelligence/Defense Chiefs' Meeting (AMIM-17) …
```

Both may be names the lexicon knows; readers still wonder whether two meetings are meant.
Long forms are compared after normalisation, so letter case, spacing, dashes, Unicode form
and tone-mark placement do not count as differences. Editions are separate acronyms
(`AMIM-17` and `AMIM-20` may be spelled out differently). Each distinct variant is reported
once; a repeat of the same long form is `doubled-definition`'s business.

The fix replaces the long form with the first one. It is not applied by `lexls lint --fix`:
the first form is not always the one to keep.
",
};

pub fn check(ctx: &Context) -> Vec<Raw> {
    // For each acronym: its first definition and the long forms seen so far.
    let mut seen: HashMap<String, (&Definition, HashSet<String>)> = HashMap::new();
    let mut out = Vec::new();
    let lines = LineNumbers::new(ctx.text);
    for d in &ctx.analysis.definitions {
        let long = long_form_key(ctx.text, d);
        let (first, forms) = match seen.entry(short_key(d)) {
            Entry::Vacant(v) => {
                v.insert((d, HashSet::from([long])));
                continue;
            }
            Entry::Occupied(o) => o.into_mut(),
        };
        if forms.insert(long) {
            out.push(report(ctx, &lines, first, d));
        }
    }
    out
}

fn report(ctx: &Context, lines: &LineNumbers, first: &Definition, d: &Definition) -> Raw {
    let first_long = &ctx.text[first.long.clone()];
    Raw {
        span: d.long.clone(),
        message: format!(
            "`{}` is spelled out as `{}` here but as `{first_long}` on line {}",
            d.short_text,
            &ctx.text[d.long.clone()],
            lines.of(first.long.start)
        ),
        fixes: vec![Fix {
            title: format!("Replace with {first_long}"),
            edits: vec![Edit {
                range: d.long.clone(),
                replacement: first_long.to_owned(),
            }],
            safe: false,
        }],
        related: vec![spelled_out_here(first)],
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{fixed, run};

    const RULE: &str = "inconsistent-expansion";

    #[test]
    fn flags_a_second_long_form() {
        let t = "At the 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17) it began.\n\
                 The 17th ASEAN Military Intelligence/Defense Chiefs' Meeting (AMIM-17) was online.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "At the 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17) it began.\n\
             The [[17th ASEAN Military Intelligence/Defense Chiefs' Meeting]] (AMIM-17) was online."
        );
        assert_eq!(
            f[0].message,
            "`AMIM-17` is spelled out as `17th ASEAN Military Intelligence/Defense Chiefs' Meeting` here \
             but as `17th ASEAN Heads of Military/Defense Intelligence Meeting` on line 1"
        );
        assert!(fixed(t, &f).ends_with(
            "The 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17) was online."
        ));
    }

    #[test]
    fn same_long_form_other_editions_and_spacing_pass() {
        for t in [
            "The ASEAN Military Intelligence Community (AMIC) met. The ASEAN Military Intelligence Community (AMIC) met again.",
            "The ASEAN Military/Defense Intelligence Community (AMIC) met. The ASEAN Military /Defense Intelligence Community (AMIC) met.",
            "The 17th ASEAN Military Intelligence Meeting (AMIM-17) and the 20th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-20).",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }
}
