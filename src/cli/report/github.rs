//! GitHub Actions workflow commands: one `::warning file=…,line=…,col=…,endLine=…,
//! endColumn=…,title=rule::message` line per finding, which Actions shows as an annotation
//! on the file. Errors are `::error`, info and hints `::notice`.

use std::io::{self, Write};

use super::{Checked, Place, Reporter};
use crate::cli::annotate::LineIndex;
use crate::rules::Severity;

/// The GitHub Actions format: a workflow command per finding, nothing around them.
pub struct Github;

impl Reporter for Github {
    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        for f in file.findings {
            let p = Place::of(&index, file.text, &f.span);
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(file.path),
                p.line,
                p.column,
                p.end_line,
                p.end_column,
                property(f.rule),
                data(&f.message)
            )?;
        }
        Ok(())
    }
}

/// Escapes a command's message: `%`, CR and LF.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as a message, plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a,b:c%.txt"), "a%2Cb%3Ac%25.txt");
    }
}
