//! `inconsistent-expansion`: one acronym spelled out in different ways in one article.

use crate::Map;
use std::borrow::Cow;
use std::collections::hash_map::Entry;

use super::prose::LineNumbers;
use super::{
    Context, Edit, Fix, Raw, RuleInfo, Shared, long_form_key, short_key, spelled_out_here,
};
use crate::config::Level;
use crate::lexicon::push_decimal;
use crate::matcher::Definition;
use crate::normalize::{Fold, normalized_string};

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

pub fn check(ctx: &Context, shared: &Shared) -> Vec<Raw> {
    let definitions = &ctx.analysis.definitions;
    let keys = shared.definition_keys(ctx);
    let mut out = Vec::new();
    for (i, d) in definitions.iter().enumerate() {
        // A long form that no definition before had, but the acronym's first one.
        let first = keys.first_of_acronym(i);
        if keys.first_of_form(i) == i && first != i {
            out.push(report(ctx, &shared.lines, &definitions[first], d));
        }
    }
    out
}

/// For each definition of a document, the first definition of the same acronym, and the first
/// of the same acronym with the same long form (told apart as [`short_key`] and
/// [`long_form_key`] tell them), by their indices in the document's definitions. This rule
/// reads all definitions and `doubled-definition` those of the body, in the same classes:
/// worked out once, in [`Shared`].
pub(super) struct DefinitionKeys {
    /// By definition, the index of the first definition of its acronym.
    acronym: Vec<usize>,
    /// By definition, the index of the first definition of its acronym and long form.
    form: Vec<usize>,
}

impl DefinitionKeys {
    pub(super) fn new(text: &str, definitions: &[Definition]) -> DefinitionKeys {
        // For each acronym: its first definition and the long forms seen so far.
        let mut seen: ByAcronym<(usize, LongForms)> = ByAcronym::with_capacity(definitions.len());
        let mut acronym = Vec::with_capacity(definitions.len());
        let mut form = Vec::with_capacity(definitions.len());
        for (i, d) in definitions.iter().enumerate() {
            let (first, forms) = seen.get(d, || (i, LongForms::new(text)));
            acronym.push(*first);
            form.push(forms.first_like(d, i).unwrap_or(i));
        }
        DefinitionKeys { acronym, form }
    }

    /// The index of the first definition of the acronym that definition `i` spells out.
    pub(super) fn first_of_acronym(&self, i: usize) -> usize {
        self.acronym[i]
    }

    /// The index of the first definition that spells out the acronym of definition `i` with
    /// the same long form: `i` when no definition before did.
    pub(super) fn first_of_form(&self, i: usize) -> usize {
        self.form[i]
    }
}

/// A `T` for each acronym that definitions spell out, the acronyms told apart as
/// [`short_key`] tells them.
///
/// An article spells most acronyms the same way every time: an acronym's key is computed
/// once for each way it is written, the others found by the acronym as written. Both are
/// looked up in hash maps, so a glossary of thousands of acronyms stays linear. An acronym of
/// ASCII letters and digits (most of them) is its own key: it is looked up as it is, without
/// normalising or copying it.
struct ByAcronym<'a, T> {
    /// Each acronym as written that is not its own key, with the index of its key's value in
    /// `values`.
    written: Map<&'a str, usize>,
    /// Each key, with the index of its value.
    keys: Map<Cow<'a, str>, usize>,
    values: Vec<T>,
}

impl<'a, T> ByAcronym<'a, T> {
    /// Room for `n` acronyms without growing: as many as there are definitions at most. The
    /// values are large (two maps each), and growing their list one doubling at a time
    /// copied them again and again.
    fn with_capacity(n: usize) -> Self {
        ByAcronym {
            written: Map::default(),
            keys: Map::with_capacity_and_hasher(n, Default::default()),
            values: Vec::with_capacity(n),
        }
    }

    /// The value of the acronym `d` spells out, made by `new` when no definition before
    /// spelled it out.
    fn get(&mut self, d: &'a Definition, new: impl FnOnce() -> T) -> &mut T {
        let short = d.short_text.as_str();
        let own_key = is_own_short_key(short);
        let key = if own_key {
            Cow::Borrowed(short)
        } else if let Some(&i) = self.written.get(short) {
            return &mut self.values[i];
        } else {
            Cow::Owned(short_key(d))
        };
        let i = *self.keys.entry(key).or_insert_with(|| {
            self.values.push(new());
            self.values.len() - 1
        });
        if !own_key {
            self.written.insert(short, i);
        }
        &mut self.values[i]
    }
}

