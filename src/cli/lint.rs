//! `lexls lint`: checks articles with the lint rules, in parallel, and prints the findings
//! in a stable order; `--fix` applies safe fixes in place and `--diff` shows them. And
//! `lexls explain`, the rules' documentation.
//!
//! Exit codes: 0 when no finding reaches the `--deny` level, 1 when one does, 2 when a
//! file could not be checked or the config or lexicon is broken. A file that cannot be read
//! is reported on stderr and the others are still checked.

mod atomic;
mod progress;
mod walk;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use rayon::prelude::*;

use super::annotate::{lexicon_errors, load_config};
use super::report::{self, Checked, Colors, Format, Summary};
use crate::analysis::Engine;
use crate::config::Config;
use crate::rules::{self, Finding, Severity, apply_safe_fixes};
use progress::Progress;

/// Rounds of fixing at most: a fix can reveal another (composing decomposed text shows mixed
/// tone marks), and fixes that overlap wait for the next round.
const MAX_FIX_ROUNDS: usize = 8;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to check (default: the current folder). Folders are walked for
    /// `*.txt` and `*.md` files (see `include`/`exclude` in `.lexls.toml`), skipping what
    /// `.gitignore` and `.ignore` list; a file named here is always checked.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The lowest severity that makes the run fail (exit code 1).
    #[arg(long, value_enum, default_value = "warning")]
    pub deny: Deny,
    /// Apply safe fixes in place, then report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
    /// Read this config file instead of the nearest `.lexls.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Use no config file: default rule levels and the embedded lexicon only.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// When to colour the human format: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// The severity from which findings fail the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warning,
    Error,
}

impl Deny {
    fn fails(self, s: Severity) -> bool {
        match self {
            Deny::Warning => s >= Severity::Warning,
            Deny::Error => s >= Severity::Error,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule's id.
    #[arg(required_unless_present = "list")]
    pub rule: Option<String>,
    /// List every rule with its default level.
    #[arg(long, conflicts_with = "rule")]
    pub list: bool,
}

/// What to do with safe fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Check,
    Fix,
    Diff,
}

/// A file that was checked.
struct Linted {
    /// The path with `/` separators, as printed.
    shown: String,
    /// The text the findings refer to: as fixed with `--fix`, as read otherwise.
    text: String,
    findings: Vec<Finding>,
    /// Safe fixes applied (`--fix`) or that would be (`--diff`).
    fixed: usize,
    /// The unified diff of the fixes, with `--diff`.
    diff: Option<String>,
}

pub fn run(args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref(), args.no_config, &args.paths)?;
    let engine = super::engine_for(config.as_ref()).map_err(lexicon_errors)?;
    let config = config.unwrap_or_default();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (files, mut errors) = walk::collect(&paths, &config);
    let mode = match (args.fix, args.diff) {
        (true, _) => Mode::Fix,
        (_, true) => Mode::Diff,
        _ => Mode::Check,
    };
    let linter = Linter {
        engine: &engine,
        config: &config,
        mode,
    };
    let progress = Progress::new(files.len(), std::io::stderr().is_terminal());
    let outcomes: Vec<Result<Linted, String>> = files
        .par_iter()
        .map(|path| {
            let outcome = linter.file(path);
            progress.tick();
            outcome
        })
        .collect();
    progress.finish();
    let mut linted = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(l) => linted.push(l),
            Err(e) => errors.push(e),
        }
    }
    let mut stderr = std::io::stderr();
    for e in &errors {
        writeln!(stderr, "lexls: {e}")?;
    }
    let summary = Summary {
        files: linted.len(),
        failed: errors.len(),
        fixed: linted.iter().map(|l| l.fixed).sum(),
        fixed_files: linted.iter().filter(|l| l.fixed > 0).count(),
    };
    if mode == Mode::Diff {
        write_diffs(out, &mut stderr, &linted, &summary)?;
    } else {
        let checked: Vec<Checked> = linted
            .iter()
            .map(|l| Checked {
                path: &l.shown,
                text: &l.text,
                findings: &l.findings,
            })
            .collect();
        let colors = Colors::new(use_color(args.color));
        report::write(args.format, out, &checked, &summary, colors)?;
    }
    out.flush()?;
    let failing = linted
        .iter()
        .flat_map(|l| &l.findings)
        .any(|f| args.deny.fails(f.severity));
    Ok(match (errors.is_empty(), failing) {
        (false, _) => ExitCode::from(2),
        (true, true) => ExitCode::from(1),
        (true, false) => ExitCode::SUCCESS,
    })
}

