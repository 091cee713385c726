//! Document analysis: mentions, in-document definitions and the bindings they make. The
//! lint rules (`rules`) read an [`Analysis`]; nothing here knows about LSP or the CLI.

pub mod pieces;

use crate::Map;
use std::ops::Range;
use std::sync::Arc;

pub use crate::language::detect_language;
use crate::lexicon::{EntityRef, Lang, Lexicon};
use crate::matcher::{
    Candidates, Definition, DocLang, Matcher, Mention, find_definitions, singular,
};
use crate::normalize::{Fold, NormalizationReport, first_byte_kept, inspect_sites, normalized_str};

/// A lexicon with its automaton: what every analysis needs. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Engine {
    lexicon: Arc<Lexicon>,
    matcher: Arc<Matcher>,
}

impl Engine {
    pub fn new(lexicon: Lexicon) -> Engine {
        let matcher = Matcher::new(&lexicon);
        Engine {
            lexicon: Arc::new(lexicon),
            matcher: Arc::new(matcher),
        }
    }

    /// The engine over the embedded lexicon (built once per process).
    pub fn embedded() -> Engine {
        static EMBEDDED: std::sync::LazyLock<Engine> =
            std::sync::LazyLock::new(|| Engine::new(Lexicon::embedded()));
        EMBEDDED.clone()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Analyses a text. Never fails: problems in the text are findings of the rules.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.reanalyze(text, None)
    }

