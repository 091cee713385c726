//! Document analysis: mentions, in-document definitions and the bindings they make. The
//! lint rules (`rules`) read an [`Analysis`]; nothing here knows about LSP or the CLI.

use std::sync::Arc;

use crate::lexicon::{EntityRef, Lang, Lexicon};
use crate::matcher::{Definition, Matcher, Mention, find_definitions};
use crate::normalize::{Fold, normalized_string};

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
        let mut mentions = self
            .matcher
            .find(&self.lexicon, text, detect_language(text));
        let definitions = find_definitions(&self.lexicon, text, &mentions);
        let mut defined_by = vec![None; mentions.len()];
        // A definition binds its acronym for the rest of the document: ambiguous later
        // mentions of it take the defined sense.
        for (di, d) in definitions.iter().enumerate() {
            let Some(bound) = d.bound(&self.lexicon) else {
                continue;
            };
            let key = normalized_string(&d.short_text, Fold::None);
            for (mi, m) in mentions.iter_mut().enumerate() {
                if m.span.start < d.short.start {
                    continue;
                }
                let written = normalized_string(singular_of(&text[m.span.clone()]), Fold::None);
                if written != key {
                    continue;
                }
                if m.span == d.short || m.candidates.contains(&bound.record) {
                    if m.is_ambiguous() {
                        m.entity = bound;
                        m.candidates = vec![bound.record];
                    }
                    defined_by[mi] = Some(di);
                }
            }
        }
        Analysis {
            mentions,
            definitions,
            defined_by,
        }
    }
}

fn singular_of(s: &str) -> &str {
    match s.strip_suffix('s') {
        Some(b) if b.chars().last().is_some_and(char::is_uppercase) => b,
        _ => s,
    }
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
}

impl Analysis {
    /// The mention covering byte `offset` (start inclusive, end inclusive so that a cursor
    /// just after a word still finds it).
    pub fn mention_at(&self, offset: usize) -> Option<(usize, &Mention)> {
        let i = self.mentions.partition_point(|m| m.span.end < offset);
        let m = self.mentions.get(i)?;
        (m.span.start <= offset && offset <= m.span.end).then_some((i, m))
    }

    /// Mentions of the same entity (same record; editions count as their record).
    pub fn mentions_of(&self, e: EntityRef) -> impl Iterator<Item = (usize, &Mention)> {
        self.mentions.iter().enumerate().filter(move |(_, m)| {
            m.entity == e || (m.entity.record == e.record && m.entity.edition == e.edition)
        })
    }

    /// The definition whose acronym or long form covers `span`, if any.
    pub fn definition_covering(&self, span: &std::ops::Range<usize>) -> Option<&Definition> {
        self.definitions.iter().find(|d| {
            (d.short.start <= span.start && span.end <= d.short.end)
                || (d.long.start <= span.start && span.end <= d.long.end)
        })
    }
}

/// The language of a text, from how many of its letters are Vietnamese (letters with
/// Vietnamese diacritics, `đ`): a cheap check that is right for articles.
pub fn detect_language(text: &str) -> Lang {
    let mut letters = 0usize;
    let mut vietnamese = 0usize;
    for c in text.chars().take(20_000) {
        if c.is_alphabetic() {
            letters += 1;
            if !c.is_ascii() && is_vietnamese_letter(c) {
                vietnamese += 1;
            }
        }
    }
    // Vietnamese prose has a marked letter in most words: well over 10% of letters.
    if letters > 0 && vietnamese * 100 >= letters * 8 {
        Lang::Vi
    } else {
        Lang::En
    }
}

fn is_vietnamese_letter(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    matches!(
        c,
        'đ' | 'Đ' | 'ă' | 'Ă' | 'â' | 'Â' | 'ê' | 'Ê' | 'ô' | 'Ô' | 'ơ' | 'Ơ' | 'ư' | 'Ư'
    ) || std::iter::once(c).nfd().skip(1).any(|m| {
        matches!(
            m,
            '\u{0300}'
                | '\u{0301}'
                | '\u{0303}'
                | '\u{0309}'
                | '\u{0323}'
                | '\u{0302}'
                | '\u{0306}'
                | '\u{031B}'
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_language() {
        assert_eq!(
            detect_language("Hội nghị Bộ trưởng Ngoại giao ASEAN lần thứ 54 đã khai mạc."),
            Lang::Vi
        );
        assert_eq!(
            detect_language("The ASEAN foreign ministers met in Hà Nội on Monday."),
            Lang::En
        );
        assert_eq!(detect_language(""), Lang::En);
    }
}
