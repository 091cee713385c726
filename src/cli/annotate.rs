//! `lexls annotate`: every mention in the given files, as JSON Lines (one object per
//! mention, a stable contract documented in the README) or one JSON array; or as views and
//! exports for other tools: an HTML page per article (`html`), brat standoff (`brat`),
//! CoNLL BIO tags (`conll`). The formats themselves are written by [`crate::export`].

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use serde::Serialize;

use crate::analysis::Engine;
use crate::config::Config;
use crate::export::{brat, conll, html};
use crate::lexicon::{Kind, Lang};
use crate::matcher::Mention;

pub use crate::export::LineIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line per mention.
    Jsonl,
    /// One JSON array of every mention.
    Json,
    /// A self-contained HTML page per article (several files: with `-o DIR`, plus an
    /// `index.html`).
    Html,
    /// brat standoff: `.ann` with character offsets (with `-o DIR`: `.txt`, `.ann` and
    /// `annotation.conf`).
    Brat,
    /// CoNLL: one token per line with its BIO tag, a blank line between sentences.
    Conll,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Html => "html",
            Format::Brat => "brat",
            Format::Conll => "conll",
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
    /// Write into this file, or into this folder one file per article (`html` with several
    /// files and `brat` always take a folder; an existing folder or a path ending in `/` is
    /// a folder). Without it, output goes to stdout.
    #[arg(short = 'o', long, value_name = "DIR|FILE")]
    pub output: Option<PathBuf>,
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

/// Where the output goes.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Stdout,
    File(PathBuf),
    Dir(PathBuf),
}

/// Decides where the output goes from `-o`, the format and the number of files.
fn target(format: Format, output: Option<&Path>, files: usize) -> anyhow::Result<Target> {
    let one_file_only = matches!(format, Format::Html | Format::Brat);
    let Some(p) = output else {
        if one_file_only && files > 1 {
            anyhow::bail!(
                "--format {} of several files needs -o DIR (one output per article)",
                format.name()
            );
        }
        return Ok(Target::Stdout);
    };
    let text = p.as_os_str().to_string_lossy();
    let named_dir = p.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR);
    let wants_dir = format == Format::Brat || (format == Format::Html && files > 1);
    if wants_dir && !named_dir {
        if p.exists() {
            anyhow::bail!(
                "{}: --format {} writes a folder here, and this is a file",
                p.display(),
                format.name()
            );
        }
        let ext = p.extension().map(|e| e.to_ascii_lowercase());
        if ext.is_some_and(|e| e == "html" || e == "htm") {
            anyhow::bail!(
                "{}: several articles make several pages: give -o a folder",
                p.display()
            );
        }
    }
    if named_dir && matches!(format, Format::Jsonl | Format::Json) {
        anyhow::bail!(
            "{}: --format {} writes one file: give -o a file name",
            p.display(),
            format.name()
        );
    }
    Ok(if named_dir || wants_dir {
        Target::Dir(p.to_owned())
    } else {
        Target::File(p.to_owned())
    })
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    Ok(BufWriter::new(f))
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("{}: cannot write", path.display()))
}

