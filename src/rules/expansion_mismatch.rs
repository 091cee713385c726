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
    // What `ends_with_a_name` answered for a long form and its acronym's records: an article
    // often defines an acronym more than once, and each answer costs a search per word.
    let mut ends: Vec<(&str, &[RecordId], bool)> = Vec::new();
    let mut out = Vec::new();
    for d in &ctx.analysis.definitions {
        if !d.contradicts(lx) {
            continue;
        }
        // A variant spelling is no finding. Reading the record's names is cheaper than
        // looking for a name at the end of the long form, so it comes first.
        let long = &ctx.text[d.long.clone()];
        if d.long_entity.is_none() && is_variant(lx, long, &d.short_candidates) {
            continue;
        }
        let candidates = d.short_candidates.as_slice();
        let ends_with_name = match ends.iter().find(|&&(l, c, _)| l == long && c == candidates) {
            Some(&(_, _, known)) => known,
            None => {
                let answer = ends_with_a_name(ctx, d);
                ends.push((long, candidates, answer));
                answer
            }
        };
        if !ends_with_name {
            out.push(mismatch(ctx, d));
        }
    }
    out
}

/// The finding for a definition that contradicts the lexicon and is no variant spelling.
fn mismatch(ctx: &Context, d: &Definition) -> Raw {
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
        None => format!("`{long}` does not match `{short}` ({meaning})"),
    };
    Raw {
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
    }
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

/// Whether an unknown long form is a variant spelling of a name of `records` (and of their
/// series for meetings): whether at least [`VARIANT_COVERAGE`] of its content words (all
/// when it has none) appear in those names and aliases.
///
/// The names are read one at a time, and reading stops once enough words were found. A name
/// needs no filtering of its words: a long form's content word equals only a word that is
/// one too.
fn is_variant(lx: &Lexicon, long: &str, records: &[RecordId]) -> bool {
    let words = content_words(long);
    let mut found = vec![false; words.len()];
    let mut count = 0;
    let enough =
        |count: usize| words.is_empty() || coverage(count, words.len()) >= VARIANT_COVERAGE;
    for name in names_of(lx, records) {
        if enough(count) {
            return true;
        }
        for_each_word(name, |word| {
            for (i, w) in words.iter().enumerate() {
                if !found[i] && word.is(w) {
                    found[i] = true;
                    count += 1;
                }
            }
        });
    }
    enough(count)
}

/// Every name and alias of `records`, and of their series for meetings.
fn names_of<'a>(lx: &'a Lexicon, records: &'a [RecordId]) -> impl Iterator<Item = &'a str> {
    records.iter().flat_map(move |&id| {
        let r = lx.record(id);
        let series = (r.kind == Kind::Meeting)
            .then_some(r.facts.series)
            .flatten()
            .map(|s| lx.record(s));
        std::iter::once(r).chain(series).flat_map(|rec| {
            [&rec.name.en, &rec.name.vi]
                .into_iter()
                .flatten()
                .chain(rec.aliases.iter().map(|a| &a.text))
                .map(String::as_str)
        })
    })
}

/// The share of a long form's content words found in the names: `found` of `words`.
fn coverage(found: usize, words: usize) -> f64 {
    found as f64 / words as f64
}

/// A word of a name, as [`content_words`] reads names: normalised and lower-cased.
enum Word<'a> {
    /// Printable ASCII, which normalising only lower-cases: compared without a copy.
    Ascii(&'a str),
    Normalised(&'a str),
}

impl Word<'_> {
    /// Whether this is `w`, a normalised lower-cased word.
    fn is(&self, w: &str) -> bool {
        match *self {
            Word::Ascii(x) => {
                x.len() == w.len()
                    && x.bytes()
                        .zip(w.bytes())
                        .all(|(a, b)| a.to_ascii_lowercase() == b)
            }
            Word::Normalised(x) => x == w,
        }
    }
}

