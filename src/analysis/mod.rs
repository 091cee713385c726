//! Document analysis: mentions, in-document definitions and the bindings they make. The
//! lint rules (`rules`) read an [`Analysis`]; nothing here knows about LSP or the CLI.

use std::collections::HashMap;
use std::sync::Arc;

pub use crate::language::detect_language;
use crate::lexicon::{EntityRef, Lang, Lexicon};
use crate::matcher::{Definition, Matcher, Mention, find_definitions, singular};
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
        let mut mentions = self.matcher.find(&self.lexicon, text, None);
        let definitions = find_definitions(&self.lexicon, text, &mentions);
        let mut defined_by = vec![None; mentions.len()];
        // A definition binds its acronym for the rest of the document: ambiguous later
        // mentions of it take the defined sense. Each mention looks up the definitions of
        // its own text, so this stays linear in the number of mentions.
        let mut binding: HashMap<String, Vec<(usize, EntityRef)>> = HashMap::new();
        for (di, d) in definitions.iter().enumerate() {
            if let Some(bound) = d.bound(&self.lexicon) {
                let key = normalized_string(&d.short_text, Fold::None);
                binding.entry(key).or_default().push((di, bound));
            }
        }
        if !binding.is_empty() {
            let longest = binding.keys().map(String::len).max().unwrap_or(0);
            for (mi, m) in mentions.iter_mut().enumerate() {
                let raw = singular(&text[m.span.clone()]);
                if raw.len() > longest * 4 {
                    continue;
                }
                // Acronyms are nearly always plain ASCII, already in normal form.
                let defs = if raw.bytes().all(|b| b.is_ascii_graphic()) {
                    binding.get(raw)
                } else {
                    binding.get(&normalized_string(raw, Fold::None))
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
            lang: std::sync::OnceLock::new(),
        }
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
    /// The text's language, detected once on first use ([`Analysis::lang`]).
    lang: std::sync::OnceLock<Lang>,
}

impl Analysis {
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