/// Whether an acronym is its own [`short_key`]: ASCII letters and digits, perhaps joined by
/// single hyphens (`AMIM-17`), which the normalisation keeps as they are (it rewrites
/// whitespace, what is around `-`, `/` and `'`, and characters that are not ASCII).
///
/// Read byte by byte: every definition's acronym is asked about.
pub(super) fn is_own_short_key(short: &str) -> bool {
    // Whether the bytes read end a part: a `-` is allowed only after one.
    let mut in_part = false;
    for &b in short.as_bytes() {
        if b.is_ascii_alphanumeric() {
            in_part = true;
        } else if b == b'-' && in_part {
            in_part = false;
        } else {
            return false;
        }
    }
    in_part
}

/// The long forms that one acronym was spelled out with, told apart as [`long_form_key`]
/// tells them: for a definition, the first one before it whose long form has the same key.
///
/// Each long form is kept once as written, with the first definition of its key: a long form
/// written as an earlier one has its key, found without computing it (an article spells most
/// acronyms out once, or the same way each time). Keys are computed only once a second long
/// form is written: an acronym spelled out one way needs none, nor any map. Definitions are
/// known by their indices in the document's definitions.
struct LongForms<'a> {
    text: &'a str,
    /// The first long form as written, with its definition.
    first: Option<(&'a str, usize)>,
    /// Each other long form as written, with the first definition whose long form has its key.
    written: Map<&'a str, usize>,
    /// Each key, with the first definition whose long form has it; empty until a second long
    /// form is written.
    keys: Map<String, usize>,
}

