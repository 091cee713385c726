//! brat standoff: an `.ann` file per text, to open a corpus in brat or INCEpTION.
//!
//! - One `T` line per mention: `T1<TAB>Organisation 10 14<TAB>AMIC`. Offsets are
//!   **character offsets** (Unicode scalar values, from 0, end exclusive) into the text
//!   **without its BOM** (the `.txt` that goes with the `.ann` is written without one); line
//!   breaks are kept as they are, so `\r\n` counts two characters.
//! - A mention written across a line break (or a tab) becomes a discontinuous span, one
//!   fragment per line, the whitespace between them left out: `T2<TAB>Place 40 44;45 48<TAB>Việt Nam`;
//!   the text field is the fragments joined by one space, as brat expects.
//! - One `N` line per mention links it to its lexicon record:
//!   `N1<TAB>Reference T1 lexls:amic<TAB>ASEAN Military Intelligence Community` (the record
//!   id; for an edition without a record, the series id, and the edition's name).
//! - An `AnnotatorNotes` comment for mentions worth a second look: ambiguous ones, known
//!   misspellings, editions without a record.

use crate::lexicon::{Kind, Lang, Lexicon};
use crate::matcher::{Mention, Via};

use super::{CharCursor, strip_bom};

/// The brat entity type of a kind (`Organisation`, `Series`, `Meeting`, `Person`, `Place`,
/// `Document`, `Term`).
pub fn entity_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Organisation => "Organisation",
        Kind::Series => "Series",
        Kind::Meeting => "Meeting",
        Kind::Person => "Person",
        Kind::Place => "Place",
        Kind::Document => "Document",
        Kind::Term => "Term",
    }
}

/// The text as the `.txt` next to the `.ann` holds it: without a BOM.
pub fn txt(text: &str) -> &str {
    strip_bom(text).0
}

/// One text-bound annotation: the fragments' character ranges and their text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragments {
    /// Character offsets into the text without its BOM.
    pub ranges: Vec<(usize, usize)>,
    /// The fragments joined by one space.
    pub text: String,
}

/// Splits a mention's byte span into the fragments brat can hold on one line: the span
/// is cut at every whitespace run that contains a line break or a tab.
pub fn fragments(text: &str, span: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let s = &text[span.clone()];
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    while i < chars.len() {
        let (b, c) = chars[i];
        if c.is_whitespace() {
            // The whole whitespace run.
            let mut j = i;
            let mut breaks = false;
            while j < chars.len() && chars[j].1.is_whitespace() {
                breaks |= is_line_break(chars[j].1) || chars[j].1 == '\t';
                j += 1;
            }
            if breaks {
                if b > start {
                    out.push(span.start + start..span.start + b);
                }
                start = chars.get(j).map_or(s.len(), |&(b, _)| b);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if start < s.len() {
        out.push(span.start + start..span.end);
    }
    out
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The `.ann` content for `text` (the file as read, BOM included) and its mentions (byte
/// spans of `text`).
pub fn ann(lexicon: &Lexicon, text: &str, mentions: &[Mention]) -> String {
    let (body, bom) = strip_bom(text);
    let mut cursor = CharCursor::new(body);
    let mut out = String::new();
    let mut notes = 0;
    for (i, m) in mentions.iter().enumerate() {
        let n = i + 1;
        let r = lexicon.record(m.entity.record);
        let frags = fragments(text, m.span.clone());
        let mut offsets = Vec::new();
        let mut written = Vec::new();
        for f in &frags {
            let (s, e) = (cursor.at(f.start - bom), cursor.at(f.end - bom));
            offsets.push(format!("{s} {e}"));
            written.push(one_line(&text[f.clone()]));
        }
        out.push_str(&format!(
            "T{n}\t{} {}\t{}\n",
            entity_type(r.kind),
            offsets.join(";"),
            written.join(" ")
        ));
        out.push_str(&format!(
            "N{n}\tReference T{n} lexls:{}\t{}\n",
            r.id,
            one_line(&lexicon.label(m.entity, Lang::En))
        ));
        for note in notes_of(lexicon, m) {
            notes += 1;
            out.push_str(&format!(
                "#{notes}\tAnnotatorNotes T{n}\t{}\n",
                one_line(&note)
            ));
        }
    }
    out
}

fn notes_of(lexicon: &Lexicon, m: &Mention) -> Vec<String> {
    let r = lexicon.record(m.entity.record);
    let mut notes = Vec::new();
    if m.is_ambiguous() {
        let ids: Vec<&str> = m
            .candidates
            .iter()
            .map(|c| lexicon.record(*c).id.as_str())
            .collect();
        notes.push(format!("ambiguous: {}", ids.join(", ")));
    }
    if m.via == Via::Misspelling {
        let preferred = lexicon
            .acronym(m.entity)
            .unwrap_or_else(|| lexicon.label(m.entity, Lang::En));
        notes.push(format!("known misspelling of {preferred}"));
    }
    if r.kind == Kind::Series
        && let Some(e) = m.entity.edition
    {
        notes.push(format!("edition {e} of {}, no record of its own", r.id));
    }
    notes
}

/// Tabs and line breaks would end a field or a line of the `.ann`: make them spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' || is_line_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// `annotation.conf` for a collection of lexls exports: one entity type per kind.
pub fn annotation_conf() -> String {
    let mut s = String::from(
        "# brat annotation configuration written by `lexls annotate --format brat`:\n\
         # one entity type per lexicon kind. Normalisation lines (N) point to lexls record ids.\n\
         [entities]\n",
    );
    for k in Kind::ALL {
        s.push_str(entity_type(k));
        s.push('\n');
    }
    s.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    s
}

/// `visual.conf`: the colours of lexls's HTML view, so brat looks the same.
pub fn visual_conf() -> String {
    let mut s = String::from("# brat visual configuration written by lexls.\n[labels]\n");
    for k in Kind::ALL {
        let t = entity_type(k);
        s.push_str(&format!("{t} | {t} | {}\n", super::tag(k)));
    }
    s.push_str("\n[drawing]\n");
    for k in Kind::ALL {
        s.push_str(&format!(
            "{}\tbgColor:{}\n",
            entity_type(k),
            super::html::kind_colour(k).1
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_split_at_line_breaks_only() {
        let t = "xx Bộ trưởng \n  Ngoại giao\r\nASEAN yy";
        let s = t.find("Bộ").unwrap();
        let e = t.find(" yy").unwrap();
        let f: Vec<&str> = fragments(t, s..e).iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(f, ["Bộ trưởng", "Ngoại giao", "ASEAN"]);
        let one = fragments("a b\u{a0}c", 0..6);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0], 0..6);
    }

    #[test]
    fn one_line_removes_tabs_and_breaks() {
        assert_eq!(one_line("a\tb\nc\u{2028}d"), "a b c d");
    }
}
