//! `expansion-mismatch`: `Long Form (ACR)` whose long form is not a name of ACR.

use crate::Map;
use std::sync::{Arc, Mutex, PoisonError};

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use smallvec::{SmallVec, smallvec};

use super::prose::is_word_char;
use super::{Context, Edit, Fix, PerLexicon, Raw, RuleInfo, Shared, family};
use crate::analysis::Engine;
use crate::config::Level;
use crate::lexicon::{EntityRef, Kind, Lang, Lexicon, Record, RecordId};
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

pub fn check(ctx: &Context, _: &Shared) -> Vec<Raw> {
    check_with(ctx, &family_keys(ctx.engine))
}

/// [`check`], with the run's [`FamilyKeys`].
fn check_with(ctx: &Context, keys: &FamilyKeys) -> Vec<Raw> {
    let lx = ctx.engine.lexicon();
    let mut out = Vec::new();
    for d in &ctx.analysis.definitions {
        if !d.contradicts(lx) {
            continue;
        }
        // What was answered for the long form and its acronym's records before, in this
        // article or another: articles define the same acronyms the same way again and
        // again, and each answer costs a normalisation and searches.
        let long = &ctx.text[d.long.clone()];
        let candidates = d.short_candidates.as_slice();
        let known = keys.known(long, candidates);
        // A variant spelling is no finding. Reading the record's names is cheaper than
        // looking for a name at the end of the long form, so it comes first.
        if d.long_entity.is_none() {
            let variant = known[VARIANT].unwrap_or_else(|| {
                let answer = is_variant(lx, keys, long, candidates);
                keys.remember(long, candidates, VARIANT, answer);
                answer
            });
            if variant {
                continue;
            }
        }
        let slot = ends_slot(ctx.lang());
        let ends_with_name = known[slot].unwrap_or_else(|| {
            let answer = ends_with_a_name(ctx, keys, d);
            keys.remember(long, candidates, slot, answer);
            answer
        });
        if !ends_with_name {
            out.push(mismatch(ctx, d));
        }
    }
    out
}

/// The answers [`FamilyKeys`] keeps for a long form and its acronym's records: whether it
/// is a variant ([`is_variant`]), and whether it ends with a name ([`ends_with_a_name`])
/// when the article is in English or in Vietnamese (the matcher reads a text in its
/// language). None until asked.
type Answers = [Option<bool>; 3];

/// The [`Answers`] for one long form, by its acronym's records.
type AnswersByRecords = Vec<(Box<[RecordId]>, Answers)>;

/// Where [`Answers`] keeps [`is_variant`]'s answer.
const VARIANT: usize = 0;

/// Where [`Answers`] keeps [`ends_with_a_name`]'s answer for an article in `lang`.
fn ends_slot(lang: Lang) -> usize {
    match lang {
        Lang::En => 1,
        Lang::Vi => 2,
    }
}

/// How many long forms [`FamilyKeys`] keeps answers for at most: enough for the ways a
/// corpus spells out its acronyms, few enough to bound the memory they take in a run over
/// text that spells out a new one in every article.
const MAX_LONG_FORMS: usize = 1 << 14;

