//! Exports: an article's analysis for people and other tools — an HTML page per article and
//! an index of pages ([`html`]), brat standoff ([`brat`]), token-level BIO tags ([`conll`]) —
//! and the lexicon for other pipelines: spaCy EntityRuler patterns ([`spacy`]) and a
//! gazetteer TSV ([`tsv`]).
//!
//! Everything here is pure: functions take a text and its analysis (byte offsets, as the
//! core reports them) and return a `String` or write into a `&mut dyn Write`. File names,
//! folders and stdout are the CLI's business (`cli::annotate`, `cli::lexicon`).

pub mod brat;
pub mod conll;
pub mod html;
pub mod spacy;
pub mod tsv;

use std::cell::Cell;

use crate::lexicon::{CaseRule, EntityRef, Kind, Lang, Lexicon, RecordId};

/// The short label of a kind, used as the BIO tag suffix in CoNLL (`B-ORG`) and as the
/// spaCy label: `ORG`, `SERIES`, `MEETING`, `PER`, `LOC`, `DOC`, `TERM`.
pub fn tag(kind: Kind) -> &'static str {
    match kind {
        Kind::Organisation => "ORG",
        Kind::Series => "SERIES",
        Kind::Meeting => "MEETING",
        Kind::Person => "PER",
        Kind::Place => "LOC",
        Kind::Document => "DOC",
        Kind::Term => "TERM",
    }
}

/// The text without a leading byte order mark, and the BOM's length in bytes (0 or 3).
pub fn strip_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    }
}

/// Line starts of a text, for many line/column look-ups. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as in LSP.
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last look-ups on a few lines (line `l` in slot `l % MARKS`), from which the next
    /// look-up on the same line counts characters, forwards or backwards, whichever is
    /// shorter. Lines are often whole paragraphs, and look-ups come back to earlier lines
    /// (a finding's related place is often a definition further up). Without them, a long
    /// line with many findings was quadratic (a 2 MB line with 20,000 findings took 2.9 s
    /// to report).
    marks: [Cell<Mark>; MARKS],
    /// The line of the last look-up: findings come in text order, so the next one is
    /// nearly always on it, found without a search.
    last_line: Cell<usize>,
}

/// Lines whose last look-up [`LineIndex`] keeps.
const MARKS: usize = 8;

/// A look-up [`LineIndex::line_col`] answered: the line (0-based), a byte offset on it at
/// or after its first column, and the offset's column. `line` is `usize::MAX` in a slot
/// not used yet.
#[derive(Clone, Copy)]
struct Mark {
    line: usize,
    offset: usize,
    column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        // Articles have a line break every hundred bytes or so (paragraphs, blank lines).
        let mut starts = Vec::with_capacity(b.len() / 128 + 1);
        starts.push(0);
        // One pass for both line break bytes, many bytes at a step (this runs on every file
        // `lexls lint` reports on, and most of them have a `\r` somewhere).
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        let unused = Cell::new(Mark {
            line: usize::MAX,
            offset: 0,
            column: 1,
        });
        LineIndex {
            starts,
            marks: std::array::from_fn(|_| unused.clone()),
            last_line: Cell::new(0),
        }
    }

    /// 1-based line and column in characters of a byte offset; a BOM is not a column.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset);
        let last = self.last_line.get();
        let on_last_line = self.starts[last] <= offset
            && self.starts.get(last + 1).is_none_or(|&next| offset < next);
        let line = if on_last_line {
            last
        } else {
            self.starts.partition_point(|&s| s <= offset) - 1
        };
        self.last_line.set(line);
        // The line's first column: after a BOM on the first line.
        let first = if line == 0 && text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            self.starts[line]
        };
        if offset <= first {
            // In a BOM, or at the line's start.
            return (line as u32 + 1, 1);
        }
        let slot = &self.marks[line % MARKS];
        let mark = slot.get();
        let column = if mark.line != line {
            1 + count_chars(&text[first..offset])
        } else if mark.offset <= offset {
            mark.column + count_chars(&text[mark.offset..offset])
        } else if offset - first <= mark.offset - offset {
            1 + count_chars(&text[first..offset])
        } else {
            mark.column - count_chars(&text[offset..mark.offset])
        };
        slot.set(Mark {
            line,
            offset,
            column,
        });
        (line as u32 + 1, column)
    }
}

/// The characters of `s`, as a column count.
#[inline]
fn count_chars(s: &str) -> u32 {
    s.chars().count() as u32
}

/// The largest char boundary at or before `i` (clamped to the text).
pub(crate) fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offsets to character offsets (Unicode scalar values), for offsets asked in
/// increasing order: linear over the text however many offsets are converted.
pub(crate) struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        CharCursor {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte `offset` (a char boundary of the text). Offsets before
    /// the last one asked restart from the beginning.
    pub(crate) fn at(&mut self, offset: usize) -> usize {
        let offset = floor_char_boundary(self.text, offset);
        if offset < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..offset].chars().count();
        self.byte = offset;
        self.chars
    }
}

