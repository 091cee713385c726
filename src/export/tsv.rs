//! The lexicon as a gazetteer: one line per written form, tab-separated, after a header:
//!
//! ```text
//! id<TAB>kind<TAB>lang<TAB>form<TAB>case<TAB>type
//! amic<TAB>organisation<TAB>en<TAB>ASEAN Military Intelligence Community<TAB>insensitive<TAB>name
//! amic<TAB>organisation<TAB>*<TAB>AMIC<TAB>sensitive<TAB>acronym
//! ```
//!
//! `lang` is `en`, `vi`, or `*` for a form of any language; `case` is `sensitive` or
//! `insensitive`; `type` says where the form comes from: `name`, `acronym`, `alias`,
//! `edition-alias` (names the series only before an edition number), `number`,
//! `misspelling`, `folded` (without diacritics) or `edition` (a meeting's acronym or name
//! derived from its series). Fields never contain tabs or line breaks.

use std::io::{self, Write};

use crate::lexicon::{CaseRule, Lexicon};

/// The header line's fields.
pub const HEADER: [&str; 6] = ["id", "kind", "lang", "form", "case", "type"];

/// Writes the gazetteer.
pub fn write(lexicon: &Lexicon, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", HEADER.join("\t"))?;
    for f in super::forms(lexicon) {
        let form: String = f
            .text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            f.id,
            f.kind.as_str(),
            f.lang.map_or("*", |l| l.as_str()),
            form,
            match f.case {
                CaseRule::Sensitive => "sensitive",
                CaseRule::Insensitive => "insensitive",
            },
            f.ty.as_str()
        )?;
    }
    Ok(())
}
