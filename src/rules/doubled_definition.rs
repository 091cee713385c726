//! `doubled-definition`: an acronym spelled out again, the same way.

use super::prose::LineNumbers;
use super::{
    Context, Edit, Fix, Raw, RuleInfo, Shared, definition_extent, definition_span, spelled_out_here,
};
use crate::config::Level;
use crate::lexicon::push_decimal;
use crate::matcher::Definition;

pub const INFO: RuleInfo = RuleInfo {
    id: "doubled-definition",
    default_level: Level::Info,
    summary: "an acronym spelled out a second time",
    explanation: "\
An acronym is spelled out once, at its first use. Flags a later definition that repeats the
long form of an earlier one in the body, often the trace of a pasted paragraph:

```text
The Senior Officials Meeting on Transnational Crime (SOMTC) met on Monday. …
Later, the Senior Officials Meeting on Transnational Crime (SOMTC) agreed …
```

A definition in a headline does not count: the body spells the acronym out again, as
`acronym-before-definition` asks. A repeat with a different long form is reported by
`inconsistent-expansion` instead.

The fix keeps only the acronym (`the SOMTC agreed`). It is not applied by
`lexls lint --fix`, since the sentence may need rewording.
",
};

pub fn check(ctx: &Context, shared: &Shared) -> Vec<Raw> {
    let definitions = &ctx.analysis.definitions;
    let keys = shared.definition_keys(ctx);
    let body = shared.body(ctx);
    // For each acronym and long form, by the index of its first definition (in the body or
    // not), its first definition in the body.
    let mut first_in_body: Vec<Option<&Definition>> = vec![None; definitions.len()];
    let mut out = Vec::new();
    for (i, d) in definitions.iter().enumerate() {
        if !body[i] {
            continue;
        }
        let first = &mut first_in_body[keys.first_of_form(i)];
        match *first {
            Some(first) => out.push(report(ctx, &shared.lines, first, d)),
            None => *first = Some(d),
        }
    }
    out
}

fn report(ctx: &Context, lines: &LineNumbers, first: &Definition, d: &Definition) -> Raw {
    let extent = definition_extent(ctx.text, d);
    let short = ctx.text[d.short.clone()].to_owned();
    // "`{short_text}` was already spelled out on line {line}", written piece by piece: a
    // `format!` cost several times as much, and this rule reports hundreds of repeats in a
    // large run.
    const SPELLED_OUT: &str = "` was already spelled out on line ";
    let mut message = String::with_capacity(d.short_text.len() + SPELLED_OUT.len() + 8);
    message.push('`');
    message.push_str(&d.short_text);
    message.push_str(SPELLED_OUT);
    push_decimal(&mut message, lines.of(definition_span(first).start) as u64);
    Raw {
        span: extent.clone(),
        message,
        fixes: vec![Fix {
            title: ["Keep only ", &short].concat(),
            edits: vec![Edit {
                range: extent,
                replacement: short,
            }],
            safe: false,
        }],
        related: vec![spelled_out_here(first)],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::collections::hash_map::Entry;

    use super::*;
    use crate::config::Config;
    use crate::rules::inconsistent_expansion::tests::{definitions_text, picks, seen};
    use crate::rules::prose::is_title_line;
    use crate::rules::test_support::{engine, fixed, run};
    use crate::rules::{long_form_key, short_key};

    /// [`check`] as it was before the long forms' keys were shared with
    /// `inconsistent-expansion`: every long form's key computed. The reference the tests
    /// compare with.
    fn check_reference(ctx: &Context) -> Vec<Raw> {
        let mut first: HashMap<(String, String), &Definition> = HashMap::new();
        let mut out = Vec::new();
        let lines = LineNumbers::new(ctx.text);
        let body = ctx.analysis.definitions.iter();
        for d in body.filter(|d| !is_title_line(ctx.text, d.short.start)) {
            match first.entry((short_key(d), long_form_key(ctx.text, d))) {
                Entry::Vacant(v) => {
                    v.insert(d);
                }
                Entry::Occupied(o) => out.push(report(ctx, &lines, o.get(), d)),
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 500, failure_persistence: None, ..Default::default()
        })]

        #[test]
        fn finds_what_comparing_every_key_finds(picks in picks()) {
            let text = definitions_text(&picks);
            let engine = engine();
            let analysis = engine.analyze(&text);
            let config = Config::default();
            let ctx = Context { engine: &engine, text: &text, analysis: &analysis, config: &config, path: None };
            let got = check(&ctx, &Shared::new(&text));
            proptest::prop_assert_eq!(seen(got), seen(check_reference(&ctx)));
        }
    }

    const RULE: &str = "doubled-definition";

    #[test]
    fn flags_a_repeated_definition() {
        let t = "The ASEAN Military Intelligence Community (AMIC) met.\n\nLater the ASEAN Military Intelligence Community (AMIC) agreed.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The ASEAN Military Intelligence Community (AMIC) met.\n\nLater the [[ASEAN Military Intelligence Community (AMIC)]] agreed."
        );
        assert_eq!(f[0].message, "`AMIC` was already spelled out on line 1");
        assert!(fixed(t, &f).ends_with("Later the AMIC agreed."));
    }

    #[test]
    fn headline_definitions_and_other_long_forms_pass() {
        for t in [
            "Launch of the ASEAN Military Intelligence Community (AMIC)\n\nThe ASEAN Military Intelligence Community (AMIC) met.",
            "The ASEAN Military Intelligence Community (AMIC) met. The ASEAN Military/Defense Intelligence Community (AMIC) agreed.",
            "The ASEAN Military Intelligence Community (AMIC) met. AMIC agreed.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }
}
