//! `lexls lexicon check` (and, later, `export`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::lexicon::{Kind, LexiconBuilder};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Validate lexicon files (the embedded lexicon when none are given). Exit 0 when clean,
    /// 2 on errors, each named `file:line:col`.
    Check {
        /// Lexicon files or folders, checked over the embedded lexicon (they may refer to
        /// its ids and override its records).
        paths: Vec<PathBuf>,
    },
}

pub fn run(cmd: &Command, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Check { paths } => check(paths, out),
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
