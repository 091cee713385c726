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
use std::ops::Range;

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
            1 + count_chars(&text.as_bytes()[first..offset])
        } else if mark.offset <= offset {
            mark.column + count_chars(&text.as_bytes()[mark.offset..offset])
        } else if offset - first <= mark.offset - offset {
            1 + count_chars(&text.as_bytes()[first..offset])
        } else {
            mark.column - count_chars(&text.as_bytes()[offset..mark.offset])
        };
        slot.set(Mark {
            line,
            offset,
            column,
        });
        (line as u32 + 1, column)
    }
}

/// The places of many spans of a text, found together: the spans are asked first, then
/// answered all at once, in one pass over the text up to the furthest, then read in the
/// order asked.
///
/// A report asks for the places of every finding, fix edit and related span of a file,
/// and answers them before writing the file's first record. The spans come in nearly any
/// order (a finding's related places lie before it and after it: two look-ups of three
/// went back before the furthest one asked in `lexls lint`'s sample), but sorted they are
/// answered by a cursor that only moves forward, counting the line breaks and characters
/// in between sixteen bytes at a time, with no table of line starts (making that table,
/// then a binary search and a character count from a line start per look-up, took about
/// 420 instructions a look-up with [`LineIndex`]). A short span's end is counted from its
/// start, so only its start is sorted.
#[derive(Default)]
pub struct SpanPlaces {
    /// The offsets to visit, each with the number of its span below it (its low 32 bits):
    /// every span's start, and the end of a span that is not short (with [`END`] in the
    /// number). So sorted, they are in text order, in texts under 4 GB.
    visits: Vec<u64>,
    /// The spans asked, in order.
    spans: Vec<Range<usize>>,
    /// Their places when answered: 1-based line and column of the start, then of the end.
    places: Vec<[u32; 4]>,
}

/// The mark of a span's end among [`SpanPlaces::visits`].
const END: u32 = 1 << 31;

/// The longest span whose end is counted from its start, in bytes.
const SHORT_SPAN: usize = 64;

impl SpanPlaces {
    /// Forgets the spans and places, to ask about another text.
    pub fn clear(&mut self) {
        self.visits.clear();
        self.spans.clear();
        self.places.clear();
    }

    /// Asks for the place of `span`: its answer is number [`SpanPlaces::len`] before it is
    /// asked.
    #[inline]
    pub fn ask(&mut self, span: &Range<usize>) {
        let n = self.spans.len() as u64;
        assert!(n < u64::from(END), "too many spans for one text");
        self.visits
            .push((span.start.min(u32::MAX as usize) as u64) << 32 | n);
        if !is_short(span) {
            self.visits
                .push((span.end.min(u32::MAX as usize) as u64) << 32 | n | u64::from(END));
        }
        self.spans.push(span.clone());
    }

    /// How many spans have been asked.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Finds the places of the spans asked in `text`, as [`LineIndex::line_col`] gives
    /// them: 1-based lines and columns in characters, a BOM not a column, an offset inside
    /// a character at its start and one past the end at the end.
    pub fn answer(&mut self, text: &str) {
        if text.len() < u32::MAX as usize {
            self.visits.sort_unstable();
        } else {
            let spans = &self.spans;
            self.visits
                .sort_unstable_by_key(|&visit| visited(spans, visit as u32));
        }
        self.places.clear();
        self.places.resize(self.spans.len(), [1; 4]);
        let bytes = text.as_bytes();
        // The cursor. The first column of the text is after a BOM: an offset before it is
        // in the BOM, at line 1, column 1.
        let mut at = Place {
            offset: strip_bom(text).1,
            line: 1,
            column: 1,
        };
        for &visit in &self.visits {
            let n = visit as u32;
            let offset = floor_char_boundary(text, visited(&self.spans, n));
            let [line, column] = if offset < at.offset {
                [1, 1]
            } else {
                if offset > at.offset {
                    at = advance(bytes, at, offset);
                }
                [at.line, at.column]
            };
            let i = (n & !END) as usize;
            if n & END != 0 {
                self.places[i][2..].copy_from_slice(&[line, column]);
                continue;
            }
            self.places[i][..2].copy_from_slice(&[line, column]);
            let span = &self.spans[i];
            if is_short(span) {
                // Counted from the start, without moving the cursor.
                let end = floor_char_boundary(text, span.end);
                let [end_line, end_column] = if end < at.offset {
                    [1, 1]
                } else {
                    let p = advance(bytes, at, end);
                    [p.line, p.column]
                };
                self.places[i][2..].copy_from_slice(&[end_line, end_column]);
            }
        }
    }