/// How a form of the lexicon is used by the matcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormType {
    /// A canonical name (`name.en`, `name.vi`).
    Name,
    /// An acronym.
    Acronym,
    /// An alias.
    Alias,
    /// A series alias that names the series only when an edition number follows
    /// (`Đại hội` in `Đại hội XIII`); not usable as a plain pattern.
    EditionAlias,
    /// A document number (`24-NQ/TW`).
    Number,
    /// A known misspelling (`ASEANPOL`).
    Misspelling,
    /// A person's or place's name without diacritics (`Bui Van Nam`).
    Folded,
    /// A meeting's acronym or name derived from its series and edition (`AMIM-17`).
    Edition,
}

impl FormType {
    pub fn as_str(self) -> &'static str {
        match self {
            FormType::Name => "name",
            FormType::Acronym => "acronym",
            FormType::Alias => "alias",
            FormType::EditionAlias => "edition-alias",
            FormType::Number => "number",
            FormType::Misspelling => "misspelling",
            FormType::Folded => "folded",
            FormType::Edition => "edition",
        }
    }
}

/// One written form of a record, as the lexicon export lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form<'a> {
    pub record: RecordId,
    pub id: &'a str,
    pub kind: Kind,
    /// The language the form belongs to; `None` for forms of any language (acronyms,
    /// numbers, misspellings, aliases without `lang`).
    pub lang: Option<Lang>,
    pub text: String,
    pub case: CaseRule,
    pub ty: FormType,
}

/// Every written form of every record, in lexicon order, each record's forms in the order
/// names, acronyms, aliases, edition aliases, number, misspellings, folded forms; for a
/// meeting without its own acronym or name, the ones derived from its series
/// (`AMIM-17`, `17th ASEAN Military Intelligence Meeting`). A form repeated by one record
/// with the same case rule is listed once.
pub fn forms(lexicon: &Lexicon) -> Vec<Form<'_>> {
    let mut out: Vec<Form> = Vec::new();
    for (i, r) in lexicon.records().iter().enumerate() {
        let record = RecordId(i as u32);
        let first = out.len();
        let mut push = |lang: Option<Lang>, text: &str, case: CaseRule, ty: FormType| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            let dup = out[first..]
                .iter()
                .any(|f| f.text == text && f.case == case && f.lang == lang);
            if !dup {
                out.push(Form {
                    record,
                    id: &r.id,
                    kind: r.kind,
                    lang,
                    text: text.to_owned(),
                    case,
                    ty,
                });
            }
        };
        for lang in [Lang::En, Lang::Vi] {
            if let Some(n) = r.name.get(lang) {
                push(
                    Some(lang),
                    n,
                    crate::lexicon::default_case_of(n),
                    FormType::Name,
                );
            }
        }
        for a in &r.acronyms {
            push(None, a, CaseRule::Sensitive, FormType::Acronym);
        }
        if r.kind == Kind::Meeting {
            let e = EntityRef {
                record,
                edition: r.facts.edition,
            };
            if r.acronyms.is_empty()
                && let Some(a) = lexicon.acronym(e)
            {
                push(None, &a, CaseRule::Sensitive, FormType::Edition);
            }
            let series = r.facts.series.map(|s| lexicon.record(s));
            for lang in [Lang::En, Lang::Vi] {
                let series_named = series.is_some_and(|s| s.name.get(lang).is_some());
                if r.name.get(lang).is_none() && series_named {
                    let n = lexicon.label(e, lang);
                    push(
                        Some(lang),
                        &n,
                        crate::lexicon::default_case_of(&n),
                        FormType::Edition,
                    );
                }
            }
        }
        for a in &r.aliases {
            push(a.lang, &a.text, a.case, FormType::Alias);
        }
        for a in &r.edition_aliases {
            push(a.lang, &a.text, a.case, FormType::EditionAlias);
        }
        if let Some(n) = &r.facts.number {
            push(None, n, CaseRule::Sensitive, FormType::Number);
        }
        for m in &r.misspellings {
            push(None, m, CaseRule::Sensitive, FormType::Misspelling);
        }
        for f in crate::lexicon::folded_forms(r) {
            push(
                None,
                &f,
                crate::lexicon::default_case_of(&f),
                FormType::Folded,
            );
        }
    }
    out
}

