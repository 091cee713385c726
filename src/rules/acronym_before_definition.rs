//! `acronym-before-definition`: an acronym used before it is spelled out.

use crate::Map;
use std::ops::Range;

use super::prose::{
    LineNumbers, Token, acronym_words_in, may_hold_acronyms, tokens_containing_any,
};
use super::{
    Context, Edit, Fix, Raw, RuleInfo, Shared, body_definitions, definition_span, family,
    is_well_known, long_with_acronym, overlaps_mention,
};
use crate::config::Level;
use crate::lexicon::{Lang, Lexicon, RecordId, push_decimal};
use crate::matcher::{Definition, Mention, Via};

pub const INFO: RuleInfo = RuleInfo {
    id: "acronym-before-definition",
    default_level: Level::Warning,
    summary: "an acronym used before it is spelled out",
    explanation: "\
Readers meet an acronym for the first time with its long form: `ASEAN Military Intelligence
Community (AMIC)`, then `AMIC`. This rule flags the first use of an acronym in the body of
an article when no definition precedes it, either because the definition comes later or
because there is none.

What counts:
- acronyms of lexicon records, and acronyms the article itself defines later;
- a meeting's edition counts as defined when its series or another edition was spelled out
  (`AMIM-20` after `17th ASEAN Military Intelligence Meeting (AMIM-17)`);
- `Long Form (ACR)`, `ACR (Long Form)` and `Long Form (gọi tắt là ACR)` are definitions, and
  so is any acronym alone in parentheses after a word (`… lần thứ 20 (ACDFM-20)`), even when
  the lexicon does not know that wording of the long form.

What does not:
- acronyms the lexicon marks `well-known` (ASEAN, UN, EU, COVID-19) and those listed in
  `allow` in `.lexls.toml`;
- headlines, kickers and bylines (a short line on its own without a final full stop): they
  neither trigger the rule nor count as definitions, so the body must spell out an acronym
  even when the headline did;
- ambiguous acronyms, which `ambiguous-mention` reports.

Only the first use of each acronym is reported.

The fix writes `Long Form (ACR)` at the first use, with the lexicon's name in the article's
language (Vietnamese when most words carry Vietnamese letters, English otherwise), or the
article's own long form when the lexicon does not know the acronym. It is not applied by
`lexls lint --fix`: it rewrites a sentence, and the house form of a long name is an
editor's call. Editors offer it as a quick fix.

```text
AMIC was launched in Hanoi.
→ ASEAN Military Intelligence Community (AMIC) was launched in Hanoi.
```
",
};

/// What an acronym use is checked against: a lexicon record (a series for its editions) or,
/// for acronyms the lexicon does not know, the text the article defines (borrowed from the
/// definition: a key is copied for every use and definition).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key<'a> {
    Record(RecordId),
    Text(&'a str),
}

/// One use of an acronym in the body.
struct Use<'a> {
    span: Range<usize>,
    key: Key<'a>,
    source: Source<'a>,
    /// Written `… words (ACR)`: the writer spelled it out, even when the lexicon does not
    /// know the long form well enough to delimit it.
    glosses: bool,
}

/// Where a use's long form comes from. The strings are made only for the uses reported.
enum Source<'a> {
    /// A mention of a lexicon record.
    Lexicon(&'a Mention),
    /// An acronym the lexicon does not know, with the article's definition of it.
    Article(&'a Definition),
}

impl Use<'_> {
    /// What to write at the first use: `Long Form (ACR)`.
    fn long_with_acronym(&self, ctx: &Context) -> Option<String> {
        let written = &ctx.text[self.span.clone()];
        match self.source {
            Source::Lexicon(m) => {
                let lx = ctx.engine.lexicon();
                let acronym = lx.acronym(m.entity);
                let plural = acronym
                    .as_deref()
                    .is_some_and(|a| written.strip_suffix('s') == Some(a));
                let short = if written.contains(char::is_whitespace) {
                    acronym.unwrap_or_else(|| written.to_owned())
                } else {
                    written.to_owned()
                };
                (!plural).then(|| long_with_acronym(&lx.label(m.entity, ctx.lang()), &short))
            }
            Source::Article(d) => (written == d.short_text)
                .then(|| long_with_acronym(&ctx.text[d.long.clone()], written)),
        }
    }

    /// Whether the use counts: it is not in a headline, and `allow` in the config does not
    /// list its acronym. Asked only of the uses that matter (the first of each acronym, and
    /// those alone in parentheses), since most uses of an article repeat an acronym.
    fn counts(&self, ctx: &Context, shared: &Shared) -> bool {
        !shared.is_title_line(self.span.start)
            && match self.source {
                Source::Lexicon(m) => !allowed(ctx, m),
                Source::Article(_) => true,
            }
    }

    /// The long form for the message, when the lexicon knows it.
    fn long(&self, ctx: &Context) -> Option<String> {
        match self.source {
            Source::Lexicon(m) => Some(ctx.engine.lexicon().label(m.entity, Lang::En)),
            Source::Article(_) => None,
        }
    }
}

pub fn check(ctx: &Context, shared: &Shared) -> Vec<Raw> {
    // Every use, those that do not count too (see `Use::counts`).
    let mut uses: Vec<Use> = lexicon_uses(ctx)
        .chain(defined_later_uses(ctx, shared))
        .collect();
    uses.sort_by_key(|u| u.span.start);
    let mut keys = first_spelled_out(ctx, shared, &uses);
    // The records whose use was read (`First::used`), a bit each: most uses repeat an
    // acronym read before, and telling them by a bit rather than a hash lookup each cost
    // less (9,027 uses of 150 articles).
    let mut used = RecordBits::new(ctx.engine.lexicon());
    let mut out = Vec::new();
    for u in &uses {
        if let Key::Record(r) = u.key
            && used.has(r)
        {
            continue;
        }
        let first = keys.entry(u.key).or_default();
        if first.used || !u.counts(ctx, shared) {
            continue;
        }
        first.used = true;
        if let Key::Record(r) = u.key {
            used.set(r);
        }
        match &first.spelled_out {
            Some(at) if at.start <= u.span.start => {}
            later => out.push(report(ctx, &shared.lines, u, later.clone())),
        }
    }
    out
}

/// A set of the lexicon's records, a bit each: as many words as a lexicon has records over 64.
struct RecordBits(Vec<u64>);

impl RecordBits {
    fn new(lx: &Lexicon) -> RecordBits {
        RecordBits(vec![0; lx.records().len().div_ceil(64)])
    }

    fn has(&self, r: RecordId) -> bool {
        self.0[r.index() / 64] >> (r.index() % 64) & 1 != 0
    }

    fn set(&mut self, r: RecordId) {
        self.0[r.index() / 64] |= 1 << (r.index() % 64);
    }
}

/// What is known of an acronym while its uses are read.
#[derive(Default)]
struct First {
    /// Where it is first spelled out.
    spelled_out: Option<Range<usize>>,
    /// Whether one of its uses was read.
    used: bool,
}

/// Where each acronym is first spelled out: by a definition in the body, or by a use alone in
/// parentheses after words.
fn first_spelled_out<'a>(
    ctx: &'a Context,
    shared: &'a Shared,
    uses: &[Use<'a>],
) -> Map<Key<'a>, First> {
    let lx = ctx.engine.lexicon();
    let mut first: Map<Key, First> = Map::default();
    let mut note = |key: Key<'a>, at: Range<usize>| {
        let spelled_out = &mut first.entry(key).or_default().spelled_out;
        match spelled_out {
            Some(r) if r.start <= at.start => {}
            _ => *spelled_out = Some(at),
        }
    };
    // The records a definition was noted for: when the definitions read so far come in the
    // order of their starts (as the analysis finds them), a record noted before keeps where
    // it was first spelled out, and is told by a bit rather than a hash lookup.
    let mut noted = RecordBits::new(lx);
    let (mut in_order, mut last_start) = (true, 0);
    for d in body_definitions(ctx, shared) {
        let at = definition_span(d);
        in_order &= at.start >= last_start;
        last_start = at.start;
        keys_defined(lx, d, |key| {
            if let Key::Record(r) = key {
                if in_order && noted.has(r) {
                    return;
                }
                noted.set(r);
            }
            note(key, at.clone());
        });
    }
    for g in uses.iter().filter(|u| u.glosses) {
        // Whether the use counts is asked only when noting it would change what is known:
        // it is not when the acronym is spelled out at or before it already (by a
        // definition, or by a use before it, as the uses are in text order), and most
        // acronyms in parentheses repeat one spelled out before.
        let spelled_out = &mut first.entry(g.key).or_default().spelled_out;
        if spelled_out
            .as_ref()
            .is_some_and(|at| at.start <= g.span.start)
            || !g.counts(ctx, shared)
        {
            continue;
        }
        *spelled_out = Some(g.span.clone());
    }
    first
}

fn report(ctx: &Context, lines: &LineNumbers, u: &Use, later: Option<Range<usize>>) -> Raw {
    let written = &ctx.text[u.span.clone()];
    // The message is written piece by piece: `format!` cost several times as much.
    let mut message = String::with_capacity(written.len() + 64);
    message.push('`');
    message.push_str(written);
    message.push('`');
    match (&later, u.long(ctx)) {
        (Some(at), _) => {
            message.push_str(" is used before it is spelled out on line ");
            push_decimal(&mut message, lines.of(at.start) as u64);
        }
        (None, long) => {
            if let Some(long) = long {
                message.push_str(" (");
                message.push_str(&long);
                message.push(')');
            }
            message.push_str(" is used without being spelled out");
        }
    }
    let fixes = u
        .long_with_acronym(ctx)
        .map(|replacement| Fix {
            title: ["Spell out: ", &replacement].concat(),
            edits: vec![Edit {
                range: u.span.clone(),
                replacement,
            }],
            safe: false,
        })
        .into_iter()
        .collect();
    Raw {
        span: u.span.clone(),
        message,
        fixes,
        related: later
            .map(|at| (at, "spelled out here".to_owned()))
            .into_iter()
            .collect(),
    }
}