pub fn run(args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.as_deref(), args.no_config, &args.files)?;
    let engine = super::engine_for(config.as_ref()).map_err(lexicon_errors)?;
    let rules_config = config.clone().unwrap_or_default();
    let target = target(args.format, args.output.as_deref(), args.files.len())?;
    let mut file = match &target {
        Target::File(p) => Some(create(p)?),
        Target::Dir(d) => {
            std::fs::create_dir_all(d)
                .with_context(|| format!("{}: cannot create the folder", d.display()))?;
            None
        }
        Target::Stdout => None,
    };
    let sink: &mut dyn Write = match file.as_mut() {
        Some(f) => f,
        None => out,
    };
    // Output names in a folder: the file stems, made unique (`index` is the index page).
    let stems: Vec<String> = args
        .files
        .iter()
        .map(|p| {
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    let reserved: &[&str] = match args.format {
        Format::Html => &["index"],
        Format::Brat => &["annotation", "visual"],
        _ => &[],
    };
    let names = crate::export::unique_names(stems.iter().map(String::as_str), reserved);

    let mut failed = false;
    let mut all = Vec::new();
    let mut summaries = Vec::new();
    for (path, name) in args.files.iter().zip(&names) {
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
        let lx = engine.lexicon();
        let in_dir = |ext: &str| match &target {
            Target::Dir(d) => Some(d.join(format!("{name}.{ext}"))),
            _ => None,
        };
        match args.format {
            Format::Jsonl => {
                for r in &records(&engine, &shown, &text, &analysis.mentions) {
                    serde_json::to_writer(&mut *sink, r)?;
                    sink.write_all(b"\n")?;
                }
            }
            Format::Json => all.extend(
                records(&engine, &shown, &text, &analysis.mentions)
                    .into_iter()
                    .map(|r| serde_json::to_value(r).expect("serialisable")),
            ),
            Format::Html => {
                let findings = crate::rules::check(&crate::rules::Context {
                    engine: &engine,
                    text: &text,
                    analysis: &analysis,
                    config: &rules_config,
                    path: Some(path),
                });
                let article = html::Article {
                    name: &shown,
                    text: &text,
                    analysis: &analysis,
                    findings: &findings,
                };
                match in_dir("html") {
                    Some(p) => {
                        let opts = html::PageOptions {
                            index_href: Some("index.html"),
                        };
                        write_file(&p, html::page(lx, &article, &opts).as_bytes())?;
                        let href = html::href_of(&format!("{name}.html"));
                        summaries.push(html::summary(lx, &article, &href));
                    }
                    None => {
                        let page = html::page(lx, &article, &html::PageOptions::default());
                        sink.write_all(page.as_bytes())?;
                    }
                }
            }
            Format::Brat => {
                let ann = brat::ann(lx, &text, &analysis.mentions);
                match (in_dir("txt"), in_dir("ann")) {
                    (Some(t), Some(a)) => {
                        write_file(&t, brat::txt(&text).as_bytes())?;
                        write_file(&a, ann.as_bytes())?;
                    }
                    _ => sink.write_all(ann.as_bytes())?,
                }
            }
            Format::Conll => match in_dir("conll") {
                Some(p) => {
                    let mut f = create(&p)?;
                    conll::write(lx, &text, &analysis.mentions, &mut f)?;
                    f.flush()
                        .with_context(|| format!("{}: cannot write", p.display()))?;
                }
                None => conll::write(lx, &text, &analysis.mentions, sink)?,
            },
        }
    }
    match (&target, args.format) {
        (_, Format::Json) => {
            serde_json::to_writer_pretty(&mut *sink, &all)?;
            sink.write_all(b"\n")?;
        }
        (Target::Dir(d), Format::Html) => {
            write_file(&d.join("index.html"), html::index(&summaries).as_bytes())?;
        }
        (Target::Dir(d), Format::Brat) => {
            write_file(
                &d.join("annotation.conf"),
                brat::annotation_conf().as_bytes(),
            )?;
            write_file(&d.join("visual.conf"), brat::visual_conf().as_bytes())?;
        }
        _ => {}
    }
    sink.flush()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_targets() {
        let t = |f, o: Option<&str>, n| target(f, o.map(Path::new), n).map_err(|e| e.to_string());
        assert_eq!(t(Format::Jsonl, None, 3), Ok(Target::Stdout));
        assert_eq!(t(Format::Html, None, 1), Ok(Target::Stdout));
        assert!(
            t(Format::Html, None, 2)
                .unwrap_err()
                .contains("needs -o DIR")
        );
        assert!(t(Format::Brat, None, 2).is_err());
        assert_eq!(
            t(Format::Html, Some("a.html"), 1),
            Ok(Target::File("a.html".into()))
        );
        assert_eq!(
            t(Format::Html, Some("out"), 2),
            Ok(Target::Dir("out".into()))
        );
        assert!(t(Format::Html, Some("out.html"), 2).is_err());
        assert_eq!(t(Format::Brat, Some("b"), 1), Ok(Target::Dir("b".into())));
        assert_eq!(
            t(Format::Conll, Some("c/"), 1),
            Ok(Target::Dir("c/".into()))
        );
        assert_eq!(
            t(Format::Conll, Some("c.conll"), 3),
            Ok(Target::File("c.conll".into()))
        );
        assert!(t(Format::Jsonl, Some("x/"), 1).is_err());
    }
}