/// An output name for each input name, unique among them and never `reserved`: the name
/// itself, else `name-2`, `name-3`…
pub fn unique_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<String> {
    let mut taken: Vec<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    for n in names {
        let base = if n.is_empty() { "article" } else { n };
        let mut name = base.to_owned();
        let mut k = 2;
        while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            name = format!("{base}-{k}");
            k += 1;
        }
        taken.push(name.clone());
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_handles_every_line_break_and_bom() {
        let t = "\u{FEFF}ab\r\ncd\ref\ngh";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 3), (1, 1));
        assert_eq!(ix.line_col(t, t.find('c').unwrap()), (2, 1));
        assert_eq!(ix.line_col(t, t.find('f').unwrap()), (3, 2));
        assert_eq!(ix.line_col(t, t.find('h').unwrap()), (4, 2));
        let v = "Hà Nội và AMIC";
        assert_eq!(
            LineIndex::new(v).line_col(v, v.find("AMIC").unwrap()),
            (1, 11)
        );
    }

    #[test]
    fn line_index_look_ups_in_any_order_count_from_the_line_start() {
        let texts = [
            "\u{FEFF}Hà Nội và AMIC\r\nhai dòng\rba\n\nnăm",
            "AMIC họp ở Hà Nội; 🇻🇳 rồi ASEAN\nSOMTC",
            "\u{FEFF}",
            "",
        ];
        let mut state: u64 = 1;
        for t in texts {
            let ix = LineIndex::new(t);
            let naive = |offset: usize| {
                let offset = floor_char_boundary(t, offset);
                let line = ix.starts.partition_point(|&s| s <= offset) - 1;
                let upto = &t[ix.starts[line]..offset];
                let upto = if line == 0 {
                    upto.trim_start_matches('\u{FEFF}')
                } else {
                    upto
                };
                (line as u32 + 1, upto.chars().count() as u32 + 1)
            };
            // Increasing offsets (the common case, which reuses the last count), then a
            // pseudo-random order.
            for offset in 0..=t.len() {
                assert_eq!(ix.line_col(t, offset), naive(offset), "{t:?} at {offset}");
            }
            for _ in 0..500 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let offset = (state >> 33) as usize % (t.len() + 1);
                assert_eq!(ix.line_col(t, offset), naive(offset), "{t:?} at {offset}");
            }
        }
    }

    proptest::proptest! {
        /// Look-ups in any order, mostly near each other as a report makes them (a
        /// finding's start and end, then a related place further up), give what counting
        /// from the line start gives.
        #[test]
        fn line_index_marks_give_the_counts_from_the_line_start(
            bom in proptest::prelude::any::<bool>(),
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'Z', ' ', '\n', '\r', '\t', 'à', 'Đ', 'ộ', '\u{301}', '\u{2028}',
                    '\u{FEFF}', '🇻', '中',
                ]),
                0..120,
            ),
            offsets in proptest::collection::vec(0usize..600, 0..40),
        ) {
            let text: String = bom
                .then_some('\u{FEFF}')
                .into_iter()
                .chain(chars)
                .collect();
            let ix = LineIndex::new(&text);
            let naive = |offset: usize| {
                let offset = floor_char_boundary(&text, offset);
                let line = ix.starts.partition_point(|&s| s <= offset) - 1;
                let upto = &text[ix.starts[line]..offset];
                let upto = if line == 0 {
                    upto.strip_prefix('\u{FEFF}').unwrap_or(upto)
                } else {
                    upto
                };
                (line as u32 + 1, upto.chars().count() as u32 + 1)
            };
            for offset in offsets {
                // Offsets past the end are clamped, and some fall inside a character.
                let offset = offset % (text.len() + 2);
                proptest::prop_assert_eq!(ix.line_col(&text, offset), naive(offset));
                let near = offset.saturating_sub(5);
                proptest::prop_assert_eq!(ix.line_col(&text, near), naive(near));
            }
        }
    }

    #[test]
    fn char_cursor_counts_scalar_values() {
        let t = "🇻🇳 Hà Nội AMIC";
        let mut c = CharCursor::new(t);
        assert_eq!(c.at(0), 0);
        assert_eq!(c.at(8), 2);
        assert_eq!(c.at(t.find("AMIC").unwrap()), 10);
        assert_eq!(c.at(8), 2, "going back restarts");
    }

    #[test]
    fn unique_names_avoid_collisions_and_reserved() {
        let got = unique_names(["a", "index", "a", "A", ""], &["index"]);
        assert_eq!(got, ["a", "index-2", "a-2", "A-3", "article"]);
    }

    #[test]
    fn every_record_has_forms() {
        let lx = Lexicon::embedded();
        let f = forms(&lx);
        for (i, r) in lx.records().iter().enumerate() {
            assert!(
                f.iter().any(|x| x.record == RecordId(i as u32)),
                "{} has no form",
                r.id
            );
        }
        let amim17: Vec<&str> = f
            .iter()
            .filter(|x| x.id == "amim-17")
            .map(|x| x.text.as_str())
            .collect();
        assert!(amim17.contains(&"AMIM-17"), "{amim17:?}");
    }
}