impl<'a> LongForms<'a> {
    fn new(text: &'a str) -> LongForms<'a> {
        LongForms {
            text,
            first: None,
            written: Map::default(),
            keys: Map::default(),
        }
    }

    /// The first definition seen whose long form has the key of `d`'s, if any; `d`, the
    /// definition at index `i`, is seen from then on.
    fn first_like(&mut self, d: &Definition, i: usize) -> Option<usize> {
        let long = &self.text[d.long.clone()];
        let Some((first_long, first_definition)) = self.first else {
            self.first = Some((long, i));
            return None;
        };
        if long == first_long {
            return Some(first_definition);
        }
        if let Some(&first) = self.written.get(long) {
            return Some(first);
        }
        if self.keys.is_empty() {
            // The second long form: the first one's key is needed now.
            let key = normalized_string(first_long, Fold::Case);
            self.keys.insert(key, first_definition);
        }
        let first = match self.keys.entry(long_form_key(self.text, d)) {
            Entry::Occupied(o) => Some(*o.get()),
            Entry::Vacant(v) => {
                v.insert(i);
                None
            }
        };
        self.written.insert(long, first.unwrap_or(i));
        first
    }
}

fn report(ctx: &Context, lines: &LineNumbers, first: &Definition, d: &Definition) -> Raw {
    let first_long = &ctx.text[first.long.clone()];
    let long = &ctx.text[d.long.clone()];
    // "`{short}` is spelled out as `{long}` here but as `{first_long}` on line {line}",
    // written piece by piece: a `format!` cost several times as much, and a large run
    // reports thousands of these.
    let pieces = [
        "`",
        &d.short_text,
        "` is spelled out as `",
        long,
        "` here but as `",
        first_long,
        "` on line ",
    ];
    let mut message = String::with_capacity(pieces.iter().map(|p| p.len()).sum::<usize>() + 8);
    for piece in pieces {
        message.push_str(piece);
    }
    push_decimal(&mut message, lines.of(first.long.start) as u64);
    Raw {
        span: d.long.clone(),
        message,
        fixes: vec![Fix {
            title: ["Replace with ", first_long].concat(),
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
pub(super) mod tests {
    use std::collections::hash_map::Entry;
    use std::collections::{HashMap, HashSet};
    use std::ops::Range;

    use super::*;
    use crate::config::Config;
    use crate::rules::test_support::{engine, fixed, run};

    /// [`check`] as it was before [`LongForms`]: every long form's key computed. The
    /// reference the tests compare with.
    fn check_reference(ctx: &Context) -> Vec<Raw> {
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

    /// Definitions whose long forms, and acronyms, are written in ways the normalisation
    /// tells apart or not: in case, spacing, around `/`, in Unicode form (`Ð` for `Đ`); of
    /// the same length or not.
    const DEFINITIONS: &[&str] = &[
        "ASEAN Military Intelligence Community (AMIC)",
        "ASEAN Military Intelligence Committee (AMIC)",
        "ASEAN military intelligence community (AMIC)",
        "ASEAN Military  Intelligence Community (AMIC)",
        "ASEAN Military\u{A0}Intelligence Community (AMIC)",
        "ASEAN Military/Defense Intelligence Community (AMIC)",
        "ASEAN Military / Defense Intelligence Community (AMIC)",
        "ASEAN Military Intelligence Community (AMIM)",
        "ASEAN Military Intelligence Meeting (AMIM)",
        "ASEAN Military Intelligence Meeting (AMIM-17)",
        "ASEAN Military Intelligence Meetings (AMIM-17)",
        "Hội nghị những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN (AMIM)",
        "Hội nghị những người đứng đầu tình báo quân sự / quốc phòng các nước ASEAN (AMIM)",
        "Ho\u{302}\u{323}i nghị những người đứng đầu tình báo quân sự/quốc phòng các nước ASEAN (AMIM)",
        "Cộng đồng Tình báo Quân sự ASEAN (AMIC)",
        "Joint Working Group (JWG)",
        "Joint Working Groups (JWG)",
        "joint working group (JWG)",
        "Đại học Quốc gia (ĐHQG)",
        "Đại học Quốc gia (ÐHQG)",
        "Đại học Quốc Gia (ÐHQG)",
        "Đại học Quốc Giao (ÐHQG)",
    ];

    /// A text of definitions, each of [`DEFINITIONS`] in a sentence of its own or a headline.
    pub(crate) fn definitions_text(picks: &[(usize, bool)]) -> String {
        let mut text = String::new();
        for &(pick, headline) in picks {
            let definition = DEFINITIONS[pick % DEFINITIONS.len()];
            if headline {
                text.push_str(&format!("{definition}\n\n"));
            } else {
                text.push_str(&format!("The {definition} met. "));
            }
        }
        text
    }

    /// The strategy of [`definitions_text`]'s picks.
    pub(crate) fn picks() -> impl proptest::strategy::Strategy<Value = Vec<(usize, bool)>> {
        proptest::collection::vec((0usize..100, proptest::bool::weighted(0.2)), 0..12)
    }

    /// What a test compares of a finding: its span, message, fixes and related places.
    pub(crate) type Seen = (Range<usize>, String, Vec<Fix>, Vec<(Range<usize>, String)>);

    /// The findings as tests compare them.
    pub(crate) fn seen(raw: Vec<Raw>) -> Vec<Seen> {
        raw.into_iter()
            .map(|r| (r.span, r.message, r.fixes, r.related))
            .collect()
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

    /// [`is_own_short_key`] as it was before it read bytes: the parts between hyphens.
    fn is_own_short_key_reference(short: &str) -> bool {
        short
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000, failure_persistence: None, ..Default::default()
        })]

        #[test]
        fn own_short_keys_are_told_as_by_their_parts(short in "([A-Za-z0-9]|-|é|/){0,8}") {
            proptest::prop_assert_eq!(is_own_short_key(&short), is_own_short_key_reference(&short));
        }

        /// An acronym taken for its own key is its key.
        #[test]
        fn own_short_keys_are_keys(
            head in "[A-Za-z0-9-]{0,8}",
            tail in "([-/' &.]|\u{A0}|\u{AD}|\u{200B}|\u{2010}|\u{2013}|Đ|Ð|é|e\u{301}|ß|İ){0,2}",
            end in "[A-Z0-9-]{0,2}",
        ) {
            let short = format!("{head}{tail}{end}");
            if is_own_short_key(&short) {
                proptest::prop_assert_eq!(normalized_string(&short, Fold::None), short);
            }
        }
    }

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