/// Whether `span` is alone in parentheses right after a word: `… Leaders' Meeting (AMICLC-1)`.
///
/// The spaces and no-break spaces (C2 A0) between the parentheses and the span are passed
/// over byte by byte: most acronyms follow a word and a space, which the byte before the
/// space tells, and the text after the span is read only after a `(`.
fn glosses(text: &str, span: &Range<usize>) -> bool {
    let b = text.as_bytes();
    let mut open = span.start;
    loop {
        match open.checked_sub(1).map(|i| b[i]) {
            Some(b' ') => open -= 1,
            Some(0xA0) if open >= 2 && b[open - 2] == 0xC2 => open -= 2,
            _ => break,
        }
    }
    if open == 0 || b[open - 1] != b'(' {
        return false;
    }
    let mut close = span.end;
    loop {
        match b.get(close) {
            Some(b' ') => close += 1,
            Some(0xC2) if b.get(close + 1) == Some(&0xA0) => close += 2,
            _ => break,
        }
    }
    let outside = &text[..open - 1];
    b.get(close) == Some(&b')')
        && outside
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '"' | '”'))
}

/// Mentions of lexicon records written as an acronym that need spelling out, but for those
/// that `allow` lists (see `Use::counts`).
fn lexicon_uses<'a>(ctx: &'a Context) -> impl Iterator<Item = Use<'a>> + 'a {
    let lx = ctx.engine.lexicon();
    ctx.analysis
        .mentions
        .iter()
        .filter(move |m| m.via == Via::Acronym && !m.is_ambiguous() && !is_well_known(lx, m.entity))
        .map(move |m| Use {
            span: m.span.clone(),
            key: Key::Record(family(lx, m.entity.record)),
            source: Source::Lexicon(m),
            glosses: glosses(ctx.text, &m.span),
        })
}