    /// Analyses `text`, an edited version of a text analysed before by this engine:
    /// `previous` is that text and its analysis. Pieces of the document (paragraphs, see
    /// [`pieces`]) that the edit left as they were keep their mentions; only the others are
    /// matched again. The result is the same as [`Engine::analyze`] of `text`.
    pub fn reanalyze(&self, text: &str, previous: Option<(&str, &Analysis)>) -> Analysis {
        let doc = DocLang::new(text);
        // Room for the line breaks of news text, which has one every 130 bytes or so, and for
        // most shorter lines: growing the list one doubling at a time took a dozen copies.
        let mut line_breaks = Vec::with_capacity(text.len() / 64 + 1);
        let cuts = pieces::pieces_and_breaks(
            text,
            |word| self.matcher.ends_piece_after(word),
            &mut line_breaks,
        );
        let reused = previous.map_or_else(
            || vec![None; cuts.len()],
            |(old_text, old)| old.reusable(old_text, text, &cuts),
        );
        // Articles hold about one mention for each hundred bytes: room for most of them at
        // once, rather than growing the vector through every power of two.
        let mut mentions: Vec<Mention> = Vec::with_capacity(text.len() / 80);
        let mut sites: Vec<usize> = Vec::new();
        let mut pieces = Vec::with_capacity(cuts.len());
        let mut matched_pieces = 0;
        let mut scratch = crate::matcher::Scratch::default();
        for (range, reuse) in cuts.into_iter().zip(reused) {
            let first = mentions.len();
            let first_site = sites.len();
            let old_piece = match (reuse, previous) {
                (Some(i), Some((_, old))) => {
                    let p = &old.pieces[i];
                    p.lang.is_none_or(|l| l == doc.get()).then_some((old, p))
                }
                _ => None,
            };
            let lang = match old_piece {
                Some((old, p)) => {
                    old.raw_mentions(p, &mut mentions, range.start);
                    let shift = |at: usize| at - p.range.start + range.start;
                    sites.extend(old.sites[p.sites.clone()].iter().map(|&at| shift(at)));
                    p.lang
                }
                None => {
                    matched_pieces += 1;
                    doc.take_used();
                    let piece = &text[range.clone()];
                    self.matcher.find_in(
                        &self.lexicon,
                        piece,
                        &doc,
                        &mut scratch,
                        &mut mentions,
                        range.start,
                    );
                    let lang = doc.take_used().then(|| doc.get());
                    // `get` above marked the language as used again.
                    doc.take_used();
                    sites.extend(scratch.sites().iter().map(|&at| at + range.start));
                    lang
                }
            };
            pieces.push(Piece {
                range,
                mentions: first..mentions.len(),
                sites: first_site..sites.len(),
                lang,
            });
        }
        let definitions = find_definitions(&self.lexicon, text, &mentions);
        let mut defined_by = vec![None; mentions.len()];
        let mut unbound = Vec::new();
        // A definition binds its acronym for the rest of the document: ambiguous later
        // mentions of it take the defined sense. Each mention looks up the definitions of
        // its own text, so this stays linear in the number of mentions.
        // Keys borrow the acronyms as written, which are nearly always their normal form.
        let mut binding: Map<std::borrow::Cow<str>, Vec<(usize, EntityRef)>> = Map::default();
        // What a mention must have for a definition to bind it: the definition's acronym as
        // its span, or the bound record among its candidates. The acronyms by start; the
        // records as a set of their numbers modulo 256, which may hold others.
        let mut shorts: Vec<Range<usize>> = Vec::new();
        let mut records = [0u64; 4];
        let record_bit = |r: crate::lexicon::RecordId| (r.0 as usize / 64 % 4, 1 << (r.0 % 64));
        for (di, d) in definitions.iter().enumerate() {
            if let Some(bound) = d.bound(&self.lexicon) {
                let key = normalized_str(&d.short_text, Fold::None);
                binding.entry(key).or_default().push((di, bound));
                shorts.push(d.short.clone());
                let (word, bit) = record_bit(bound.record);
                records[word] |= bit;
            }
        }
        shorts.sort_by_key(|r| r.start);
        // The first of `shorts` that does not start before the mention: mentions come in
        // order, so this only moves on.
        let mut next_short = 0;
        if !binding.is_empty() {
            let longest = binding.keys().map(|k| k.len()).max().unwrap_or(0);
            // The ASCII bytes the keys start with: most mentions start with a letter that
            // none of a document's few acronyms does, and need not be normalised to tell.
            let firsts = binding
                .keys()
                .filter_map(|k| k.bytes().next())
                .filter(u8::is_ascii)
                .fold(0u128, |set, b| set | 1 << b);
            for (mi, m) in mentions.iter_mut().enumerate() {
                // Most mentions name nothing a definition binds (`Hà Nội` in a document that
                // defines `ASC`): they are passed over without reading their text.
                while shorts
                    .get(next_short)
                    .is_some_and(|r| r.start < m.span.start)
                {
                    next_short += 1;
                }
                let is_short = shorts[next_short..]
                    .iter()
                    .take_while(|r| r.start == m.span.start)
                    .any(|r| *r == m.span);
                let bound = |&r: &crate::lexicon::RecordId| {
                    let (word, bit) = record_bit(r);
                    records[word] & bit != 0
                };
                if !is_short && !m.candidates.iter().any(bound) {
                    continue;
                }
                let raw = singular(&text[m.span.clone()]);
                if raw.len() > longest * 4
                    || first_byte_kept(raw).is_some_and(|b| firsts & 1 << b == 0)
                {
                    continue;
                }
                // Acronyms are nearly always plain ASCII, already in normal form.
                let defs = if raw.bytes().all(|b| b.is_ascii_graphic()) {
                    binding.get(raw)
                } else {
                    binding.get(normalized_str(raw, Fold::None).as_ref())
                };
                let Some(defs) = defs else {
                    continue;
                };
                // The last definition at or before this mention decides.
                let Some(&(di, bound)) = defs
                    .iter()
                    .rev()
                    .find(|(di, _)| definitions[*di].short.start <= m.span.start)
                else {
                    continue;
                };
                let d = &definitions[di];
                if m.span == d.short || m.candidates.contains(&bound.record) {
                    if m.is_ambiguous() {
                        let candidates =
                            std::mem::replace(&mut m.candidates, smallvec::smallvec![bound.record]);
                        unbound.push((mi, m.entity, candidates));
                        m.entity = bound;
                    }
                    defined_by[mi] = Some(di);
                }
            }
        }
        let lang = std::sync::OnceLock::new();
        if let Some(l) = doc.detected() {
            let _ = lang.set(l);
        }
        Analysis {
            mentions,
            definitions,
            defined_by,
            lang,
            pieces,
            sites,
            unbound,
            matched_pieces,
            line_breaks: Some(line_breaks),
        }
    }
}

