//! Finding mentions of lexicon records in text.
//!
//! One trie of every alias, in normalised and case-folded form, is walked from each word start
//! of the normalised view of the text ([`crate::normalize`], `search`). Every match is checked
//! for word boundaries and for the alias's case rule; numbered meetings are extended to
//! their edition; then the longest matches win, left to right (spaCy's `filter_spans`), so a
//! rejected long match never hides a valid shorter one. Spans are reported in bytes of the
//! original text.

mod definitions;
mod editions;
mod search;

use crate::{Map, Set};
use std::ops::Range;

use search::Search;

pub use definitions::{Definition, find_definitions, is_acronym_like, same_family, singular};

use crate::lexicon::{CaseRule, EntityRef, Kind, Lang, Lexicon, RecordId};
use crate::normalize::{Fold, normalized_str, normalized_string};

/// How a mention was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// A canonical name.
    Name(Lang),
    /// An acronym (with or without an edition number).
    Acronym,
    /// An alias.
    Alias,
    /// A known misspelling of the acronym or name.
    Misspelling,
    /// A name written without diacritics (`Bui Van Nam`).
    Folded,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Name(_) => "name",
            Via::Acronym => "acronym",
            Via::Alias => "alias",
            Via::Misspelling => "misspelling",
            Via::Folded => "folded",
        }
    }
}

/// The records a mention can name: nearly always one, kept inline (a lint run allocated a
/// list for each of its tens of thousands of mentions).
pub type Candidates = smallvec::SmallVec<[RecordId; 2]>;

/// A mention of a lexicon entity in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the original text.
    pub span: Range<usize>,
    /// The entity the mention resolves to (the first candidate when ambiguous).
    pub entity: EntityRef,
    /// Every record this text can name; more than one when the mention is ambiguous.
    pub candidates: Candidates,
    /// How it was written.
    pub via: Via,
}

impl Mention {
    pub fn is_ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }
}

#[derive(Clone, Debug)]
struct Target {
    record: RecordId,
    via: Via,
    case: CaseRule,
    /// The forms normalised without case folding, to verify case-sensitive matches (one
    /// record may write the same letters in two cases: `COVID-19`, `Covid-19`). Not kept
    /// for a case-insensitive target, which never compares them.
    exact: Vec<String>,
    /// The language the alias belongs to; a mention through it counts only in a text of
    /// that language (`NAM`, the Non-Aligned Movement, is not the end of `VIỆT NAM`).
    lang: Option<Lang>,
    /// The alias counts only when an edition number follows (`Đại hội` in `Đại hội XIII`).
    edition_only: bool,
    /// A phrase inside which the record's aliases are not mentions: it takes part in the
    /// longest-match selection and is then dropped.
    blocker: bool,
    /// The record is a series, whose edition may be written next to the alias.
    series: bool,
    /// The record is a place and the alias is not an acronym: a one-word match inside a run
    /// of capitalised words is part of another name.
    place: bool,
    /// The record's edition, for a meeting.
    edition: Option<u32>,
}

/// What one key of the search (a normalised, case-folded alias) stands for: its targets, and
/// what the checks of a match ask about all of them, found once when the matcher is built
/// rather than at each of the tens of thousands of matches of a lint run.
#[derive(Clone, Debug)]
struct Key {
    targets: Vec<Target>,
    /// Whether one of the targets is a series.
    series: bool,
    /// Whether one of the targets is a blocker.
    blocker: bool,
    /// Whether the key holds a space: more than one word.
    spaced: bool,
}

/// The search over a lexicon's aliases, and what each alias stands for.
#[derive(Clone, Debug)]
pub struct Matcher {
    search: Search,
    /// Pattern `i` of the search is key `i`.
    keys: Vec<Key>,
    /// Words after which an alias goes on past sentence-final punctuation and a space
    /// (`tp` in `tp. hồ chí minh`), normalised and case-folded (see `analysis::pieces`).
    abbreviations: Set<String>,
    /// The length of the longest of [`Matcher::abbreviations`], in bytes.
    longest_abbreviation: usize,
}