/// Calls `f` with every word of `name`, normalised and lower-cased, without filtering. Most
/// names are printable ASCII, which normalising leaves as it is but for case and spaces:
/// those are read without normalising (checked against it by a test).
fn for_each_word(name: &str, mut f: impl FnMut(Word)) {
    if name.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        for w in name.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !w.is_empty() {
                f(Word::Ascii(w));
            }
        }
        return;
    }
    let norm = normalized_string(name, Fold::Case);
    for w in norm.split(|c: char| !is_word_char(c)) {
        if !w.is_empty() {
            f(Word::Normalised(w));
        }
    }
}

/// [`super::prose::is_word_char`], with the answer for ASCII and the Latin letters of
/// Vietnamese (U+00C0–U+024F but `×` and `÷`, U+1E00–U+1EFF) known without looking it up in
/// the Unicode tables, as the rules' tokenizer does.
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{D7}' | '\u{F7}' => false,
        '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => super::prose::is_word_char(c),
    }
}

const STOP_WORDS: [&str; 26] = [
    "the", "of", "on", "for", "and", "in", "at", "to", "a", "an", "s", "first", "second", "third",
    "các", "của", "và", "về", "cho", "với", "lần", "thứ", "nhất", "những", "tại", "nước",
];

/// Lower-cased, normalised words without numbers, ordinals and function words.
fn content_words(s: &str) -> Vec<String> {
    normalized_string(s, Fold::Case)
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::analysis::Engine;
    use crate::rules::test_support::{fixed, run};

    proptest::proptest! {
        #[test]
        fn printable_ascii_names_read_as_normalised(name in "[ -~]{0,40}") {
            let mut read = Vec::new();
            for_each_word(&name, |w| {
                read.push(match w {
                    Word::Ascii(x) => x.to_ascii_lowercase(),
                    Word::Normalised(x) => x.to_owned(),
                });
            });
            let norm = normalized_string(&name, Fold::Case);
            let want: Vec<&str> = norm
                .split(|c: char| !crate::rules::prose::is_word_char(c))
                .filter(|w| !w.is_empty())
                .collect();
            proptest::prop_assert_eq!(read, want);
        }
    }

    #[test]
    fn word_characters_are_known_without_the_tables_as_with_them() {
        for c in ('\0'..='\u{24F}').chain('\u{1E00}'..='\u{1EFF}') {
            assert_eq!(
                is_word_char(c),
                crate::rules::prose::is_word_char(c),
                "{c:?}"
            );
        }
    }

    /// The words of every name and alias of `records`, and of their series for meetings, as
    /// a set: what [`is_variant`] is checked against.
    fn words_of_records(lx: &Lexicon, records: &[RecordId]) -> HashSet<String> {
        names_of(lx, records).flat_map(content_words).collect()
    }

    #[test]
    fn a_variant_is_a_long_form_most_of_whose_words_the_names_have() {
        let engine = Engine::embedded();
        let lx = engine.lexicon();
        let records: Vec<RecordId> = (0..lx.records().len())
            .map(|i| RecordId(i as u32))
            .collect();
        // Long forms: the records' names, with words added or changed, each checked against
        // one record in thirteen.
        let mut longs: Vec<String> = Vec::new();
        for &id in &records {
            let r = lx.record(id);
            for n in [&r.name.en, &r.name.vi].into_iter().flatten() {
                longs.push(n.clone());
                longs.push(format!("{n} Maritime Initiative"));
                longs.push(n.replacen(' ', " Hội nghị ", 1));
                longs.push(n.to_uppercase());
            }
        }
        longs.extend(["", "the of 17th", "ASEAN Maritime Initiative Meeting"].map(String::from));
        let (mut variants, mut others) = (0, 0);
        for (i, &id) in records.iter().enumerate() {
            let known = words_of_records(lx, &[id]);
            for long in longs.iter().skip(i % 13).step_by(13) {
                let words = content_words(long);
                let share = if words.is_empty() {
                    1.0
                } else {
                    words.iter().filter(|w| known.contains(*w)).count() as f64 / words.len() as f64
                };
                let want = share >= VARIANT_COVERAGE;
                assert_eq!(is_variant(lx, long, &[id]), want, "{long:?} for {id:?}");
                if want { variants += 1 } else { others += 1 }
            }
        }
        assert!(
            variants > 20 && others > 20,
            "{variants} variants, {others} others"
        );
    }

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
