//! `lexls lint` and `lexls explain` (being written).

use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to check.
    pub paths: Vec<std::path::PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule's id.
    pub rule: String,
}

pub fn run(_args: &Args, _out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    anyhow::bail!("lint is not implemented yet")
}

pub fn explain(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match crate::rules::info(&args.rule) {
        Some(r) => {
            writeln!(out, "{}: {}\n\n{}", r.id, r.summary, r.explanation)?;
            Ok(ExitCode::SUCCESS)
        }
        None => anyhow::bail!("no rule `{}`", args.rule),
    }
}