/// A match before selection: a range of the normalised view.
#[derive(Clone, Debug)]
struct Candidate {
    norm: Range<usize>,
    /// The range of the original text, when the checks of the match found it.
    orig: Option<Range<usize>>,
    entity: EntityRef,
    candidates: Candidates,
    via: Via,
    blocker: bool,
}

impl Matcher {
    /// Builds the search for `lexicon`.
    pub fn new(lexicon: &Lexicon) -> Matcher {
        // Pattern keys (normalised, case-folded) to their index in `targets`.
        let mut keys: Map<String, usize> = Map::with_capacity_and_hasher(
            lexicon
                .records()
                .iter()
                .map(|r| 2 + r.acronyms.len() + r.aliases.len() + r.misspellings.len())
                .sum(),
            Default::default(),
        );
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |text: &str, t: Target| {
            let key = normalized_string(text, Fold::Case);
            if key.is_empty() {
                return;
            }
            let new = targets.len();
            let i = *keys.entry(key).or_insert(new);
            if i == new {
                // Most keys have one target: no room for more until a second comes.
                targets.push(vec![t]);
                return;
            }
            let list = &mut targets[i];
            if let Some(prev) = list.iter_mut().find(|p| p.record == t.record) {
                // One record reaching the same key twice: keep the most lenient case rule,
                // every exact form, and no language restriction unless both have it.
                if t.case == CaseRule::Insensitive {
                    prev.case = CaseRule::Insensitive;
                }
                prev.exact.extend(t.exact);
                if prev.lang != t.lang {
                    prev.lang = None;
                }
                prev.edition_only &= t.edition_only;
                return;
            }
            list.push(t);
        };
        for (i, r) in lexicon.records().iter().enumerate() {
            let record = RecordId(i as u32);
            let t = |via, case, text: &str, edition_only| Target {
                record,
                via,
                case,
                exact: if case == CaseRule::Sensitive {
                    vec![normalized_string(text, Fold::None)]
                } else {
                    Vec::new()
                },
                lang: None,
                edition_only,
                blocker: false,
                series: r.kind == Kind::Series,
                place: r.kind == Kind::Place && via != Via::Acronym,
                edition: r.facts.edition,
            };
            for (lang, name) in [(Lang::En, &r.name.en), (Lang::Vi, &r.name.vi)] {
                if let Some(n) = name {
                    let case = crate::lexicon::default_case_of(n);
                    add(n, t(Via::Name(lang), case, n, false));
                }
            }
            for a in &r.acronyms {
                add(a, t(Via::Acronym, CaseRule::Sensitive, a, false));
            }
            let via_of = |text: &str| {
                if is_acronym_like(text) {
                    Via::Acronym
                } else {
                    Via::Alias
                }
            };
            for a in &r.aliases {
                let mut target = t(via_of(&a.text), a.case, &a.text, false);
                target.lang = a.lang;
                add(&a.text, target);
            }
            for a in &r.edition_aliases {
                let mut target = t(via_of(&a.text), a.case, &a.text, true);
                target.lang = a.lang;
                add(&a.text, target);
            }
            if let Some(n) = &r.facts.number {
                add(n, t(Via::Alias, CaseRule::Sensitive, n, false));
            }
            for m in &r.misspellings {
                add(m, t(Via::Misspelling, CaseRule::Sensitive, m, false));
            }
            for phrase in &r.not_in {
                let case = crate::lexicon::default_case_of(phrase);
                let mut target = t(Via::Alias, case, phrase, false);
                target.blocker = true;
                add(phrase, target);
            }
            for f in crate::lexicon::folded_forms(r) {
                let case = crate::lexicon::default_case_of(&f);
                add(&f, t(Via::Folded, case, &f, false));
            }
        }
        // The keys, in the order of their targets: pattern `i` is key `i`.
        let mut patterns = vec![String::new(); targets.len()];
        for (key, i) in keys {
            patterns[i] = key;
        }
        let search = Search::new(&patterns);
        let keys = targets
            .into_iter()
            .zip(&patterns)
            .map(|(targets, key)| Key {
                series: targets.iter().any(|t| t.series),
                blocker: targets.iter().any(|t| t.blocker),
                spaced: key.contains(' '),
                targets,
            })
            .collect();
        let abbreviations: Set<String> = patterns
            .iter()
            .flat_map(|p| abbreviations_in(p))
            .map(str::to_owned)
            .collect();
        let longest_abbreviation = abbreviations.iter().map(String::len).max().unwrap_or(0);
        Matcher {
            search,
            keys,
            abbreviations,
            longest_abbreviation,
        }
    }