/// Whether `allow` in the config lists the acronym as written or one of its record's.
fn allowed(ctx: &Context, m: &Mention) -> bool {
    let lx = ctx.engine.lexicon();
    let written = &ctx.text[m.span.clone()];
    let records = [m.entity.record, family(lx, m.entity.record)];
    ctx.config.allows(written)
        || records
            .iter()
            .flat_map(|&r| &lx.record(r).acronyms)
            .any(|a| ctx.config.allows(a))
}

/// Acronyms the lexicon does not know but the article spells out: their uses.
fn defined_later_uses<'a>(
    ctx: &'a Context,
    shared: &'a Shared,
) -> impl Iterator<Item = Use<'a>> + 'a {
    let mut unknown: Map<&str, &Definition> = Map::default();
    for d in body_definitions(ctx, shared).filter(|d| d.short_candidates.is_empty()) {
        unknown.entry(d.short_text.as_str()).or_insert(d);
    }
    let acronyms: Vec<&str> = unknown.keys().copied().collect();
    let words = words_starting_with(ctx.text, &acronyms);
    words.filter_map(move |w| {
        let d = unknown
            .get(w.text)
            .or_else(|| unknown.get(singular(w.text)))?;
        if overlaps_mention(ctx.analysis, &w.span) || ctx.config.allows(&d.short_text) {
            return None;
        }
        Some(Use {
            span: w.span,
            key: Key::Text(&d.short_text),
            source: Source::Article(d),
            glosses: false,
        })
    })
}