/// A piece of the analysed text and its mentions.
#[derive(Clone, Debug)]
struct Piece {
    /// Byte range in the text.
    range: Range<usize>,
    /// Its mentions: a range of [`Analysis::mentions`].
    mentions: Range<usize>,
    /// Its sites: a range of [`Analysis::sites`].
    sites: Range<usize>,
    /// The document's language, when the piece's mentions depended on it.
    lang: Option<Lang>,
}

/// What a text mentions and defines.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Mentions in text order, without overlaps.
    pub mentions: Vec<Mention>,
    /// In-document definitions in text order.
    pub definitions: Vec<Definition>,
    /// For each mention, the definition that binds it (the acronym was spelled out before,
    /// or this mention is the definition's acronym).
    pub defined_by: Vec<Option<usize>>,
    /// The text's language, detected once on first use ([`Analysis::lang`]).
    lang: std::sync::OnceLock<Lang>,
    /// The pieces the text was matched in, for [`Engine::reanalyze`].
    pieces: Vec<Piece>,
    /// Where the text may hold writing the view rewrote ([`Analysis::normalization`]):
    /// the sites of the views of its pieces ([`crate::normalize::Normalized::sites`]), in
    /// offsets of the text.
    sites: Vec<usize>,
    /// Mentions a definition bound: (index, entity and candidates before binding).
    unbound: Vec<(usize, EntityRef, Candidates)>,
    /// How many pieces were matched; the others were reused from a previous analysis.
    matched_pieces: usize,
    /// Where each `\n` and `\r` of the text is, in order, found while cutting it into
    /// pieces ([`Analysis::line_breaks`]); none in an analysis made otherwise (a default one).
    line_breaks: Option<Vec<usize>>,
}

impl Analysis {
    /// How many pieces of the text were matched, and how many it has: an analysis that
    /// reused a previous one matched only the pieces an edit changed.
    pub fn matched_pieces(&self) -> (usize, usize) {
        (self.matched_pieces, self.pieces.len())
    }

    /// For each piece of the new `text` (`cuts`), the piece of this analysis, of `old_text`,
    /// that has the same text, if the edit left it alone: the pieces before the first
    /// difference and after the last.
    fn reusable(&self, old_text: &str, text: &str, cuts: &[Range<usize>]) -> Vec<Option<usize>> {
        let mut out = vec![None; cuts.len()];
        let old = &self.pieces;
        let same =
            |i: usize, j: usize| old_text.get(old[i].range.clone()) == text.get(cuts[j].clone());
        let mut front = 0;
        while front < old.len() && front < cuts.len() && same(front, front) {
            out[front] = Some(front);
            front += 1;
        }
        let (mut i, mut j) = (old.len(), cuts.len());
        while i > front && j > front && same(i - 1, j - 1) {
            out[j - 1] = Some(i - 1);
            i -= 1;
            j -= 1;
        }
        out
    }

    /// Appends the mentions of `piece` as matched, before definitions bound any, moved to a
    /// piece that starts at `start`.
    fn raw_mentions(&self, piece: &Piece, out: &mut Vec<Mention>, start: usize) {
        let shift = |at: usize| at - piece.range.start + start;
        let first = self
            .unbound
            .partition_point(|(i, ..)| *i < piece.mentions.start);
        let mut unbound = self.unbound[first..].iter().peekable();
        for (i, m) in self.mentions[piece.mentions.clone()].iter().enumerate() {
            let i = piece.mentions.start + i;
            let mut m = m.clone();
            if let Some((_, entity, candidates)) = unbound.next_if(|(u, ..)| *u == i) {
                m.entity = *entity;
                m.candidates.clone_from(candidates);
            }
            m.span = shift(m.span.start)..shift(m.span.end);
            out.push(m);
        }
    }