    /// Whether a line that ends a sentence with `word` (the word characters before the final
    /// punctuation, as written) can end a piece of the document matched on its own: no alias
    /// goes on after that word, its punctuation and a space, so no mention crosses the line
    /// break. `TP` in `… tại TP.⏎Hồ Chí Minh` cannot.
    pub fn ends_piece_after(&self, word: &str) -> bool {
        if self.abbreviations.is_empty() {
            return true;
        }
        if word.is_ascii() {
            // Lower-casing keeps the length of ASCII: a longer word is none of them, and
            // most words that end a sentence are (without a string made to tell).
            return word.len() > self.longest_abbreviation
                || !self.abbreviations.contains(&word.to_ascii_lowercase());
        }
        !self
            .abbreviations
            .contains(&normalized_string(word, Fold::Case))
    }

    /// Every mention in `text`, in order, without overlaps. `lang` is the text's language
    /// (detected when needed if `None`): aliases marked for the other language are not used.
    pub fn find(&self, lexicon: &Lexicon, text: &str, lang: Option<Lang>) -> Vec<Mention> {
        let doc = DocLang::new(text);
        if let Some(l) = lang {
            let _ = doc.lang.set(l);
        }
        let mut out = Vec::new();
        self.find_in(lexicon, text, &doc, &mut Scratch::default(), &mut out, 0);
        out
    }

