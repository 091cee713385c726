//! Hover text for a mention: names in both languages, kind, acronym, description, key facts,
//! other senses of an ambiguous acronym, the document's own definition, and where the record
//! lives. Markdown, or plain text when the client asks for it.

use std::fmt::Write;

use crate::analysis::Analysis;
use crate::lexicon::{Kind, Lang, Lexicon, Origin};

/// Renders the hover for mention `index` of `analysis`.
pub fn render(
    lx: &Lexicon,
    analysis: &Analysis,
    text: &str,
    index: usize,
    markdown: bool,
) -> String {
    let m = &analysis.mentions[index];
    let r = lx.record(m.entity.record);
    let en = lx.label(m.entity, Lang::En);
    let vi = lx.label(m.entity, Lang::Vi);
    // The acronym as the text writes it when it is one of the record's (`ASC` rather than
    // the record's first acronym, `APSC`).
    let written = &text[m.span.clone()];
    let written_acronym = crate::matcher::singular(written);
    let acronym = if m.via == crate::matcher::Via::Acronym
        && r.acronyms.iter().any(|a| a == written_acronym)
    {
        Some(written_acronym.to_owned())
    } else {
        lx.acronym(m.entity)
    };
    let mut s = String::new();
    // Bold, italic and code marks in markdown; nothing in plain text.
    let (b, i, c) = if markdown {
        ("**", "_", "`")
    } else {
        ("", "", "")
    };

    // Title: ACR — English name / Vietnamese name
    match &acronym {
        Some(a) if a != &en => {
            let _ = write!(
                s,
                "{b}{}{b} — {b}{}{b}",
                esc(a, markdown),
                esc(&en, markdown)
            );
        }
        _ => {
            let _ = write!(s, "{b}{}{b}", esc(&en, markdown));
        }
    }
    if vi != en {
        let _ = write!(s, "  \n{i}{}{i}", esc(&vi, markdown));
    }
    let kind_line = if r.kind == Kind::Series && m.entity.edition.is_some() {
        "meeting (edition without a record) · hội nghị".to_owned()
    } else {
        format!("{} · {}", r.kind.label(Lang::En), r.kind.label(Lang::Vi))
    };
    let _ = write!(s, "\n\n{i}{kind_line}{i}");
    if m.via == crate::matcher::Via::Misspelling {
        let _ = write!(
            s,
            "\n\n⚠ {c}{}{c} is a misspelling of {c}{}{c}",
            &text[m.span.clone()],
            acronym.as_deref().unwrap_or(&en)
        );
    }

    for lang in [Lang::En, Lang::Vi] {
        if let Some(d) = r.description.get(lang) {
            let _ = write!(s, "\n\n{}", esc(d, markdown));
        }
    }

    let facts = lx.facts(m.entity, Lang::En);
    if !facts.is_empty() {
        s.push('\n');
        for f in facts {
            let _ = write!(
                s,
                "\n- {b}{}{b} / {}: {}",
                f.label_en,
                f.label_vi,
                esc(&f.value, markdown)
            );
        }
    }

    // Other senses.
    let others: Vec<_> = m
        .candidates
        .iter()
        .filter(|c| **c != m.entity.record)
        .collect();
    let senses: Vec<String> = if m.is_ambiguous() {
        others
            .iter()
            .map(|c| {
                lx.label(
                    crate::lexicon::EntityRef {
                        record: **c,
                        edition: None,
                    },
                    Lang::En,
                )
            })
            .collect()
    } else {
        lx.other_senses(m.entity.record, written)
            .into_iter()
            .map(|c| {
                lx.label(
                    crate::lexicon::EntityRef {
                        record: c,
                        edition: None,
                    },
                    Lang::En,
                )
            })
            .collect()
    };
    if !senses.is_empty() {
        let head = if m.is_ambiguous() {
            format!("\n\n{b}Ambiguous{b}: {c}{written}{c} can also mean")
        } else {
            format!("\n\n{c}{written}{c} can also mean")
        };
        s.push_str(&head);
        for o in senses {
            let _ = write!(s, "\n- {}", esc(&o, markdown));
        }
        if m.is_ambiguous() {
            let _ = write!(
                s,
                "\n\nSpell it out once, e.g. {c}Long Form (ACR){c}, to choose."
            );
        }
    }

    // This document's definition.
    if let Some(Some(di)) = analysis.defined_by.get(index) {
        let d = &analysis.definitions[*di];
        // Lines end at \n, \r\n or a lone \r; counted only up to the definition.
        let at = d.long.start.min(d.short.start);
        let before = &text[..at];
        let line = 1 + before.matches('\n').count() + before.matches('\r').count()
            - before.matches("\r\n").count();
        let _ = write!(
            s,
            "\n\nDefined in this document (line {line}): “{}”",
            esc(&text[d.long.clone()], markdown)
        );
    }

    // Where the record lives.
    let src = lx.source(r.location.source);
    let file = match &src.origin {
        Origin::Embedded(n) => format!("lexicon/{n} (built in)"),
        Origin::File(p) => p.display().to_string(),
    };
    let _ = write!(s, "\n\n{i}{}{i} · {c}{file}:{}{c}", r.id, r.location.line);
    s
}

fn esc(s: &str, markdown: bool) -> String {
    if !markdown {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
