//! `lexls annotate`: every mention in the given files, as JSON Lines (one object per
//! mention, a stable contract documented in the README) or as one JSON array.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis::Engine;
use crate::config::Config;
use crate::lexicon::{Kind, Lang};
use crate::matcher::Mention;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line per mention.
    Jsonl,
    /// One JSON array of every mention.
    Json,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Read this config file instead of the nearest `.lexls.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Use no config file: the embedded lexicon only.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Text files to annotate.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// One mention, as printed. Field order is part of the contract.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub path: String,
    /// Byte offsets into the file as read (a BOM counts).
    pub start: usize,
    pub end: usize,
    /// 1-based line; lines end at `\n`, `\r\n` or `\r`.
    pub line: u32,
    /// 1-based column in characters (a BOM does not count).
    pub column: u32,
    pub text: &'a str,
    pub entity: &'a str,
    pub kind: &'static str,
    pub label: String,
    pub label_vi: String,
    pub acronym: Option<String>,
    pub edition: Option<u32>,
    pub via: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<&'a str>>,
}

/// Builds the printed records of one text's mentions.
pub fn records<'a>(
    engine: &'a Engine,
    path: &str,
    text: &'a str,
    mentions: &'a [Mention],
) -> Vec<Record<'a>> {
    let lx = engine.lexicon();
    let index = LineIndex::new(text);
    mentions
        .iter()
        .map(|m| {
            let r = lx.record(m.entity.record);
            let (line, column) = index.line_col(text, m.span.start);
            let edition = m
                .entity
                .edition
                .filter(|_| matches!(r.kind, Kind::Series | Kind::Meeting));
            Record {
                path: path.to_owned(),
                start: m.span.start,
                end: m.span.end,
                line,
                column,
                text: &text[m.span.clone()],
                entity: &r.id,
                kind: r.kind.as_str(),
                label: lx.label(m.entity, Lang::En),
                label_vi: lx.label(m.entity, Lang::Vi),
                acronym: lx.acronym(m.entity),
                edition,
                via: m.via.as_str(),
                candidates: m.is_ambiguous().then(|| {
                    m.candidates
                        .iter()
                        .map(|c| lx.record(*c).id.as_str())
                        .collect()
                }),
            }
        })
        .collect()
}

pub fn run(args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref(), args.no_config, &args.files)?;
    let engine = super::engine_for(config.as_ref()).map_err(lexicon_errors)?;
    let mut failed = false;
    let mut all = Vec::new();
    for path in &args.files {
        let text = match super::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                failed = true;
                writeln!(std::io::stderr(), "lexls: {e}")?;
                continue;
            }
        };
        let analysis = engine.analyze(&text);
        let shown = path.display().to_string();
        let recs = records(&engine, &shown, &text, &analysis.mentions);
        match args.format {
            Format::Jsonl => {
                for r in &recs {
                    serde_json::to_writer(&mut *out, r)?;
                    out.write_all(b"\n")?;
                }
            }
            Format::Json => all.extend(
                recs.into_iter()
                    .map(|r| serde_json::to_value(r).expect("serialisable")),
            ),
        }
    }
    if args.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &all)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The config to use: `--config`, none with `--no-config`, else the nearest `.lexls.toml`
/// above the first path (or the current folder).
pub fn load_config(
    explicit: Option<&Path>,
    none: bool,
    paths: &[PathBuf],
) -> anyhow::Result<Option<Config>> {
    if none {
        return Ok(None);
    }
    if let Some(p) = explicit {
        let text =
            std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        return Ok(Some(Config::from_toml(&text, p)?));
    }
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    Ok(Config::discover(&start)?)
}

/// Formats lexicon errors as one error, one per line.
pub fn lexicon_errors(errors: Vec<crate::lexicon::LexiconError>) -> anyhow::Error {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    anyhow::anyhow!("the lexicon has errors:\n{}", lines.join("\n"))
}

/// Line starts of a text, for many line/column look-ups. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as in LSP.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if b.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// 1-based line and column in characters of a byte offset; a BOM is not a column.
    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let upto = &text[start..offset.min(text.len())];
        let upto = if line == 0 {
            upto.strip_prefix('\u{FEFF}').unwrap_or(upto)
        } else {
            upto
        };
        (line as u32 + 1, upto.chars().count() as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
