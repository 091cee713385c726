//! Semantic tokens: one token per mention, split at line breaks (tokens may not span lines),
//! never overlapping (mentions never do). `full/delta` sends one edit for the changed middle
//! of the data, as rust-analyzer does.

use ropey::Rope;
use tower_lsp_server::ls_types::{
    SemanticTokenModifier, SemanticTokenType, SemanticTokensEdit, SemanticTokensLegend,
};

use super::position::{Encoding, Forward};
use super::state::{Analyzed, Snapshot};
use crate::analysis::Analysis;
use crate::lexicon::{Kind, Lexicon};
use crate::matcher::Via;

/// Token types, in legend order.
pub const TYPES: [&str; 7] = [
    "organisation",
    "meetingSeries",
    "meeting",
    "person",
    "place",
    "document",
    "term",
];

/// Token modifiers, in legend order (bit i is `MODIFIERS[i]`).
pub const MODIFIERS: [&str; 4] = ["definition", "ambiguous", "unresolvedEdition", "misspelled"];

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.iter().map(|t| SemanticTokenType::new(t)).collect(),
        token_modifiers: MODIFIERS
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

fn type_index(kind: Kind, edition: bool) -> u32 {
    match kind {
        Kind::Organisation => 0,
        Kind::Series if edition => 2,
        Kind::Series => 1,
        Kind::Meeting => 2,
        Kind::Person => 3,
        Kind::Place => 4,
        Kind::Document => 5,
        Kind::Term => 6,
    }
}

/// The encoded token data (five integers per token) for the mentions overlapping `range`
/// (bytes), or all of them.
pub fn encode(
    lx: &Lexicon,
    analysis: &Analysis,
    (text, rope): (&str, &Rope),
    enc: Encoding,
    range: Option<std::ops::Range<usize>>,
) -> Vec<u32> {
    let mut data = Vec::with_capacity(analysis.mentions.len() * 5);
    let mut positions = Forward::new(text, enc);
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    // The spans of definitions, sorted by start, walked alongside the mentions (both are in
    // text order), so that marking `definition` stays linear.
    let mut definition_spans: Vec<std::ops::Range<usize>> = analysis
        .definitions
        .iter()
        .flat_map(|d| [d.short.clone(), d.long.clone()])
        .collect();
    definition_spans.sort_by_key(|d| d.start);
    let mut next_definition = 0;
    // The longest reach of the spans passed so far, for spans that contain later mentions.
    let mut open: Vec<std::ops::Range<usize>> = Vec::new();
    for m in &analysis.mentions {
        if let Some(r) = &range
            && (m.span.end <= r.start || m.span.start >= r.end)
        {
            continue;
        }
        let r = lx.record(m.entity.record);
        let ty = type_index(r.kind, m.entity.edition.is_some());
        let mut mods = 0u32;
        while definition_spans
            .get(next_definition)
            .is_some_and(|d| d.start <= m.span.start)
        {
            open.push(definition_spans[next_definition].clone());
            next_definition += 1;
        }
        open.retain(|d| d.end > m.span.start);
        if open.iter().any(|d| m.span.end <= d.end) {
            mods |= 1;
        }
        if m.is_ambiguous() {
            mods |= 2;
        }
        if r.kind == Kind::Series && m.entity.edition.is_some() {
            mods |= 4;
        }
        if m.via == Via::Misspelling {
            mods |= 8;
        }
        // Split at line breaks.
        let start = positions.position(m.span.start);
        let end = positions.position(m.span.end);
        for line in start.line..=end.line {
            let from = if line == start.line {
                start.character
            } else {
                0
            };
            let to = if line == end.line {
                end.character
            } else {
                line_len(rope, line as usize, enc)
            };
            if to <= from {
                continue;
            }
            let delta_line = line - prev_line;
            let delta_start = if delta_line == 0 {
                from - prev_start
            } else {
                from
            };
            data.extend([delta_line, delta_start, to - from, ty, mods]);
            prev_line = line;
            prev_start = from;
        }
    }
    data
}

/// The token data of a whole analysed document.
pub fn encode_all(snap: &Snapshot, a: &Analyzed) -> Vec<u32> {
    encode(
        snap.engine.lexicon(),
        &a.analysis,
        (&a.text, &snap.rope),
        snap.encoding,
        None,
    )
}

/// Length of a line's content (without the break) in code units.
fn line_len(rope: &Rope, line: usize, enc: Encoding) -> u32 {
    let l = rope.line(line);
    let s: String = l.chars().take_while(|c| *c != '\n' && *c != '\r').collect();
    enc.len(&s)
}

/// One edit from `old` to `new`: the common prefix and suffix (in whole tokens) stay.
pub fn diff(old: &[u32], new: &[u32]) -> Vec<SemanticTokensEdit> {
    if old == new {
        return Vec::new();
    }
    let prefix = old
        .chunks(5)
        .zip(new.chunks(5))
        .take_while(|(a, b)| a == b)
        .count()
        * 5;
    let max_suffix = (old.len() - prefix).min(new.len() - prefix) / 5;
    let suffix = old[prefix..]
        .rchunks(5)
        .zip(new[prefix..].rchunks(5))
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count()
        * 5;
    let inserted = &new[prefix..new.len() - suffix];
    let edit = SemanticTokensEdit {
        start: prefix as u32,
        delete_count: (old.len() - suffix - prefix) as u32,
        data: Some(to_tokens(inserted)),
    };
    vec![edit]
}

/// Turns flat data into the protocol's token structs.
pub fn to_tokens(data: &[u32]) -> Vec<tower_lsp_server::ls_types::SemanticToken> {
    data.chunks(5)
        .map(|c| tower_lsp_server::ls_types::SemanticToken {
            delta_line: c[0],
            delta_start: c[1],
            length: c[2],
            token_type: c[3],
            token_modifiers_bitset: c[4],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &[u32], edits: &[SemanticTokensEdit]) -> Vec<u32> {
        let mut v = old.to_vec();
        for e in edits {
            let data: Vec<u32> = e
                .data
                .iter()
                .flatten()
                .flat_map(|t| {
                    [
                        t.delta_line,
                        t.delta_start,
                        t.length,
                        t.token_type,
                        t.token_modifiers_bitset,
                    ]
                })
                .collect();
            v.splice(e.start as usize..(e.start + e.delete_count) as usize, data);
        }
        v
    }

    #[test]
    fn diff_reproduces_the_new_data() {
        let a: Vec<u32> = (0..30).collect();
        let mut b = a.clone();
        b.splice(10..15, [9, 9, 9, 9, 9, 8, 8, 8, 8, 8]);
        let e = diff(&a, &b);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].start, 10);
        assert_eq!(e[0].delete_count, 5);
        assert_eq!(apply(&a, &e), b);
        assert!(diff(&a, &a).is_empty());
        let shorter = a[..20].to_vec();
        assert_eq!(apply(&a, &diff(&a, &shorter)), shorter);
        assert_eq!(apply(&shorter, &diff(&shorter, &a)), a);
        assert_eq!(apply(&[], &diff(&[], &a)), a);
    }
}
