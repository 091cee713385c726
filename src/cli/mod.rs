//! The command-line interface. Each command writes its output into a `&mut dyn Write` (so it
//! can be tested) and returns the exit code: 0 clean, 1 findings, 2 errors.

pub mod annotate;
pub mod lexicon;
pub mod lint;
pub mod report;
pub mod server;

use std::path::Path;

use crate::analysis::Engine;
use crate::config::Config;
use crate::lexicon::{LexiconBuilder, LexiconError};

/// Reads a text file: `Err` with a message naming the file when it cannot be read or is not
/// UTF-8 (with the byte offset of the first bad sequence). A leading BOM is kept in the text
/// (offsets are into the file as read).
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    decode_text(path, bytes)
}

/// Decodes a file's bytes as UTF-8, or an error naming the file and the byte offset of the
/// first bad sequence.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: invalid UTF-8 at byte {}",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The engine for a config: the embedded lexicon plus the config's lexicon files.
pub fn engine_for(config: Option<&Config>) -> Result<Engine, Vec<LexiconError>> {
    let extra = config.map(|c| c.lexicon.as_slice()).unwrap_or_default();
    if extra.is_empty() {
        return Ok(Engine::embedded());
    }
    let mut b = LexiconBuilder::new().with_embedded().overriding();
    for p in extra {
        b.add_path(p);
    }
    b.build().map(Engine::new)
}