    /// What the mixed-normalisation rule needs to know of the non-canonical writing in the
    /// analysed `text` ([`crate::normalize::inspect_sites`]): found from where the views the
    /// text was matched on rewrote something, without reading the whole text again.
    pub fn normalization(&self, text: &str) -> NormalizationReport {
        inspect_sites(text, &self.sites)
    }

    /// Where each `\n` and `\r` of the analysed text is, in order, when the analysis knows:
    /// the rules' line numbers and headlines read them ([`crate::rules::prose::LineNumbers`])
    /// rather than searching the text for them again.
    pub fn line_breaks(&self) -> Option<&[usize]> {
        self.line_breaks.as_deref()
    }

    /// The language of the analysed `text` (detected on the first call, then remembered).
    pub fn lang(&self, text: &str) -> Lang {
        *self.lang.get_or_init(|| detect_language(text))
    }

    /// The mention covering byte `offset` (start inclusive, end inclusive so that a cursor
    /// just after a word still finds it).
    pub fn mention_at(&self, offset: usize) -> Option<(usize, &Mention)> {
        let i = self.mentions.partition_point(|m| m.span.end < offset);
        let m = self.mentions.get(i)?;
        (m.span.start <= offset && offset <= m.span.end).then_some((i, m))
    }

    /// Mentions of the same entity (the same record and edition).
    pub fn mentions_of(&self, e: EntityRef) -> impl Iterator<Item = (usize, &Mention)> {
        self.mentions
            .iter()
            .enumerate()
            .filter(move |(_, m)| m.entity == e)
    }