/// The acronym-like words of `text` (see [`super::prose::acronym_words`]) in which one of `acronyms` occurs,
/// among them every one written as one of `acronyms`, perhaps with a plural `s` (which starts
/// with it), in order. Only the tokens where an acronym is found are read: most articles
/// define no acronym the lexicon does not know, and then the text is not read again.
fn words_starting_with<'a>(
    text: &'a str,
    acronyms: &[&str],
) -> impl Iterator<Item = Token<'a>> + use<'a> {
    tokens_containing_any(text, acronyms)
        .into_iter()
        .filter(|(t, caps)| may_hold_acronyms(t.text, *caps))
        .flat_map(|(t, _)| acronym_words_in(t))
}

fn singular(s: &str) -> &str {
    s.strip_suffix('s').unwrap_or(s)
}

/// Calls `f` with each acronym definition `d` spells out: its acronym's records (a series
/// for its editions), the record its long form binds, or its text when the lexicon knows
/// neither.
fn keys_defined<'a>(lx: &Lexicon, d: &'a Definition, mut f: impl FnMut(Key<'a>)) {
    if d.short_candidates.is_empty() {
        f(Key::Text(&d.short_text));
        return;
    }
    let bound = d.bound(lx).map(|e| e.record);
    for r in d.short_candidates.iter().copied().chain(bound) {
        f(Key::Record(family(lx, r)));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use proptest::prelude::*;

    use super::*;
    use crate::config::Config;
    use crate::rules::prose::{Token, acronym_words, is_title_line};
    use crate::rules::test_support::{engine, fixed, run, run_with};

    /// [`check`] as it was before it asked only the first use of each acronym and the uses
    /// alone in parentheses whether they count: every use filtered first, the keys of each
    /// definition collected, and [`glosses_reference`]. The reference the tests compare with.
    fn check_reference<'a>(ctx: &'a Context, shared: &'a Shared) -> Vec<Raw> {
        let lx = ctx.engine.lexicon();
        let mut uses: Vec<Use> = lexicon_uses(ctx)
            .map(|u| Use {
                glosses: glosses_reference(ctx.text, &u.span),
                ..u
            })
            .chain(defined_later_uses(ctx, shared))
            .filter(|u| !is_title_line(ctx.text, u.span.start))
            .filter(|u| match u.source {
                Source::Lexicon(m) => !allowed(ctx, m),
                Source::Article(_) => true,
            })
            .collect();
        uses.sort_by_key(|u| u.span.start);
        let mut spelled_out: HashMap<Key, Range<usize>> = HashMap::new();
        let mut note = |key: Key<'a>, at: Range<usize>| {
            spelled_out
                .entry(key)
                .and_modify(|r| {
                    if at.start < r.start {
                        *r = at.clone();
                    }
                })
                .or_insert(at);
        };
        let body = ctx.analysis.definitions.iter();
        for d in body.filter(|d| !is_title_line(ctx.text, d.short.start)) {
            let keys: Vec<Key> = if d.short_candidates.is_empty() {
                vec![Key::Text(&d.short_text)]
            } else {
                let bound = d.bound(lx).map(|e| e.record);
                let records = d.short_candidates.iter().copied().chain(bound);
                records.map(|r| Key::Record(family(lx, r))).collect()
            };
            for key in keys {
                note(key, definition_span(d));
            }
        }
        for g in uses.iter().filter(|u| u.glosses) {
            note(g.key, g.span.clone());
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for u in &uses {
            if !seen.insert(u.key) {
                continue;
            }
            match spelled_out.get(&u.key) {
                Some(at) if at.start <= u.span.start => {}
                later => out.push(report(ctx, &shared.lines, u, later.cloned())),
            }
        }
        out
    }

    /// [`glosses`] as it was before it read bytes.
    fn glosses_reference(text: &str, span: &Range<usize>) -> bool {
        let before = text[..span.start].trim_end_matches([' ', '\u{A0}']);
        let after = text[span.end..].trim_start_matches([' ', '\u{A0}']);
        let Some(outside) = before.strip_suffix('(') else {
            return false;
        };
        after.starts_with(')')
            && outside
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '"' | '”'))
    }

    /// Pieces of articles: acronyms the test lexicon knows or not, well-known ones, plurals,
    /// definitions both ways round, acronyms alone in parentheses after words or not, spaces
    /// and no-break spaces, headlines and sentence ends.
    const PIECES: &[&str] = &[
        "AMIC",
        "AMICs",
        "AMIM",
        "AMIM-17",
        "AMIM-20",
        "SOMTC",
        "ASEAN",
        "ASC",
        "APSC",
        "SOP",
        "SOPs",
        "JWG",
        "JWGs",
        "UNDP",
        "COVID-19",
        "USD",
        "ASEAN Military Intelligence Community (AMIC)",
        "AMIC (ASEAN Military Intelligence Community)",
        "17th ASEAN Military Intelligence Meeting (AMIM-17)",
        "Joint Working Group (JWG)",
        "the officials (SOMTC)",
        "the officials ( SOMTC )",
        "the officials (\u{A0}SOMTC)",
        "(AMIM)",
        "Meeting (ASC)",
        "Meeting’ (JWG)",
        "ASEAN Studies Centre (ASC)",
        "Hội nghị các đơn vị (SOMTC)",
        " ",
        "\u{A0}",
        " met. ",
        ". ",
        "\n\n",
        "\n",
        "Launch of ",
        "đã họp",
        "(",
        ")",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..Default::default() })]

        #[test]
        fn finds_what_filtering_every_use_first_finds(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
            allow in proptest::sample::subsequence(&["AMIC", "SOMTC", "JWG", "AMIM-17"][..], 0..=2),
        ) {
            let text = pieces.concat();
            let engine = engine();
            let analysis = engine.analyze(&text);
            let config = Config {
                allow: allow.iter().map(|&a| a.into()).collect(),
                ..Config::default()
            };
            let ctx = Context { engine: &engine, text: &text, analysis: &analysis, config: &config, path: None };
            let seen = |raw: Vec<Raw>| -> Vec<_> {
                raw.into_iter().map(|r| (r.span, r.message, r.fixes, r.related)).collect()
            };
            let got = check(&ctx, &Shared::new(&text));
            let want = check_reference(&ctx, &Shared::new(&text));
            prop_assert_eq!(seen(got), seen(want));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]

        /// Every span between character boundaries of texts of parentheses, spaces, no-break
        /// spaces, letters and characters whose last byte is that of a no-break space.
        #[test]
        fn glosses_as_it_did(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "(", ")", " ", "\u{A0}", "\u{20A0}", "\u{C0}", "JWG", "a", "’", "\n", "\u{2003}", "-",
                ][..]),
                0..14,
            ),
        ) {
            let text = pieces.concat();
            let places: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for (n, &start) in places.iter().enumerate() {
                for &end in &places[n..] {
                    let span = start..end;
                    prop_assert_eq!(glosses(&text, &span), glosses_reference(&text, &span), "{:?} {:?}", text, span);
                }
            }
        }

        /// The words written as an acronym, perhaps with a plural `s`, are those all the
        /// acronym words of the text give.
        #[test]
        fn words_written_as_acronyms_are_all_found(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "JWG", "JWGs", "JW", "G", "s", "-", "/", "+", "&", "2", "x", " ", ", ",
                    "(", ")", "\n", "Đ", "ĐJWG", "Ư", "\u{301}", "é", "AB", "ABs", "ABA",
                ][..]),
                0..40,
            ),
            keys in proptest::sample::subsequence(&["JWG", "AB", "ABA", "ĐJWG", "JWGs"][..], 0..=5),
        ) {
            let text = pieces.concat();
            let written_as = |w: &Token| keys.contains(&w.text) || keys.contains(&singular(w.text));
            let got: Vec<Token> = words_starting_with(&text, &keys)
                .filter(written_as)
                .collect();
            let want: Vec<Token> = acronym_words(&text).filter(written_as).collect();
            prop_assert_eq!(got, want);
        }
    }

    const RULE: &str = "acronym-before-definition";

    #[test]
    fn flags_the_first_use_before_a_later_definition() {
        let t = "AMIC was launched. The ASEAN Military Intelligence Community (AMIC) links agencies. AMIC works.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "[[AMIC]] was launched. The ASEAN Military Intelligence Community (AMIC) links agencies. AMIC works."
        );
        assert_eq!(
            f[0].message,
            "`AMIC` is used before it is spelled out on line 1"
        );
        assert_eq!(f[0].related.len(), 1);
        assert!(!f[0].fixes[0].safe);
        assert!(
            fixed(t, &f).starts_with("ASEAN Military Intelligence Community (AMIC) was launched.")
        );
    }

    #[test]
    fn flags_an_acronym_never_spelled_out_and_fixes_in_the_document_language() {
        let t = "Hội nghị đã mời đại diện SOMTC tham dự và phát biểu ý kiến.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "Hội nghị đã mời đại diện [[SOMTC]] tham dự và phát biểu ý kiến."
        );
        assert_eq!(
            fixed(t, &f),
            "Hội nghị đã mời đại diện Hội nghị Quan chức cấp cao ASEAN về tội phạm xuyên quốc gia (SOMTC) tham dự và phát biểu ý kiến."
        );
    }

    #[test]
    fn defined_well_known_allowed_and_headline_uses_pass() {
        for t in [
            "The ASEAN Military Intelligence Community (AMIC) was launched. AMIC works.",
            "AMIC (ASEAN Military Intelligence Community) was launched. AMIC works.",
            "ASEAN and COVID-19 need no spelling out. Nor does USD.",
            "AMIC goes live\n\nThe ASEAN Military Intelligence Community (AMIC) was launched.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
        let config = Config {
            allow: vec!["AMIC".into()],
            ..Config::default()
        };
        let (marked, f) = run_with(RULE, "AMIC was launched.", &config);
        assert!(f.is_empty(), "{marked}");
    }

    #[test]
    fn editions_count_as_defined_by_their_series() {
        let t = "Proposed at the 17th ASEAN Military Intelligence Meeting (AMIM-17), adopted at AMIM-20.";
        let (marked, f) = run(RULE, t);
        assert!(f.is_empty(), "{marked}");
        let t = "It was adopted at AMIM-20 in 2023.";
        let (marked, f) = run(RULE, t);
        assert_eq!(marked, "It was adopted at [[AMIM-20]] in 2023.");
        assert_eq!(
            fixed(t, &f),
            "It was adopted at 20th ASEAN Military Intelligence Meeting (AMIM-20) in 2023."
        );
    }

    #[test]
    fn headline_definitions_do_not_count_for_the_body() {
        let t = "Launch of the ASEAN Military Intelligence Community (AMIC)\n\nAMIC was launched today.\n";
        let (marked, _) = run(RULE, t);
        assert_eq!(
            marked,
            "Launch of the ASEAN Military Intelligence Community (AMIC)\n\n[[AMIC]] was launched today.\n"
        );
    }

    #[test]
    fn unknown_acronyms_defined_later_are_flagged_with_the_article_long_form() {
        let t = "The JWG met. Later the Joint Working Group (JWG) met again.";
        let (marked, f) = run(RULE, t);
        assert_eq!(
            marked,
            "The [[JWG]] met. Later the Joint Working Group (JWG) met again."
        );
        assert!(fixed(t, &f).starts_with("The Joint Working Group (JWG) met."));
    }

    #[test]
    fn an_acronym_in_parentheses_after_words_counts_as_spelled_out() {
        for t in [
            "The chiefs of the region's police forces (ASEANAPOL) met. ASEANAPOL agreed.",
            "Hội nghị các đơn vị chống tội phạm (SOMTC) đã họp.",
        ] {
            let (marked, f) = run(RULE, t);
            assert!(f.is_empty(), "{marked}");
        }
        let (marked, _) = run(
            RULE,
            "SOMTC met. Later the officials (SOMTC) agreed. But (SOMTC) is not.",
        );
        assert_eq!(
            marked,
            "[[SOMTC]] met. Later the officials (SOMTC) agreed. But (SOMTC) is not."
        );
    }

    #[test]
    fn plurals_are_flagged_without_a_fix() {
        let (marked, f) = run(RULE, "They wrote SOPs.");
        assert_eq!(marked, "They wrote [[SOPs]].");
        assert!(f[0].fixes.is_empty());
    }
}