/// Colours for `choice`: `auto` means stdout is a terminal and `NO_COLOR` is unset or empty
/// (no-color.org); an explicit `always` or `never` wins.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn write_diffs(
    out: &mut dyn Write,
    stderr: &mut dyn Write,
    linted: &[Linted],
    summary: &Summary,
) -> std::io::Result<()> {
    for diff in linted.iter().filter_map(|l| l.diff.as_deref()) {
        out.write_all(diff.as_bytes())?;
    }
    writeln!(
        stderr,
        "Would fix {} in {} of {}.",
        count(summary.fixed, "problem"),
        summary.fixed_files,
        count(summary.files, "file")
    )
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Checks one file at a time; shared by the worker threads.
struct Linter<'a> {
    engine: &'a Engine,
    config: &'a Config,
    mode: Mode,
}

impl Linter<'_> {
    fn file(&self, path: &Path) -> Result<Linted, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(format!(
                "{}: binary file (NUL byte at byte {at}); not checked",
                path.display()
            ));
        }
        let original = super::decode_text(path, bytes)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = path.to_string_lossy().replace('\\', "/");
        let findings = self.check(&original, &absolute);
        if self.mode == Mode::Check {
            return Ok(Linted {
                shown,
                text: original,
                findings,
                fixed: 0,
                diff: None,
            });
        }
        let (fixed_text, fixed, after) = self.fix(original.clone(), findings.clone(), &absolute);
        if self.mode == Mode::Diff {
            let diff = (fixed > 0).then(|| unified_diff(&shown, &original, &fixed_text));
            return Ok(Linted {
                shown,
                text: original,
                findings,
                fixed,
                diff,
            });
        }
        if fixed > 0 {
            atomic::write(path, fixed_text.as_bytes())
                .with_context(|| format!("{}: cannot write the fixes", path.display()))
                .map_err(|e| format!("{e:#}"))?;
        }
        Ok(Linted {
            shown,
            text: fixed_text,
            findings: after,
            fixed,
            diff: None,
        })
    }

    fn check(&self, text: &str, path: &Path) -> Vec<Finding> {
        let analysis = self.engine.analyze(text);
        rules::check(&rules::Context {
            engine: self.engine,
            text,
            analysis: &analysis,
            config: self.config,
            path: Some(path),
        })
    }

    /// Applies safe fixes until none is left: the fixed text, how many fixes were applied,
    /// and the findings of the fixed text. Only the fixed ranges change; every other byte
    /// (a BOM, CRLF line breaks) is kept.
    fn fix(
        &self,
        mut text: String,
        mut findings: Vec<Finding>,
        path: &Path,
    ) -> (String, usize, Vec<Finding>) {
        let mut applied = 0;
        for _ in 0..MAX_FIX_ROUNDS {
            let (next, n) = apply_safe_fixes(&text, &findings);
            if n == 0 || next == text {
                break;
            }
            applied += n;
            text = next;
            findings = self.check(&text, path);
        }
        (text, applied, findings)
    }
}

/// A unified diff with three lines of context, `--- path` / `+++ path`.
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

pub fn explain(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.list {
        let width = rules::RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in rules::RULES {
            writeln!(
                out,
                "{:<width$}  {:<7}  {}",
                r.id,
                r.default_level.as_str(),
                r.summary
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = args.rule.as_deref().unwrap_or_default();
    let Some(r) = rules::info(id) else {
        let close: Vec<String> = rules::RULES
            .iter()
            .filter(|r| rules::prose::edit_distance(r.id, id) <= 3 || r.id.contains(id))
            .map(|r| format!("`{}`", r.id))
            .collect();
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", close.join(" or "))
        };
        anyhow::bail!("no rule `{id}`{hint} (`lexls explain --list` lists them)");
    };
    writeln!(out, "# {}\n", r.id)?;
    writeln!(out, "{}.\n", capitalised(r.summary))?;
    writeln!(out, "Default level: {}\n", r.default_level.as_str())?;
    write!(out, "{}", r.explanation.trim_end())?;
    writeln!(
        out,
        "\n\nConfigure it in `.lexls.toml`:\n\n```toml\n[rules]\n{} = \"error\"  # or warning, info, hint, off\n```",
        r.id
    )?;
    Ok(ExitCode::SUCCESS)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
