//! `expansion-mismatch`: `Long Form (ACR)` whose long form is not a name of ACR.

use std::collections::HashSet;

use super::{Context, Edit, Fix, Raw, RuleInfo, family};
use crate::config::Level;
use crate::lexicon::{EntityRef, Kind, Lang, Lexicon, RecordId};
use crate::matcher::Definition;
use crate::normalize::{Fold, normalized_string};

pub const INFO: RuleInfo = RuleInfo {
    id: "expansion-mismatch",
    default_level: Level::Warning,
    summary: "a long form that is not a name of its acronym",
    explanation: "\
Flags a definition, `Long Form (ACR)` or `ACR (Long Form)`, whose long form does not name
what the lexicon says `ACR` stands for:

- the long form is the name of another record (`ASEAN Regional Forum (AMIM)`), or
- the long form is unknown to the lexicon and most of its words appear in none of the
  record's names (`ASEAN Maritime Initiative Meeting (AMIM)`).

A long form that is unknown but uses the record's words (`ASEAN Heads of Military
Intelligence Meeting (AMIM)`) is taken as a variant spelling, not a contradiction; the
`inconsistent-expansion` rule still checks that an article spells an acronym one way.

The fixes replace the long form with the record's names, in the article's language first.
They are not applied by `lexls lint --fix`: either the long form or the acronym may be the
mistake.
",
};

/// Share of a long form's words that must appear in the record's names for an unknown long
/// form to count as a variant.
const VARIANT_COVERAGE: f64 = 0.75;

pub fn check(ctx: &Context) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    ctx.analysis
        .definitions
        .iter()
        .filter(|d| d.contradicts(lx) && !ends_with_a_name(ctx, d))
        .filter_map(|d| mismatch(ctx, d))
        .collect()
}

fn mismatch(ctx: &Context, d: &Definition) -> Option<Raw> {
    let lx = ctx.engine.lexicon();
    let long = &ctx.text[d.long.clone()];
    let short = &ctx.text[d.short.clone()];
    let meant = meant(d);
    let meaning = meant
        .iter()
        .map(|&e| lx.label(e, Lang::En))
        .collect::<Vec<_>>()
        .join(" or ");
    let message = match d.long_entity {
        Some(other) => format!(
            "`{long}` is the {} {}, but `{short}` stands for {meaning}",
            lx.record(other.record).kind.label(Lang::En),
            lx.label(other, Lang::En)
        ),
        None if coverage(long, &words_of_records(lx, &d.short_candidates)) >= VARIANT_COVERAGE => {
            return None;
        }
        None => format!("`{long}` does not match `{short}` ({meaning})"),
    };
    Some(Raw {
        span: d.long.clone(),
        message,
        fixes: suggestions(lx, &meant, ctx.lang())
            .into_iter()
            .map(|name| Fix {
                title: format!("Replace with {name}"),
                edits: vec![Edit {
                    range: d.long.clone(),
                    replacement: name,
                }],
                safe: false,
            })
            .collect(),
        related: Vec::new(),
    })
}

/// Whether the long form ends with a name of what the acronym stands for, inside a longer
/// name: in `Joint Statement of the 20th ASEAN Chiefs of Defence Forces Meeting (ACDFM-20)`
/// the acronym names the meeting, not the statement.
fn ends_with_a_name(ctx: &Context, d: &Definition) -> bool {
    let lx = ctx.engine.lexicon();
    let long = &ctx.text[d.long.clone()];
    let families: Vec<RecordId> = d.short_candidates.iter().map(|&c| family(lx, c)).collect();
    let word_starts = long
        .char_indices()
        .zip(long.chars().skip(1))
        .filter(|&((_, c), next)| c.is_whitespace() && !next.is_whitespace())
        .map(|((i, c), _)| i + c.len_utf8());
    word_starts.into_iter().any(|start| {
        let tail = &long[start..];
        ctx.engine
            .matcher()
            .find(lx, tail, Some(ctx.lang()))
            .iter()
            .any(|m| m.span == (0..tail.len()) && families.contains(&family(lx, m.entity.record)))
    })
}

/// What the acronym stands for: its mention's entity (with the edition), else every record
/// it can name.
fn meant(d: &Definition) -> Vec<EntityRef> {
    match (d.short_entity, d.short_candidates.as_slice()) {
        (Some(e), [_]) => vec![e],
        (_, candidates) => candidates
            .iter()
            .map(|&record| EntityRef {
                record,
                edition: None,
            })
            .collect(),
    }
}

/// The names to suggest, the document's language first, without repeats.
fn suggestions(lx: &Lexicon, meant: &[EntityRef], lang: Lang) -> Vec<String> {
    let other = match lang {
        Lang::En => Lang::Vi,
        Lang::Vi => Lang::En,
    };
    let mut seen = HashSet::new();
    meant
        .iter()
        .flat_map(|&e| [lx.label(e, lang), lx.label(e, other)])
        .filter(|n| seen.insert(n.clone()))
        .collect()
}

/// The words of every name and alias of `records`, and of their series for meetings.
fn words_of_records(lx: &Lexicon, records: &[RecordId]) -> HashSet<String> {
    let mut all = HashSet::new();
    for &id in records {
        let r = lx.record(id);
        let series = (r.kind == Kind::Meeting)
            .then_some(r.facts.series)
            .flatten()
            .map(|s| lx.record(s));
        for rec in std::iter::once(r).chain(series) {
            let names = [&rec.name.en, &rec.name.vi].into_iter().flatten();
            for n in names.chain(rec.aliases.iter().map(|a| &a.text)) {
                all.extend(content_words(n));
            }
        }
    }
    all
}

/// Share of `long`'s content words found in `known` (1 when it has none).
fn coverage(long: &str, known: &HashSet<String>) -> f64 {
    let words = content_words(long);
    if words.is_empty() {
        return 1.0;
    }
    words.iter().filter(|w| known.contains(*w)).count() as f64 / words.len() as f64
}

const STOP_WORDS: [&str; 26] = [
    "the", "of", "on", "for", "and", "in", "at", "to", "a", "an", "s", "first", "second", "third",
    "các", "của", "và", "về", "cho", "với", "lần", "thứ", "nhất", "những", "tại", "nước",
];

/// Lower-cased, normalised words without numbers, ordinals and function words.
fn content_words(s: &str) -> Vec<String> {
    normalized_string(s, Fold::Case)
        .split(|c: char| !super::prose::is_word_char(c))
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{fixed, run};

    const RULE: &str = "expansion-mismatch";

    #[test]
    fn flags_a_long_form_with_other_words() {
        let t = "It calls the forum the ASEAN Maritime Initiative Meeting (AMIM) instead.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "It calls the forum the [[ASEAN Maritime Initiative Meeting]] (AMIM) instead."
        );
        assert_eq!(
            f[0].message,
            "`ASEAN Maritime Initiative Meeting` does not match `AMIM` (ASEAN Military Intelligence Meeting)"
        );
        let titles: Vec<&str> = f[0].fixes.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(
            titles[0],
            "Replace with ASEAN Military Intelligence Meeting"
        );
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(fixed(t, &f).contains("the ASEAN Military Intelligence Meeting (AMIM) instead"));
    }

    #[test]
    fn flags_the_name_of_another_record() {
        let (marked, f) = run(RULE, "The ASEAN Studies Centre (AMIC) met.");
        assert_eq!(marked, "The [[ASEAN Studies Centre]] (AMIC) met.");
        assert!(
            f[0].message
                .contains("is the organisation ASEAN Studies Centre"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn names_variants_and_unknown_acronyms_pass() {
        for t in [
            "A statement of the 17th ASEAN Military Intelligence Meeting (AMIM-17) was issued.",
            "The ASEAN Military Intelligence Community (AMIC) met.",
            "The ASEAN Military/Defense Intelligence Community (AMIC) met.",
            "The 17th ASEAN Heads of Military/Defense Intelligence Meeting (AMIM-17) met.",
            "The ASEAN Military Intelligence Chiefs Meeting (AMIM) met.",
            "The Joint Working Group (JWG) met.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}: {f:#?}");
        }
    }
}