/// The finding for a definition that contradicts the lexicon and is no variant spelling.
fn mismatch(ctx: &Context, d: &Definition) -> Raw {
    let lx = ctx.engine.lexicon();
    let long = &ctx.text[d.long.clone()];
    let short = &ctx.text[d.short.clone()];
    let meant = meant(d);
    let lang = ctx.lang();
    // Each label is made once: the English ones name what the acronym stands for in the
    // message, and all of them are the fixes' names.
    let labels: Vec<[String; 2]> = meant
        .iter()
        .map(|&e| [lx.label(e, Lang::En), lx.label(e, Lang::Vi)])
        .collect();
    // The message is written piece by piece: `format!` cost several times as much.
    // "`{long}` is the {kind} {name}, but `{short}` stands for {meaning}" or
    // "`{long}` does not match `{short}` ({meaning})", the meaning the English labels
    // joined by " or ".
    let mut message = String::with_capacity(2 * long.len() + short.len() + 80);
    message.push('`');
    message.push_str(long);
    match d.long_entity {
        Some(other) => {
            message.push_str("` is the ");
            message.push_str(lx.record(other.record).kind.label(Lang::En));
            message.push(' ');
            message.push_str(&lx.label(other, Lang::En));
            message.push_str(", but `");
            message.push_str(short);
            message.push_str("` stands for ");
            push_meaning(&mut message, &labels);
        }
        None => {
            message.push_str("` does not match `");
            message.push_str(short);
            message.push_str("` (");
            push_meaning(&mut message, &labels);
            message.push(')');
        }
    }
    Raw {
        span: d.long.clone(),
        message,
        fixes: suggestions(labels, lang)
            .into_iter()
            .map(|name| Fix {
                title: ["Replace with ", &name].concat(),
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

/// Appends the English labels (the first of each pair) joined by ` or ` to `out`.
fn push_meaning(out: &mut String, labels: &[[String; 2]]) {
    for (i, [en, _]) in labels.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(en);
    }
}

/// Whether the long form ends with a name of what the acronym stands for, inside a longer
/// name: in `Joint Statement of the 20th ASEAN Chiefs of Defence Forces Meeting (ACDFM-20)`
/// the acronym names the meeting, not the statement. That is, whether the matcher finds a
/// mention of the acronym's family (see [`family`]) that covers a whole tail of the long form
/// (from a word start after its first word to its end).
///
/// Matching every tail costs a search per word, and most long forms have no such tail. A
/// tail's mention matches one of the family's keys ([`FamilyKeys`]) in the tail's normalised
/// view, which is the end of the view of the first tail (see [`tails`]): when none of the
/// keys is in that view, no tail is matched at all.
fn ends_with_a_name(ctx: &Context, keys: &FamilyKeys, d: &Definition) -> bool {
    let lx = ctx.engine.lexicon();
    let long = &ctx.text[d.long.clone()];
    let families: SmallVec<[RecordId; 4]> =
        d.short_candidates.iter().map(|&c| family(lx, c)).collect();
    let mut tails = tails(long).peekable();
    let Some(&first) = tails.peek() else {
        return false;
    };
    let view = normalized_string(first, Fold::Case);
    if !families.iter().any(|&f| keys.may_name(lx, f, &view)) {
        return false;
    }
    tails.any(|tail| {
        ctx.engine
            .matcher()
            .find(lx, tail, Some(ctx.lang()))
            .iter()
            .any(|m| m.span == (0..tail.len()) && families.contains(&family(lx, m.entity.record)))
    })
}

/// The tails of a long form whose ends [`ends_with_a_name`] reads, longest first: from each
/// character that follows whitespace and is not whitespace.
///
/// The normalised view of a tail, but for a space it may start with, is the end of the view
/// of any longer tail (tested below). The view is written from left to right, each character
/// looking only at those after it, and the one thing a tail's view takes from what comes
/// before it is whether a space is written before its first character that is neither
/// whitespace nor invisible: the longer tail writes one for the whitespace before the tail,
/// unless `-` or `/` is next to it; the tail alone, when whitespace comes before that
/// character in the tail. A key (see [`FamilyKeys`]) has no space at either end, so a key in
/// a tail's view is in the view of the first tail.
fn tails(long: &str) -> impl Iterator<Item = &str> {
    long.char_indices()
        .zip(long.chars().skip(1))
        .filter(|&((_, c), next)| c.is_whitespace() && !next.is_whitespace())
        .map(move |((i, c), _)| &long[i + c.len_utf8()..])
}

/// What may name each family: the keys of the matcher's patterns (names, acronyms and
/// aliases, normalised and case-folded) that can give a mention of a record of the family, in
/// one automaton per family, built the first time it is asked for.
#[derive(Default)]
struct FamilyKeys {
    /// By family; none for a family without keys. An automaton is cheap to clone.
    automata: Mutex<Map<RecordId, Option<AhoCorasick>>>,
    /// Names that are not printable ASCII, by their normalised and case-folded text (see
    /// [`for_each_word`]): [`is_variant`] reads the same few names for many long forms, and
    /// normalising a Vietnamese name costs more than finding it here.
    names: Mutex<Map<String, Arc<str>>>,
    /// The [`Answers`] for each long form as written (up to [`MAX_LONG_FORMS`] of them),
    /// with its acronym's records: most long forms go with one acronym.
    answers: Mutex<Map<Box<str>, AnswersByRecords>>,
}

impl FamilyKeys {
    /// Whether `view`, a normalised and case-folded text, holds a key of `family`. A mention
    /// of the family in a text is a match of one of these keys in the text's view, so none is
    /// found in a text without one.
    fn may_name(&self, lx: &Lexicon, family: RecordId, view: &str) -> bool {
        let automaton = {
            let mut automata = self.automata.lock().unwrap_or_else(PoisonError::into_inner);
            automata
                .entry(family)
                .or_insert_with(|| family_automaton(lx, family))
                .clone()
        };
        automaton.is_some_and(|a| a.is_match(view))
    }

    /// What was answered for `long` spelling out an acronym of `candidates`.
    fn known(&self, long: &str, candidates: &[RecordId]) -> Answers {
        let answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        answers
            .get(long)
            .and_then(|all| all.iter().find(|(c, _)| **c == *candidates))
            .map_or([None; 3], |&(_, known)| known)
    }

    /// Keeps `answer` in `slot` of the [`Answers`] for `long` and `candidates`, unless
    /// [`MAX_LONG_FORMS`] other long forms have answers.
    fn remember(&self, long: &str, candidates: &[RecordId], slot: usize, answer: bool) {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if !answers.contains_key(long) {
            if answers.len() >= MAX_LONG_FORMS {
                return;
            }
            answers.insert(long.into(), Vec::new());
        }
        let all = answers.get_mut(long).expect("inserted if missing");
        let i = match all.iter().position(|(c, _)| **c == *candidates) {
            Some(i) => i,
            None => {
                all.push((candidates.into(), [None; 3]));
                all.len() - 1
            }
        };
        all[i].1[slot] = Some(answer);
    }

    /// `normalized_string(name, Fold::Case)`, made once for the run.
    fn normalized_name(&self, name: &str) -> Arc<str> {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(norm) = names.get(name) {
            return norm.clone();
        }
        let norm: Arc<str> = normalized_string(name, Fold::Case).into();
        names.insert(name.to_owned(), norm.clone());
        norm
    }
}

/// The automaton over the keys of `family` (none when it has none).
fn family_automaton(lx: &Lexicon, family: RecordId) -> Option<AhoCorasick> {
    let keys: Vec<String> = records_naming(lx, family)
        .flat_map(|id| matcher_texts(lx.record(id)))
        .map(|text| normalized_string(&text, Fold::Case))
        .filter(|key| !key.is_empty())
        .collect();
    if keys.is_empty() {
        return None;
    }
    // The automaton is searched once per long form, a few dozen bytes: the kind quickest to
    // build is the one to use.
    let automaton = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .build(&keys)
        .expect("lexicon keys fit an automaton");
    Some(automaton)
}

/// The records through whose patterns the matcher can find a mention of `family`: the
/// records of the family, and the series with an edition in it (a series' pattern followed
/// by an edition number is a mention of the edition's record).
fn records_naming(lx: &Lexicon, target: RecordId) -> impl Iterator<Item = RecordId> + '_ {
    let ids = (0..lx.records().len()).map(|i| RecordId(i as u32));
    let series_of_editions = ids.clone().filter_map(move |id| {
        let facts = &lx.record(id).facts;
        let (series, n) = (facts.series?, facts.edition?);
        (family(lx, id) == target && lx.edition(series, n) == Some(id)).then_some(series)
    });
    ids.filter(move |&id| family(lx, id) == target)
        .chain(series_of_editions)
}

/// Every text of a record that the matcher makes a pattern of (see `Matcher::new`): names,
/// acronyms, aliases, edition aliases, the meeting's number, misspellings, the phrases the
/// record's aliases are not mentions inside, and names without diacritics.
fn matcher_texts(r: &Record) -> impl Iterator<Item = String> + '_ {
    let names = [&r.name.en, &r.name.vi].into_iter().flatten();
    let aliases = r.aliases.iter().chain(&r.edition_aliases).map(|a| &a.text);
    names
        .chain(&r.acronyms)
        .chain(aliases)
        .chain(&r.facts.number)
        .chain(&r.misspellings)
        .chain(&r.not_in)
        .cloned()
        .chain(crate::lexicon::folded_forms(r))
}

/// The [`FamilyKeys`] of the engine's lexicon, kept for the run (a lint run checks thousands
/// of articles with one engine).
fn family_keys(engine: &Engine) -> Arc<FamilyKeys> {
    static KEYS: PerLexicon<FamilyKeys> = PerLexicon::new();
    KEYS.get(engine, |_| FamilyKeys::default())
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

/// The names to suggest from the English and Vietnamese labels of what the acronym stands
/// for, the document's language first, without repeats (a few names: a list is searched
/// faster than a set is built).
fn suggestions(labels: Vec<[String; 2]>, lang: Lang) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(labels.len() * 2);
    for [en, vi] in labels {
        let pair = match lang {
            Lang::En => [en, vi],
            Lang::Vi => [vi, en],
        };
        for name in pair {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Whether an unknown long form is a variant spelling of a name of `records` (and of their
/// series for meetings): whether at least [`VARIANT_COVERAGE`] of its content words (all
/// when it has none) appear in those names and aliases.
///
/// The names are read one at a time, and reading stops once enough words were found. A name
/// needs no filtering of its words: a long form's content word equals only a word that is
/// one too.
fn is_variant(lx: &Lexicon, keys: &FamilyKeys, long: &str, records: &[RecordId]) -> bool {
    // The words borrow the normalised long form, and few enough are kept on the stack.
    let norm = normalized_string(long, Fold::Case);
    let words: SmallVec<[&str; 16]> = content_words_in(&norm).collect();
    let mut found: SmallVec<[bool; 16]> = smallvec![false; words.len()];
    let mut count = 0;
    let enough =
        |count: usize| words.is_empty() || coverage(count, words.len()) >= VARIANT_COVERAGE;
    for name in names_of(lx, records) {
        if enough(count) {
            return true;
        }
        for_each_word(keys, name, |word| {
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

/// A word of a name, as [`content_words_in`] reads names: normalised and lower-cased.
enum Word<'a> {
    /// Printable ASCII, which normalising only lower-cases: compared without a copy.
    Ascii(&'a [u8]),
    Normalised(&'a str),
}

impl Word<'_> {
    /// Whether this is `w`, a normalised lower-cased word.
    fn is(&self, w: &str) -> bool {
        match *self {
            Word::Ascii(x) => {
                x.len() == w.len()
                    && x.iter()
                        .zip(w.bytes())
                        .all(|(a, b)| a.to_ascii_lowercase() == b)
            }
            Word::Normalised(x) => x == w,
        }
    }
}

/// Calls `f` with every word of `name`, normalised and lower-cased, without filtering. Most
/// names are printable ASCII, which normalising leaves as it is but for case and spaces:
/// those are read byte by byte without normalising (checked against it by a test).
fn for_each_word(keys: &FamilyKeys, name: &str, mut f: impl FnMut(Word)) {
    if name.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        for w in name.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
            if !w.is_empty() {
                f(Word::Ascii(w));
            }
        }
        return;
    }
    let norm = keys.normalized_name(name);
    for w in norm.split(|c: char| !is_word_char(c)) {
        if !w.is_empty() {
            f(Word::Normalised(w));
        }
    }
}

const STOP_WORDS: [&str; 26] = [
    "the", "of", "on", "for", "and", "in", "at", "to", "a", "an", "s", "first", "second", "third",
    "các", "của", "và", "về", "cho", "với", "lần", "thứ", "nhất", "những", "tại", "nước",
];

/// The words of `norm`, a normalised and lower-cased text, without numbers, ordinals and
/// function words.
fn content_words_in(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
}

/// Lower-cased, normalised words without numbers, ordinals and function words.
#[cfg(test)]
fn content_words(s: &str) -> Vec<String> {
    content_words_in(&normalized_string(s, Fold::Case))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::ops::Range;

    use super::*;
    use crate::normalize::normalize;
    use crate::rules::test_support::{fixed, run};

    proptest::proptest! {
        #[test]
        fn printable_ascii_names_read_as_normalised(name in "[ -~]{0,40}") {
            let mut read = Vec::new();
            for_each_word(&FamilyKeys::default(), &name, |w| {
                read.push(match w {
                    Word::Ascii(x) => String::from_utf8(x.to_ascii_lowercase()).unwrap(),
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

    /// [`ends_with_a_name`] as it was before the family keys ruled long forms out: the
    /// matcher on every tail. The reference the tests compare with.
    fn ends_with_a_name_reference(ctx: &Context, d: &Definition) -> bool {
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
                .any(|m| {
                    m.span == (0..tail.len()) && families.contains(&family(lx, m.entity.record))
                })
        })
    }

    /// Both answers for `long` spelling out an acronym of `candidates`.
    fn both_answers(engine: &Engine, long: &str, candidates: &[RecordId]) -> (bool, bool) {
        let analysis = engine.analyze(long);
        let config = crate::config::Config::default();
        let ctx = Context {
            engine,
            text: long,
            analysis: &analysis,
            config: &config,
            path: None,
        };
        let d = Definition {
            short: long.len()..long.len(),
            short_text: String::new(),
            long: 0..long.len(),
            long_entity: None,
            short_entity: None,
            short_candidates: candidates.into(),
            short_first: false,
        };
        (
            ends_with_a_name(&ctx, &family_keys(engine), &d),
            ends_with_a_name_reference(&ctx, &d),
        )
    }

    /// The records a long form's tails mention (whose families make interesting
    /// candidates: the answer may be yes), and one more record.
    fn candidates_for(engine: &Engine, long: &str, other: usize) -> Vec<RecordId> {
        let lx = engine.lexicon();
        let mut out: Vec<RecordId> = tails(long)
            .flat_map(|t| engine.matcher().find(lx, t, None))
            .map(|m| m.entity.record)
            .collect();
        out.push(RecordId((other % lx.records().len()) as u32));
        out.dedup();
        out
    }

    /// Words of the embedded lexicon's names and aliases, with ordinals, edition words and
    /// the characters the normalisation rewrites: what long forms are made of.
    fn vocabulary() -> Vec<String> {
        let engine = Engine::embedded();
        let lx = engine.lexicon();
        let mut words: Vec<String> = lx
            .records()
            .iter()
            .flat_map(|r| {
                let names = [&r.name.en, &r.name.vi].into_iter().flatten();
                names
                    .chain(&r.acronyms)
                    .chain(r.aliases.iter().map(|a| &a.text))
                    .flat_map(|n| n.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            })
            .collect();
        words.sort();
        words.dedup();
        words.extend(
            [
                "20th",
                "first",
                "17",
                "-17",
                "lần",
                "thứ",
                "nhất",
                "XIII",
                "khóa",
                "(",
                ")",
                "/",
                "-",
                "\u{2013}",
                "\u{AD}",
                "\u{200B}",
                "Hoà",
                "hòa",
                "s",
                "Joint",
                "Statement",
                "of",
                "the",
            ]
            .map(String::from),
        );
        words
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 300, failure_persistence: None, ..Default::default()
        })]

        /// The family keys rule out only long forms the matcher finds no tail of.
        #[test]
        fn ends_with_a_name_answers_as_the_matcher_on_every_tail(
            picks in proptest::collection::vec((0usize..100_000, 0usize..6), 1..9),
            other in 0usize..1000,
        ) {
            let vocabulary = vocabulary();
            let spaces = [" ", " ", " ", "  ", "\u{A0}", "\n", " \u{200B}"];
            let mut long = String::new();
            for (i, &(w, sp)) in picks.iter().enumerate() {
                if i > 0 {
                    long.push_str(spaces[sp % spaces.len()]);
                }
                long.push_str(&vocabulary[w % vocabulary.len()]);
            }
            let engine = Engine::embedded();
            let candidates = candidates_for(&engine, &long, other);
            let (new, old) = both_answers(&engine, &long, &candidates);
            proptest::prop_assert_eq!(new, old, "{:?} for {:?}", long, candidates);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 5000, failure_persistence: None, ..Default::default()
        })]

        /// What [`ends_with_a_name`] rests on: the view of a tail, but for a space at its
        /// start, is the end of the view of the first tail.
        #[test]
        fn a_tail_views_as_the_end_of_the_first_tail(
            long in "([ -~]|[\t\n\u{A0}\u{2003}]|[ÀĐđƠơẠắỹÐðİòÒóọụỤùyYaAeEoOuU×÷ẞßΣ]|\u{300}|\u{301}|\u{323}|\u{AD}|\u{200B}|\u{FEFF}|\u{2013}|\u{2019}|\u{2044}|\u{212A}){0,40}"
        ) {
            let mut tails = tails(&long);
            if let Some(first) = tails.next() {
                let first_view = normalize(first, Fold::Case);
                // What the rule searches for keys.
                let searched = normalized_string(first, Fold::Case);
                for tail in tails {
                    // What the matcher searches for keys in the tail.
                    let view = normalize(tail, Fold::Case);
                    proptest::prop_assert!(
                        first_view.as_str().ends_with(view.as_str().trim_start_matches(' ')),
                        "{:?} in {:?}: {:?}, {:?}", tail, first, view.as_str(), first_view.as_str()
                    );
                    // A key, which has no space at either end, found in the tail's view is
                    // found in what the rule searches.
                    proptest::prop_assert!(
                        searched.contains(view.as_str().trim_matches(' ')),
                        "{:?} in {:?}: {:?}, {:?}", tail, first, view.as_str(), searched
                    );
                }
            }
        }
    }

    /// The family keys of a mention are in the view of every text of the lexicon it is found
    /// in, with an edition number before or after it: they leave out no pattern of the
    /// matcher.
    #[test]
    fn a_mention_is_found_only_where_its_family_has_a_key() {
        for engine in [Engine::embedded(), crate::rules::test_support::engine()] {
            let lx = engine.lexicon();
            let keys = family_keys(&engine);
            let mut mentions = 0;
            for r in lx.records() {
                // Every text of the record, written out here rather than taken from
                // `matcher_texts`, which this checks, and without its diacritics.
                let names = [&r.name.en, &r.name.vi, &r.description.en, &r.description.vi];
                let aliases = r.aliases.iter().chain(&r.edition_aliases).map(|a| &a.text);
                let texts: Vec<&String> = names
                    .into_iter()
                    .flatten()
                    .chain(&r.acronyms)
                    .chain(aliases)
                    .chain(&r.facts.number)
                    .chain(&r.misspellings)
                    .chain(&r.not_in)
                    .chain(&r.ambiguous)
                    .collect();
                let bare = texts.iter().map(|t| crate::normalize::strip_diacritics(t));
                for text in texts.iter().map(|t| t.to_string()).chain(bare) {
                    for t in [
                        text.clone(),
                        format!("20th {text}"),
                        format!("{text}-17"),
                        format!("{text} lần thứ 17"),
                        format!("{text} khóa XIII"),
                        format!("{}s", text),
                    ] {
                        let view = normalized_string(&t, Fold::Case);
                        for lang in [Lang::En, Lang::Vi] {
                            for m in engine.matcher().find(lx, &t, Some(lang)) {
                                mentions += 1;
                                let f = family(lx, m.entity.record);
                                assert!(keys.may_name(lx, f, &view), "{t:?}: {m:?}");
                            }
                        }
                    }
                }
            }
            assert!(mentions > 1000, "{mentions} mentions");
        }
    }

    #[test]
    fn the_names_of_the_lexicon_end_long_forms_as_the_matcher_finds() {
        let engine = Engine::embedded();
        let lx = engine.lexicon();
        let (mut yes, mut no) = (0, 0);
        for (i, r) in lx.records().iter().enumerate() {
            for name in [&r.name.en, &r.name.vi].into_iter().flatten() {
                for long in [
                    format!("Joint Statement of the {name}"),
                    format!("the 20th {name}"),
                    format!("Tuyên bố chung {name} lần thứ 17"),
                    format!("{name} Maritime Initiative"),
                ] {
                    let candidates = candidates_for(&engine, &long, i * 7);
                    let (new, old) = both_answers(&engine, &long, &candidates);
                    assert_eq!(new, old, "{long:?} for {candidates:?}");
                    if old { yes += 1 } else { no += 1 }
                }
            }
        }
        assert!(yes > 50 && no > 50, "{yes} yes, {no} no");
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
                assert_eq!(
                    is_variant(lx, &FamilyKeys::default(), long, &[id]),
                    want,
                    "{long:?} for {id:?}"
                );
                if want { variants += 1 } else { others += 1 }
            }
        }
        assert!(
            variants > 20 && others > 20,
            "{variants} variants, {others} others"
        );
    }

    /// Articles that spell out acronyms of the embedded lexicon with their own names, the
    /// names of other records, their words and others, in English and in Vietnamese: the
    /// answers kept from article to article give the findings each article gives alone.
    #[test]
    fn answers_kept_for_the_run_are_those_made_for_each_article() {
        let engine = Engine::embedded();
        let lx = engine.lexicon();
        let records = lx.records();
        let mut texts = Vec::new();
        for (i, r) in records.iter().enumerate().step_by(9) {
            let Some(acronym) = r.acronym() else { continue };
            let other = &records[(i * 7 + 3) % records.len()];
            let names = [&r.name.en, &r.name.vi, &other.name.en, &other.name.vi];
            let mut longs: Vec<String> = names.into_iter().flatten().cloned().collect();
            if let Some(en) = &r.name.en {
                longs.push(format!("Joint Statement of the {en}"));
                longs.push(format!("{en} Maritime Initiative"));
            }
            longs.push("ASEAN Maritime Initiative Meeting".to_owned());
            for long in longs {
                texts.push(format!(
                    "The ministers met in Hanoi on Monday. The {long} ({acronym}) agreed."
                ));
                texts.push(format!(
                    "Các bộ trưởng đã họp tại Hà Nội hôm thứ Hai. {long} ({acronym}) đã nhất trí."
                ));
            }
        }
        let config = crate::config::Config::default();
        let kept = FamilyKeys::default();
        let summary = |raws: Vec<Raw>| -> Vec<(Range<usize>, String, Vec<String>)> {
            raws.into_iter()
                .map(|r| {
                    (
                        r.span,
                        r.message,
                        r.fixes.into_iter().map(|f| f.title).collect(),
                    )
                })
                .collect()
        };
        let mut findings = 0;
        // Twice: the second time, every answer is one kept.
        for text in texts.iter().chain(&texts) {
            let analysis = engine.analyze(text);
            let ctx = Context {
                engine: &engine,
                text,
                analysis: &analysis,
                config: &config,
                path: None,
            };
            let got = summary(check_with(&ctx, &kept));
            let alone = summary(check_with(&ctx, &FamilyKeys::default()));
            assert_eq!(got, alone, "{text:?}");
            findings += got.len();
        }
        assert!(findings > 20, "{findings} findings");
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