    /// Appends to `out` every mention in `text`, in order, without overlaps: `text` is a
    /// piece of a document whose language `doc` gives, that starts at byte `offset` of the
    /// document, and spans are moved there. `scratch` lends its buffers, so that matching the
    /// pieces of a document one after the other allocates them once; the mentions of all the
    /// pieces go into one vector, without one of their own for each piece.
    pub(crate) fn find_in<'m>(
        &'m self,
        lexicon: &Lexicon,
        text: &str,
        doc: &DocLang,
        scratch: &mut Scratch<'m>,
        out: &mut Vec<Mention>,
        offset: usize,
    ) {
        scratch.view.renormalize(text, Fold::Case);
        // Every alias that matches at a word start, by start then end.
        scratch.matches.clear();
        self.search
            .each_match(scratch.view.as_str(), |s, e, pattern| {
                scratch.matches.push((s, e, pattern))
            });
        self.mentions_of_matches(lexicon, text, doc, scratch, out, offset);
    }

    /// The mentions of the matches [`Matcher::find_in`] found in `text`, appended to `out`.
    ///
    /// Kept out of line: the search, inlined into `find_in`, is the matcher's hottest loop,
    /// and compiles the same whatever is done with its matches.
    #[inline(never)]
    fn mentions_of_matches<'m>(
        &'m self,
        lexicon: &Lexicon,
        text: &str,
        doc: &DocLang,
        scratch: &mut Scratch<'m>,
        out: &mut Vec<Mention>,
        offset: usize,
    ) {
        let view = &scratch.view;
        let hay = view.as_str();
        let found = &mut scratch.found;
        found.clear();
        // The targets that pass each check, reused for every match.
        let ok = &mut scratch.ok;
        let plain = &mut scratch.plain;
        // Matches come in order of start, and so do the ones mapped to the original below.
        let mut hint = 0;
        for &(s, e, pattern) in scratch.matches.iter() {
            debug_assert!(s < e, "patterns are not empty");
            let key = &self.keys[pattern];
            debug_assert_eq!(key.spaced, hay[s..e].contains(' '));
            // The character after the match: nearly always ASCII, read as a byte.
            let after = match hay.as_bytes().get(e) {
                Some(&b) if b.is_ascii() => Some(char::from(b)),
                _ => hay[e..].chars().next(),
            };
            let after_word = after.is_some_and(is_word_char);
            // A match that ends inside a word is a mention only as the plural of an acronym
            // (`SOPs`) or as a series its edition follows (`COP26`): the others, a sixth of
            // the matches, are dropped before their targets are checked.
            if after_word && after != Some('s') && !key.series {
                continue;
            }
            // Case-sensitive targets compare the text as written: most text is already
            // canonical, so compare the original bytes first and normalise only if needed.
            // Both are found once a target asks for them: the others never do.
            let mut original: Option<(Range<usize>, &str)> = None;
            let mut exact: Option<std::borrow::Cow<str>> = None;
            ok.clear();
            for t in &key.targets {
                if let Some(want) = t.lang
                    && want != doc.get()
                {
                    continue;
                }
                if t.case == CaseRule::Sensitive {
                    let (_, original) = original.get_or_insert_with(|| {
                        let range = view.to_original_after(&mut hint, s..e);
                        (range.clone(), &text[range])
                    });
                    let original = *original;
                    if !t.exact.iter().any(|x| x == original) {
                        // Borrowed when the original is its own normal form, as it nearly
                        // always is: then no string is made, and the forms were compared
                        // above.
                        let ex = exact.get_or_insert_with(|| normalized_str(original, Fold::None));
                        if !t.exact.iter().any(|x| *x == **ex) {
                            continue;
                        }
                    }
                }
                ok.push(t);
            }
            if ok.is_empty() {
                continue;
            }
            if key.blocker && ok.iter().any(|t| t.blocker) {
                if !after_word {
                    found.push(Candidate {
                        norm: s..e,
                        orig: None,
                        entity: EntityRef {
                            record: ok[0].record,
                            edition: None,
                        },
                        candidates: Candidates::new(),
                        via: Via::Alias,
                        blocker: true,
                    });
                }
                ok.retain(|t| !t.blocker);
                if ok.is_empty() {
                    continue;
                }
            }
            // Editions: a series followed or preceded by an edition number.
            plain.clear();
            let mut places = false;
            let mut acronyms = true;
            for &t in ok.iter() {
                if t.series
                    && let Some((range, n)) = editions::extend(hay, text, view, s..e, t.via)
                {
                    let entity = lexicon.resolve_edition(t.record, n);
                    found.push(Candidate {
                        norm: range,
                        orig: None,
                        entity,
                        candidates: smallvec::smallvec![entity.record],
                        via: t.via,
                        blocker: false,
                    });
                    continue;
                }
                if !t.edition_only {
                    places |= t.place;
                    acronyms &= t.via == Via::Acronym;
                    plain.push(t);
                }
            }
            if plain.is_empty() {
                continue;
            }
            // The word must end here, except for the plural of an acronym (`SOPs`).
            let mut end = e;
            if after_word {
                let plural = after == Some('s')
                    && text[view.to_original(e..e + 1)].starts_with('s')
                    && hay[e + 1..].chars().next().is_none_or(|c| !is_word_char(c))
                    && acronyms;
                if !plural {
                    continue;
                }
                end = e + 1;
            }
            // A one-word place name inside a run of capitalised words is part of another
            // name: `Nga` in `Nguyễn Thị Nga`, `France` in `Air France`. The match is the
            // key, and perhaps a plural `s`: one word if the key is.
            if places && !key.spaced && inside_capitalised_run(text, view.orig_start(s)) {
                plain.retain(|t| !t.place);
                if plain.is_empty() {
                    continue;
                }
            }
            let first = plain[0];
            let mut candidates = Candidates::new();
            for t in plain.iter() {
                candidates.push(t.record);
            }
            found.push(Candidate {
                norm: s..end,
                orig: original.filter(|_| end == e).map(|(range, _)| range),
                entity: EntityRef {
                    record: first.record,
                    edition: first.edition,
                },
                candidates,
                via: first.via,
                blocker: false,
            });
        }
        let kept = &mut scratch.kept;
        select(found, kept, &mut scratch.cluster, &mut scratch.spans);
        out.reserve(kept.len());
        let mut hint = 0;
        for &i in kept.iter() {
            let c = &mut found[i];
            if c.blocker {
                continue;
            }
            let span = c
                .orig
                .clone()
                .unwrap_or_else(|| view.to_original_after(&mut hint, c.norm.clone()));
            out.push(Mention {
                span: span.start + offset..span.end + offset,
                entity: c.entity,
                candidates: std::mem::take(&mut c.candidates),
                via: c.via,
            });
        }
    }
}