    /// The definition whose acronym or long form covers `span`, if any.
    pub fn definition_covering(&self, span: &std::ops::Range<usize>) -> Option<&Definition> {
        self.definitions.iter().find(|d| {
            (d.short.start <= span.start && span.end <= d.short.end)
                || (d.long.start <= span.start && span.end <= d.long.end)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/articles/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).expect("fixture")
    }

    /// What an analysis says, for comparing two.
    fn summary(a: &Analysis) -> (Vec<Mention>, Vec<Definition>, Vec<Option<usize>>) {
        (
            a.mentions.clone(),
            a.definitions.clone(),
            a.defined_by.clone(),
        )
    }

    #[test]
    fn reanalysis_after_an_edit_equals_a_fresh_analysis_and_reuses_the_rest() {
        let engine = Engine::embedded();
        // Shipped aliases go on after `TP.` and `No.`, not after an ordinary word.
        assert!(!engine.matcher().ends_piece_after("TP"));
        assert!(!engine.matcher().ends_piece_after("No"));
        assert!(engine.matcher().ends_piece_after("Hanoi"));
        for name in [
            "en_amiclc_launch.txt",
            "en_asc_defined.txt",
            "en_crlf_bom.txt",
            "vi_macosa_meeting.txt",
            "vi_party_congress.txt",
            "vi_decomposed_nfd.txt",
        ] {
            let old = fixture(name).repeat(3);
            let before = engine.analyze(&old);
            let (_, total) = before.matched_pieces();
            assert!(total >= 6, "{name}: {total} pieces");
            // Edits at several places: a word typed, a name deleted, a paragraph split and
            // joined, an acronym defined earlier.
            let mid = old.len() / 2;
            let mid = (mid..old.len()).find(|&i| old.is_char_boundary(i)).unwrap();
            let asc = old.find("ASC").unwrap_or(mid);
            let edits: Vec<(std::ops::Range<usize>, &str)> = vec![
                (mid..mid, "x"),
                (mid..mid, " AMMTC "),
                (mid..mid, ".\n\n"),
                (0..0, "ASEAN Security Community (ASC) news.\n"),
                (asc..asc + 3, ""),
                (old.len()..old.len(), "\nINTERPOL."),
            ];
            for (range, insert) in edits {
                let mut new = old.clone();
                new.replace_range(range.clone(), insert);
                let fresh = engine.analyze(&new);
                let again = engine.reanalyze(&new, Some((&old, &before)));
                assert_eq!(
                    summary(&again),
                    summary(&fresh),
                    "{name}: {range:?} {insert:?}"
                );
                assert_eq!(
                    again.normalization(&new),
                    crate::normalize::inspect(&new),
                    "{name}: {range:?} {insert:?}"
                );
                let (matched, total) = again.matched_pieces();
                assert!(
                    matched * 3 <= total,
                    "{name}: {range:?} {insert:?} matched {matched} of {total} pieces"
                );
            }
        }
    }

    #[test]
    fn the_analysis_knows_what_inspect_finds_in_every_fixture() {
        let engine = Engine::embedded();
        let dir = format!("{}/tests/fixtures/articles", env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let Ok(text) = std::fs::read_to_string(entry.expect("an entry").path()) else {
                continue;
            };
            // With the new tone placement, for the fixtures in the old one.
            let mixed = format!("{text}\n\nHoà Bình khoẻ.\n");
            for t in [&text, &mixed] {
                assert_eq!(
                    engine.analyze(t).normalization(t),
                    crate::normalize::inspect(t),
                    "{t:?}"
                );
            }
            read += 1;
        }
        assert!(read >= 10, "{read} fixtures");
    }

    #[test]
    fn reanalysis_keeps_language_dependent_mentions_right() {
        // `NAM` is English-only (the Non-Aligned Movement): the same paragraph names it in
        // an English text and not in a Vietnamese one.
        let engine = Engine::embedded();
        let para = "Leaders of NAM met.\n\n";
        let en = format!("{para}The ASEAN ministers met in Hanoi.\n");
        let vi = format!(
            "{para}{}",
            "Hội nghị các Bộ trưởng ASEAN họp tại Hà Nội. ".repeat(20)
        );
        let names_nam = |a: &Analysis| {
            a.mentions
                .iter()
                .any(|m| engine.lexicon().record(m.entity.record).id == "nam")
        };
        let before = engine.analyze(&en);
        assert!(names_nam(&before));
        let again = engine.reanalyze(&vi, Some((&en, &before)));
        assert!(!names_nam(&again));
        assert_eq!(summary(&again), summary(&engine.analyze(&vi)));
    }

    #[test]
    fn a_mention_never_spans_a_blank_line_but_spans_a_wrapped_line() {
        let engine = Engine::embedded();
        let ids = |t: &str| -> Vec<String> {
            engine
                .analyze(t)
                .mentions
                .iter()
                .map(|m| engine.lexicon().record(m.entity.record).id.clone())
                .collect()
        };
        let wrapped = ids("the Association of Southeast\nAsian Nations met");
        assert_eq!(wrapped, ["asean"]);
        assert!(ids("the Association of Southeast\n\nAsian Nations met").is_empty());
    }

    /// Found by the property tests (issue 8): decomposed Vietnamese was taken for English,
    /// so English-only aliases (`NAM`, the Non-Aligned Movement) became mentions in it.
    #[test]
    fn regression_issue8_decomposed_vietnamese_is_vietnamese() {
        use unicode_normalization::UnicodeNormalization;
        let nfc = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM. Hội nghị các nước NAM họp tại Hà Nội.";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(detect_language(&nfd), Lang::Vi);
        let engine = Engine::embedded();
        let ids = |t: &str| -> Vec<String> {
            let a = engine.analyze(t);
            a.mentions
                .iter()
                .map(|m| engine.lexicon().record(m.entity.record).id.clone())
                .collect()
        };
        assert_eq!(ids(&nfd), ids(nfc));
        assert!(!ids(&nfd).contains(&"nam".to_owned()));
    }
}