    /// The place of span `n`, in the order asked: 1-based line and column of its start,
    /// then of its end.
    #[inline]
    pub fn get(&self, n: usize) -> [u32; 4] {
        self.places[n]
    }
}

/// The offset visit `n` (a span's number, with [`END`] for its end) is at.
#[inline]
fn visited(spans: &[Range<usize>], n: u32) -> usize {
    let span = &spans[(n & !END) as usize];
    if n & END == 0 { span.start } else { span.end }
}

/// Whether the end of `span` is counted from its start (else it is visited on its own).
#[inline]
fn is_short(span: &Range<usize>) -> bool {
    span.start <= span.end && span.end - span.start <= SHORT_SPAN
}

/// A place in a text: a byte offset (a char boundary at or after the first column of its
/// line), and its 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    offset: usize,
    line: u32,
    column: u32,
}

/// The place at `to`, a char boundary at or after `from.offset`.
#[inline]
fn advance(text: &[u8], from: Place, to: usize) -> Place {
    // Places close together (a span's start and end) are counted a byte at a time, which
    // costs less than starting the searches and counts below.
    if to - from.offset <= 16 {
        let mut at = from;
        for i in from.offset..to {
            let b = text[i];
            if b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')) {
                at.line += 1;
                at.column = 1;
            } else {
                at.column += u32::from((b as i8) >= -0x40);
            }
        }
        at.offset = to;
        return at;
    }
    match last_break(text, from.offset, to) {
        None => Place {
            offset: to,
            line: from.line,
            column: from.column + count_chars(&text[from.offset..to]),
        },
        Some(at) => Place {
            offset: to,
            line: from.line + count_breaks(text, from.offset, at + 1),
            column: 1 + count_chars(&text[at + 1..to]),
        },
    }
}

/// The last line break of `text[from..to]`: a `\n`, or a `\r` not followed by `\n` (the
/// `\r` of a `\r\n` is not one, even when its `\n` is at `to`).
#[inline]
fn last_break(text: &[u8], from: usize, mut to: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memrchr2(b'\n', b'\r', &text[from..to])?;
        if text[at] == b'\n' || text.get(at + 1) != Some(&b'\n') {
            return Some(at);
        }
        to = at;
    }
}

/// The line breaks that end at or before `to`, from `from`: each `\n`, and each `\r` not
/// followed by `\n` (the byte at `to` counts as the one after).
fn count_breaks(text: &[u8], from: usize, to: usize) -> u32 {
    let bytes = &text[from..to];
    if memchr::memchr(b'\r', bytes).is_none() {
        return count_bytes(bytes, |b| b == b'\n');
    }
    // Each byte with the one after it; `after` is a byte shorter than `bytes` when `to` is
    // the end of the text.
    let after = &text[(from + 1).min(to)..(to + 1).min(text.len())];
    let full = after.len();
    let mut n = 0;
    for (chunk, next) in bytes[..full].chunks(CHUNK).zip(after.chunks(CHUNK)) {
        let c = chunk.iter().zip(next).fold(0u8, |n, (&b, &next)| {
            let lone_cr = (b == b'\r') & (next != b'\n');
            n.wrapping_add(u8::from((b == b'\n') | lone_cr))
        });
        n += u32::from(c);
    }
    if full < bytes.len() {
        n += u32::from(matches!(bytes[full], b'\n' | b'\r'));
    }
    n
}

/// The characters of `s` (whole characters of a `str`), as a column count: its bytes but
/// the continuation bytes of UTF-8.
#[inline]
fn count_chars(s: &[u8]) -> u32 {
    (s.len() - count_bytes(s, |b| (b as i8) < -0x40) as usize) as u32
}

/// The bytes of `s` that are `wanted`. The counting loops are simple enough for the
/// compiler to compare sixteen bytes at a time and keep sixteen counts in a vector, one per
/// lane, in bytes: a chunk is at most 255 bytes so that no count overflows, and a multiple
/// of 32 so that no chunk but the last has a tail counted a byte at a time.
#[inline(always)]
fn count_bytes(s: &[u8], wanted: impl Fn(u8) -> bool) -> u32 {
    let mut n = 0;
    for chunk in s.chunks(CHUNK) {
        let c = chunk
            .iter()
            .fold(0u8, |n, &b| n.wrapping_add(u8::from(wanted(b))));
        n += u32::from(c);
    }
    n
}

