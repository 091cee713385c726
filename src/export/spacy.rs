//! The lexicon as spaCy EntityRuler patterns (JSON Lines), so a spaCy pipeline can reuse it:
//!
//! ```text
//! {"label":"ORG","pattern":"AMIC","id":"amic"}
//! {"label":"ORG","pattern":[{"LOWER":"asean"},{"LOWER":"military"},{"LOWER":"intelligence"},{"LOWER":"community"}],"id":"amic"}
//! ```
//!
//! A case-sensitive form (acronyms, one-word names, document numbers, misspellings) is a
//! phrase pattern (a string, matched on the exact text); a case-insensitive form (names and
//! aliases of two or more words, unless marked `case = "sensitive"`) is a token pattern
//! with one `LOWER` per token. Tokens are cut as lexls's CoNLL export cuts them
//! ([`conll::tokenize`](super::conll::tokenize)), which matches spaCy's default tokenizer on
//! these names (punctuation such as `-`, `/`, `'`, `(` is its own token). `label` is the
//! kind's tag (`ORG`, `SERIES`, `MEETING`, `PER`, `LOC`, `DOC`, `TERM`), `id` the record id.
//! Edition aliases (`Đại hội`, which names the Party congress only before an edition
//! number) are left out: as plain patterns they would over-match.

use std::io::{self, Write};

use serde::Serialize;

use crate::lexicon::{CaseRule, Lexicon};

use super::{Form, FormType};

/// One EntityRuler pattern.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Pattern<'a> {
    pub label: &'static str,
    pub pattern: PatternBody,
    pub id: &'a str,
}

/// A phrase (exact text) or a list of token attributes.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum PatternBody {
    Phrase(String),
    Tokens(Vec<TokenPattern>),
}

/// `{"LOWER": "asean"}`.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TokenPattern {
    #[serde(rename = "LOWER")]
    pub lower: String,
}

/// The pattern of one form, or `None` for forms that are not plain patterns.
pub fn pattern<'a>(form: &Form<'a>) -> Option<Pattern<'a>> {
    if form.ty == FormType::EditionAlias {
        return None;
    }
    let pattern = match form.case {
        CaseRule::Sensitive => PatternBody::Phrase(form.text.clone()),
        CaseRule::Insensitive => PatternBody::Tokens(
            super::conll::tokenize(&form.text)
                .into_iter()
                .map(|r| TokenPattern {
                    lower: form.text[r].to_lowercase(),
                })
                .collect(),
        ),
    };
    Some(Pattern {
        label: super::tag(form.kind),
        pattern,
        id: form.id,
    })
}

/// Every pattern of the lexicon, without repeats.
pub fn patterns(lexicon: &Lexicon) -> Vec<Pattern<'_>> {
    let mut out: Vec<Pattern> = Vec::new();
    for f in super::forms(lexicon) {
        if let Some(p) = pattern(&f)
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

/// Writes the patterns as JSON Lines.
pub fn write(lexicon: &Lexicon, out: &mut dyn Write) -> io::Result<()> {
    for p in patterns(lexicon) {
        serde_json::to_writer(&mut *out, &p)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
