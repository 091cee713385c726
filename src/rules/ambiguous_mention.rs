//! `ambiguous-mention`: an acronym or name with several senses and no definition that picks
//! one.

use crate::Set;

use super::inconsistent_expansion::is_own_short_key;
use super::{
    Context, Edit, Fix, Raw, RuleInfo, Shared, body_definitions, long_with_acronym, short_key,
    spelled_out_here,
};
use crate::config::Level;
use crate::lexicon::{EntityRef, Lang, push_decimal};
use crate::normalize::{Fold, normalized_string};

pub const INFO: RuleInfo = RuleInfo {
    id: "ambiguous-mention",
    default_level: Level::Warning,
    summary: "an ambiguous acronym that no definition disambiguates",
    explanation: "\
Some acronyms name more than one thing: `ASC` is the ASEAN Studies Centre and also the ASEAN
Security Community (now the ASEAN Political-Security Community). The lexicon marks such
forms `ambiguous` in every record that shares them.

A definition settles the sense for the rest of the article: after `ASEAN Studies Centre
(ASC)`, every `ASC` is the research centre. This rule flags the first mention of an
ambiguous form in the body that comes before any such definition, lists the senses, and
says where the article spells it out later if it does. Headlines are not checked.

The fixes write one of the senses in full at that mention (`ASEAN Studies Centre (ASC)`),
in the article's language. They are offered in editors and never applied by
`lexls lint --fix`: only a person can tell which sense the writer meant.
",
};

pub fn check(ctx: &Context, shared: &Shared) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    let lang = ctx.lang();
    let mut seen = Set::default();
    let mut out = Vec::new();
    for m in &ctx.analysis.mentions {
        if !m.is_ambiguous() || shared.is_title_line(m.span.start) {
            continue;
        }
        let written = &ctx.text[m.span.clone()];
        let key = normalized_string(written, Fold::None);
        if !seen.insert(key.clone()) {
            continue;
        }
        let senses: Vec<EntityRef> = m
            .candidates
            .iter()
            .map(|&record| EntityRef {
                record,
                edition: None,
            })
            .collect();
        let names: Vec<String> = senses.iter().map(|&e| lx.label(e, Lang::En)).collect();
        // An acronym that is its own key (most are) is compared as written, without
        // normalising it.
        let later = body_definitions(ctx, shared).find(|d| {
            d.short.start > m.span.start
                && if is_own_short_key(&d.short_text) {
                    d.short_text == key
                } else {
                    short_key(d) == key
                }
        });
        // The message and fixes are written piece by piece: `format!` cost several times
        // as much.
        let mut message = String::with_capacity(written.len() + 64);
        message.push('`');
        message.push_str(written);
        message.push_str("` is ambiguous: ");
        push_or_list(&mut message, &names);
        if let Some(d) = later {
            message.push_str("; it is spelled out only later, on line ");
            push_decimal(&mut message, shared.lines.of(d.short.start) as u64);
        }
        let fixes = senses
            .iter()
            .map(|&e| {
                let label = lx.label(e, lang);
                let replacement = long_with_acronym(&label, written);
                Fix {
                    title: ["Spell out: ", &replacement].concat(),
                    edits: vec![Edit {
                        range: m.span.clone(),
                        replacement,
                    }],
                    safe: false,
                }
            })
            .collect();
        out.push(Raw {
            span: m.span.clone(),
            message,
            fixes,
            related: later.map(spelled_out_here).into_iter().collect(),
        });
    }
    out
}

/// Appends `a`, `a or b`, `a, b or c` to `out`.
fn push_or_list(out: &mut String, items: &[String]) {
    let Some((last, init)) = items.split_last() else {
        return;
    };
    for (i, item) in init.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
    if !init.is_empty() {
        out.push_str(" or ");
    }
    out.push_str(last);
}

#[cfg(test)]
mod tests {
    use super::push_or_list;
    use crate::rules::test_support::{fixed, run};

    /// `a`, `a or b`, `a, b or c` as `format!` wrote them: the reference.
    fn or_list_reference(items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }

    #[test]
    fn or_lists_are_as_formatted() {
        let words = ["ASEAN Studies Centre", "b", "", "Cộng đồng", "e, f"];
        for n in 0..=words.len() {
            let items: Vec<String> = words[..n].iter().map(|w| w.to_string()).collect();
            let mut out = "x: ".to_owned();
            push_or_list(&mut out, &items);
            assert_eq!(
                out,
                format!("x: {}", or_list_reference(&items)),
                "{items:?}"
            );
        }
    }

    const RULE: &str = "ambiguous-mention";

    #[test]
    fn flags_the_first_undefined_mention_and_lists_the_senses() {
        let t = "The ASC should do more. Critics say the ASC is stretched.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The [[ASC]] should do more. Critics say the ASC is stretched."
        );
        assert!(
            f[0].message.contains("ASEAN Studies Centre"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("ASEAN Political-Security Community"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].fixes.len(), 2);
        assert!(f[0].fixes.iter().all(|x| !x.safe));
    }

    #[test]
    fn says_where_a_later_definition_is() {
        let t = "The ASC said so.\n\nThe ASEAN Studies Centre (ASC) is in Singapore.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The [[ASC]] said so.\n\nThe ASEAN Studies Centre (ASC) is in Singapore."
        );
        assert!(
            f[0].message.ends_with("spelled out only later, on line 3"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].related.len(), 1);
    }

    #[test]
    fn a_definition_settles_the_sense() {
        for t in [
            "The ASEAN Studies Centre (ASC) is in Singapore. The ASC gave a prize.",
            "Trung tâm Nghiên cứu ASEAN (ASC) có trụ sở tại Singapore. ASC đã nhận giải.",
            "APSC is not ambiguous.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
    }

    #[test]
    fn fixes_use_the_document_language() {
        let t = "Các chuyên gia của ASC đã đưa ra nhiều khuyến nghị về an ninh.";
        let (_, f) = run(RULE, t);
        let all: Vec<&str> = f[0]
            .fixes
            .iter()
            .map(|x| x.edits[0].replacement.as_str())
            .collect();
        assert!(all.contains(&"Trung tâm Nghiên cứu ASEAN (ASC)"), "{all:?}");
        assert!(fixed(t, &f).contains("(ASC) đã"));
    }
}