/// The bytes [`count_bytes`] and [`count_breaks`] count at a time, as explained there.
const CHUNK: usize = 224;

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

    /// The characters the property tests build texts of: ASCII, line breaks of each kind,
    /// Vietnamese composed and decomposed, a line separator, a BOM, and characters of two
    /// UTF-16 units and of three UTF-8 bytes.
    const TEXT_CHARS: [char; 14] = [
        'a', 'Z', ' ', '\n', '\r', '\t', 'à', 'Đ', 'ộ', '\u{301}', '\u{2028}', '\u{FEFF}', '🇻',
        '中',
    ];

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

    /// What [`LineIndex::line_col`] answers, counted from the start of the text: the line
    /// breaks before the offset, and the characters from the line's start (after a BOM).
    fn naive_line_col(text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset);
        let b = text.as_bytes();
        let is_break = |i: usize| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
        let breaks = (0..offset).filter(|&i| is_break(i)).count();
        let start = (0..offset)
            .rev()
            .find(|&i| is_break(i))
            .map_or(0, |i| i + 1);
        let upto = &text[start..offset];
        let upto = if start == 0 {
            upto.strip_prefix('\u{FEFF}').unwrap_or(upto)
        } else {
            upto
        };
        (breaks as u32 + 1, upto.chars().count() as u32 + 1)
    }

    /// Texts to find places in: a byte-order mark, every kind of line break, Vietnamese and
    /// an emoji, empty ones, a line of `line` short pieces and `lines` times a few lines.
    fn place_texts(line: usize, lines: usize) -> Vec<String> {
        let mut texts: Vec<String> = [
            "\u{FEFF}Hà Nội và AMIC\r\nhai dòng\rba\n\nnăm",
            "AMIC họp ở Hà Nội; 🇻🇳 rồi ASEAN\nSOMTC",
            "\r\r\n\n\r",
            "a\r",
            "\u{FEFF}",
            "",
        ]
        .map(String::from)
        .into();
        texts.push("Hà Nội và AMIC 🇻🇳 ".repeat(line));
        texts.push("Hội nghị\r\nAMIC\rhọp\n\n".repeat(lines));
        texts
    }

    #[test]
    fn line_index_look_ups_in_any_order_count_from_the_line_start() {
        // The long texts longer than a mark's stretch, with and without line breaks.
        let texts = place_texts(700, 600);
        let mut state: u64 = 1;
        for t in texts.iter().map(String::as_str) {
            let ix = LineIndex::new(t);
            // Increasing offsets (the common case, the cursor moving forward), then a
            // pseudo-random order, then decreasing offsets.
            for offset in 0..=t.len() + 1 {
                assert_eq!(
                    ix.line_col(t, offset),
                    naive_line_col(t, offset),
                    "{t:?} at {offset}"
                );
            }
            let ix = LineIndex::new(t);
            for _ in 0..500 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let offset = (state >> 33) as usize % (t.len() + 1);
                assert_eq!(
                    ix.line_col(t, offset),
                    naive_line_col(t, offset),
                    "{t:?} at {offset}"
                );
            }
            let ix = LineIndex::new(t);
            for offset in (0..=t.len()).rev().step_by(7) {
                assert_eq!(
                    ix.line_col(t, offset),
                    naive_line_col(t, offset),
                    "{t:?} at {offset}"
                );
            }
        }
    }

    /// The counts sixteen bytes at a time are what counting one byte at a time gives, at
    /// every start and end, around the blocks' and the lanes' limits.
    #[test]
    fn block_counts_are_byte_counts() {
        let unit = "a\r\nà\rĐ\n🇻\r\r\n\n中 ";
        let text = unit.repeat(16 * 256 / unit.len() + 40);
        let b = text.as_bytes();
        let breaks = |from: usize, to: usize| {
            (from..to)
                .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
                .count() as u32
        };
        for from in (0..40).chain([b.len() - 40, b.len()]) {
            for to in (from..b.len().min(from + 40)).chain([b.len() - 1, b.len()]) {
                if to < from {
                    continue;
                }
                assert_eq!(count_breaks(b, from, to), breaks(from, to), "{from}..{to}");
                let s = &b[from..to];
                let chars = s.iter().filter(|&&c| (c as i8) >= -0x40).count() as u32;
                assert_eq!(count_chars(s), chars, "{from}..{to}");
            }
        }
        // A run of line breaks longer than a lane can count without summing.
        let lf = "\n".repeat(16 * 300 + 5);
        assert_eq!(count_breaks(lf.as_bytes(), 0, lf.len()), lf.len() as u32);
        let cr = "\r".repeat(16 * 300 + 5);
        assert_eq!(count_breaks(cr.as_bytes(), 0, cr.len()), cr.len() as u32);
        let crlf = "\r\n".repeat(16 * 300 + 5);
        assert_eq!(
            count_breaks(crlf.as_bytes(), 0, crlf.len()),
            crlf.len() as u32 / 2
        );
        let vi = "ộ".repeat(16 * 300 + 5);
        assert_eq!(count_chars(vi.as_bytes()), 16 * 300 + 5);
    }

    proptest::proptest! {
        /// Look-ups in any order, mostly near each other as a report makes them (a
        /// finding's start and end, then a related place further up), give what counting
        /// from the line start gives.
        #[test]
        fn line_index_marks_give_the_counts_from_the_line_start(
            bom in proptest::prelude::any::<bool>(),
            chars in proptest::collection::vec(
                proptest::sample::select(TEXT_CHARS.to_vec()),
                0..300,
            ),
            offsets in proptest::collection::vec(0usize..1200, 0..40),
        ) {
            let text: String = bom
                .then_some('\u{FEFF}')
                .into_iter()
                .chain(chars)
                .collect();
            let ix = LineIndex::new(&text);
            for offset in offsets {
                // Offsets past the end are clamped, and some fall inside a character.
                let offset = offset % (text.len() + 2);
                proptest::prop_assert_eq!(ix.line_col(&text, offset), naive_line_col(&text, offset));
                let near = offset.saturating_sub(5);
                proptest::prop_assert_eq!(ix.line_col(&text, near), naive_line_col(&text, near));
            }
        }
    }

    /// Spans of `text` of every kind: empty, short, long, reversed, past the end, inside a
    /// character, in any order (`state` drives a pseudo-random choice).
    fn spans_of(text: &str, state: &mut u64, n: usize) -> Vec<Range<usize>> {
        let mut next = |m: usize| {
            *state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (*state >> 33) as usize % m
        };
        (0..n)
            .map(|_| {
                let start = next(text.len() + 3);
                let len = match next(4) {
                    0 => 0,
                    1 => next(20),
                    2 => next(SHORT_SPAN + 40),
                    _ => next(text.len() + 3),
                };
                if next(10) == 0 {
                    start..start.saturating_sub(len)
                } else {
                    start..start + len
                }
            })
            .collect()
    }

    #[test]
    fn span_places_are_what_line_col_gives() {
        let texts = place_texts(40, 40);
        let mut state = 7;
        let mut places = SpanPlaces::default();
        for t in texts.iter().map(String::as_str) {
            for n in [0, 1, 2, 10, 200] {
                let spans = spans_of(t, &mut state, n);
                places.clear();
                for span in &spans {
                    places.ask(span);
                }
                assert_eq!(places.len(), spans.len());
                places.answer(t);
                for (i, span) in spans.iter().enumerate() {
                    let (line, column) = naive_line_col(t, span.start);
                    let (end_line, end_column) = naive_line_col(t, span.end);
                    assert_eq!(
                        places.get(i),
                        [line, column, end_line, end_column],
                        "{t:?} {span:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn span_places_are_counted_from_the_start(
            bom in proptest::prelude::any::<bool>(),
            chars in proptest::collection::vec(
                proptest::sample::select(TEXT_CHARS.to_vec()),
                0..400,
            ),
            seed in proptest::prelude::any::<u64>(),
            n in 0usize..60,
        ) {
            let text: String = bom
                .then_some('\u{FEFF}')
                .into_iter()
                .chain(chars)
                .collect();
            let mut state = seed;
            let spans = spans_of(&text, &mut state, n);
            let mut places = SpanPlaces::default();
            for span in &spans {
                places.ask(span);
            }
            places.answer(&text);
            for (i, span) in spans.iter().enumerate() {
                let (line, column) = naive_line_col(&text, span.start);
                let (end_line, end_column) = naive_line_col(&text, span.end);
                proptest::prop_assert_eq!(places.get(i), [line, column, end_line, end_column]);
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
