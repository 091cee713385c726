//! `lexls lexicon check` and `lexls lexicon export`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::lexicon::{Kind, Lexicon, LexiconBuilder};

/// What `lexicon export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// spaCy EntityRuler patterns, JSON Lines (`{"label","pattern","id"}`).
    SpacyPatterns,
    /// A gazetteer: `id, kind, lang, form, case, type`, tab-separated, with a header line.
    Tsv,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Validate lexicon files (the embedded lexicon when none are given). Exit 0 when clean,
    /// 2 on errors, each named `file:line:col`.
    Check {
        /// Lexicon files or folders, checked over the embedded lexicon (they may refer to
        /// its ids and override its records).
        paths: Vec<PathBuf>,
    },
    /// Export the lexicon for other pipelines: the embedded lexicon and the lexicon files
    /// of the nearest `.lexls.toml` (from the current folder), or of `--config`.
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The embedded lexicon only, whatever the config says.
        #[arg(long)]
        embedded_only: bool,
        /// Read this config file instead of the nearest `.lexls.toml`.
        #[arg(long, conflicts_with = "embedded_only")]
        config: Option<PathBuf>,
        /// Write into this file instead of stdout.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn run(cmd: &Command, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Check { paths } => check(paths, out),
        Command::Export {
            format,
            embedded_only,
            config,
            output,
        } => {
            let lexicon = if *embedded_only {
                Lexicon::embedded()
            } else {
                let config = super::annotate::load_config(config.as_deref(), false, &[])?;
                let mut b = LexiconBuilder::new().with_embedded().overriding();
                for p in config.iter().flat_map(|c| &c.lexicon) {
                    b.add_path(p);
                }
                b.build().map_err(super::annotate::lexicon_errors)?
            };
            let mut file = match output {
                Some(p) => Some(BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("{}: cannot create", p.display()))?,
                )),
                None => None,
            };
            let sink: &mut dyn Write = match file.as_mut() {
                Some(f) => f,
                None => out,
            };
            match format {
                ExportFormat::SpacyPatterns => crate::export::spacy::write(&lexicon, sink)?,
                ExportFormat::Tsv => crate::export::tsv::write(&lexicon, sink)?,
            }
            sink.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut b = LexiconBuilder::new().with_embedded().overriding();
    for p in paths {
        b.add_path(p);
    }
    match b.build() {
        Ok(lx) => {
            let mut counts: Vec<String> = Vec::new();
            for k in Kind::ALL {
                let n = lx.records().iter().filter(|r| r.kind == k).count();
                if n > 0 {
                    counts.push(format!("{n} {k}"));
                }
            }
            let files = if paths.is_empty() {
                "the embedded lexicon".to_owned()
            } else {
                format!("{} path(s) over the embedded lexicon", paths.len())
            };
            writeln!(
                out,
                "ok: {} records in {files} ({})",
                lx.records().len(),
                counts.join(", ")
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                writeln!(out, "error: {e}")?;
            }
            writeln!(out, "{} error(s)", errors.len())?;
            Ok(ExitCode::from(2))
        }
    }
}