/// Buffers [`Matcher::find_in`] reuses from one call to the next, on the targets of the
/// matcher `'m`.
#[derive(Debug)]
pub(crate) struct Scratch<'m> {
    view: crate::normalize::Normalized,
    matches: Vec<(usize, usize, usize)>,
    ok: Vec<&'m Target>,
    plain: Vec<&'m Target>,
    found: Vec<Candidate>,
    kept: Vec<usize>,
    cluster: Vec<usize>,
    spans: Vec<(usize, usize, usize)>,
}

impl Scratch<'_> {
    /// The [`crate::normalize::Normalized::sites`] of the view of the last text matched.
    pub(crate) fn sites(&self) -> &[usize] {
        self.view.sites()
    }
}

impl Default for Scratch<'_> {
    fn default() -> Self {
        Scratch {
            view: crate::normalize::Normalized::empty(),
            matches: Vec::new(),
            ok: Vec::new(),
            plain: Vec::new(),
            found: Vec::new(),
            kept: Vec::new(),
            cluster: Vec::new(),
            spans: Vec::new(),
        }
    }
}

/// Sentence-final punctuation. The matcher lists the words an alias goes on after, past such
/// punctuation ([`Matcher::ends_piece_after`]); the analysis cuts documents into pieces after
/// it (`analysis::pieces`): both read sentence ends with these lists, so they agree.
pub(crate) const TERMINATORS: &[char] = &['.', '!', '?', '…'];

/// What may close a sentence after its final punctuation.
pub(crate) const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']'];

/// The run of word characters at the end of `text`.
pub(crate) fn word_before(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// The words of a normalised alias that sentence-final punctuation (perhaps closed by quotes
/// or brackets) and a space follow: `st` in `st. petersburg`. A line break in a text
/// normalises to a space, so such an alias could span a line that ends with that word.
fn abbreviations_in(pattern: &str) -> impl Iterator<Item = &str> {
    // Few patterns have a terminator at all, and `contains(char)` rules them out with a
    // byte search (memchr), where `match_indices` decodes every character: this runs over
    // every pattern of the lexicon when the matcher is built.
    let any = TERMINATORS.iter().any(|&t| pattern.contains(t));
    pattern
        .match_indices(TERMINATORS)
        .take_while(move |_| any)
        .filter(|(i, t)| {
            pattern[i + t.len()..]
                .trim_start_matches(CLOSERS)
                .starts_with(' ')
        })
        .map(|(i, _)| word_before(&pattern[..i]))
}

/// The language of a document, detected on first use: pieces of one document share it, and
/// each piece records whether its mentions depended on it ([`DocLang::take_used`]).
#[derive(Debug)]
pub(crate) struct DocLang<'a> {
    text: &'a str,
    lang: std::sync::OnceLock<Lang>,
    used: std::cell::Cell<bool>,
}

impl<'a> DocLang<'a> {
    pub(crate) fn new(text: &'a str) -> DocLang<'a> {
        DocLang {
            text,
            lang: std::sync::OnceLock::new(),
            used: std::cell::Cell::new(false),
        }
    }

    pub(crate) fn get(&self) -> Lang {
        self.used.set(true);
        *self
            .lang
            .get_or_init(|| crate::language::detect_language(self.text))
    }

    /// Whether [`DocLang::get`] was called since the last call of this.
    pub(crate) fn take_used(&self) -> bool {
        self.used.replace(false)
    }

    /// The language if it was detected.
    pub(crate) fn detected(&self) -> Option<Lang> {
        self.lang.get().copied()
    }
}

/// Whether the word before `at` is capitalised and does not start a sentence: then a
/// capitalised word at `at` continues a proper name.
fn inside_capitalised_run(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\u{00A0}']);
    if before.len() == at {
        return false; // no space: not a separate word
    }
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map(|(i, _)| i);
    let Some(ws) = word_start else { return false };
    if !before[ws..].chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let lead = before[..ws].trim_end_matches([' ', '\u{00A0}']);
    let sentence_start = lead.chars().next_back().is_none_or(|c| {
        matches!(
            c,
            '.' | '!' | '?' | ':' | '\n' | '\r' | '"' | '“' | '(' | '…' | '-' | '–' | '—'
        )
    });
    !sentence_start
}

/// Letters, digits and combining marks continue a word.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_wide_word_char(c)
    }
}

/// [`is_word_char`] for a character that is not ASCII: without Unicode table lookups
/// (hundreds of instructions each) for Latin-1 (U+0080–U+00FF), the Latin letters of
/// Vietnamese and Western European text (U+0100–U+024F, U+1E00–U+1EFF), the combining
/// diacritics of decomposed text (U+0300–U+036F, all of them marks), General Punctuation
/// (U+2000–U+206F: curly quotes, dashes, the ellipsis) and the flags and pictographs of
/// emoji (U+1F1E6–U+1F1FF, U+1F300–U+1FAFF), none of them a letter, digit or mark: nearly
/// every such character a text asks about. Kept out of line, so that callers that inline
/// [`is_word_char`] grow by its ASCII test only.
#[inline(never)]
fn is_wide_word_char(c: char) -> bool {
    match c {
        // Latin-1: the letters but `×` and `÷`, and the few letters and digits among the
        // symbols (NBSP, `«`, `°` are none).
        '\u{D7}' | '\u{F7}' => false,
        'ª' | '²' | '³' | 'µ' | '¹' | 'º' | '¼' | '½' | '¾' => true,
        '\u{80}'..='\u{BF}'
        | '\u{2000}'..='\u{206F}'
        | '\u{1F1E6}'..='\u{1F1FF}'
        | '\u{1F300}'..='\u{1FAFF}' => false,
        '\u{C0}'..='\u{24F}' | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c),
    }
}

/// Longest first, then leftmost; no overlaps: the indices of the candidates of `found` that
/// win, in text order, into `kept`. `cluster` and `spans` are buffers to reuse.
///
/// Only overlapping candidates compete, so the candidates are cut into clusters, runs in
/// text order that overlap one another (transitively): those alone in their cluster win
/// without a sort, and the others are chosen within their cluster, a few at a time. Ties
/// (the same length and start) go to the first in `found`, as in one stable sort of them
/// all by length and start.
fn select(
    found: &[Candidate],
    kept: &mut Vec<usize>,
    cluster: &mut Vec<usize>,
    spans: &mut Vec<(usize, usize, usize)>,
) {
    kept.clear();
    kept.extend(0..found.len());
    // Candidates come by the start of their match, which an edition before the name moves
    // back (`17th AMIM`): nearly always in order already.
    if !found.is_sorted_by_key(|c| c.norm.start) {
        kept.sort_by_key(|&i| found[i].norm.start);
    }
    let norm = |i: usize| &found[i].norm;
    // Winners are written over the indices already read.
    let mut w = 0;
    let mut r = 0;
    while r < kept.len() {
        let first = r;
        let mut end = norm(kept[r]).end;
        r += 1;
        while r < kept.len() && norm(kept[r]).start < end {
            end = end.max(norm(kept[r]).end);
            r += 1;
        }
        if r - first == 1 {
            kept[w] = kept[first];
            w += 1;
            continue;
        }
        cluster.clear();
        cluster.extend_from_slice(&kept[first..r]);
        cluster.sort_by(|&a, &b| {
            let (a, b) = (norm(a), norm(b));
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        // Accepted spans by start, with their candidate. They never overlap, so the only one
        // that can overlap a new span is the last one starting before its end.
        spans.clear();
        for &i in cluster.iter() {
            let c = norm(i);
            let at = spans.partition_point(|&(start, ..)| start < c.end);
            if at == 0 || spans[at - 1].1 <= c.start {
                spans.insert(at, (c.start, c.end, i));
            }
        }
        for &(.., i) in spans.iter() {
            kept[w] = i;
            w += 1;
        }
    }
    kept.truncate(w);
}

#[cfg(test)]
mod tests;
