//! `.lexls.toml` as `lexls lint` reads it: rule levels, suppressions, per-path overrides,
//! allowed acronyms, include/exclude globs, `--config` and `--no-config`.

use crate::support::{findings_in, lexls_in, summary, workspace};

const ARTICLE: &[u8] = b"A planned AMIX exchange with the ASEAN Military Intelligence Community (AMIC) and ASEANPOL.\n";

fn rules_of(findings: &[serde_json::Value]) -> Vec<(String, String)> {
    summary(findings)
        .into_iter()
        .map(|(rule, _, severity)| (rule, severity))
        .collect()
}

#[test]
fn defaults_without_a_config() {
    let ws = workspace(&[("a.txt", ARTICLE)]);
    let (code, f) = findings_in(ws.path(), &["a.txt"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&f),
        [
            ("unknown-acronym".into(), "warning".into()),
            ("known-misspelling".into(), "warning".into())
        ]
    );
}

#[test]
fn levels_ignores_and_allow() {
    let config = b"allow = [\"AMIX\"]\n[rules]\nknown-misspelling = \"error\"\n";
    let ws = workspace(&[(".lexls.toml", config), ("a.txt", ARTICLE)]);
    let (_, f) = findings_in(ws.path(), &["a.txt"]);
    assert_eq!(rules_of(&f), [("known-misspelling".into(), "error".into())]);

    let config = b"[rules]\nunknown-acronym = \"off\"\n[[ignore]]\nrule = \"known-misspelling\"\ntext = \"ASEANPOL\"\n";
    let ws = workspace(&[(".lexls.toml", config), ("a.txt", ARTICLE)]);
    let (code, f) = findings_in(ws.path(), &["a.txt"]);
    assert_eq!((code, f.len()), (0, 0), "{f:#?}");
}

#[test]
fn overrides_apply_to_their_paths_only() {
    let config = b"[[overrides]]\npaths = [\"archive/**\"]\nrules = { unknown-acronym = \"off\", known-misspelling = \"info\" }\n";
    let ws = workspace(&[
        (".lexls.toml", config),
        ("archive/2010/a.txt", ARTICLE),
        ("news/a.txt", ARTICLE),
    ]);
    let (code, f) = findings_in(ws.path(), &["."]);
    assert_eq!(code, 1);
    let got: Vec<(String, String, String)> = f
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap_or_default().to_owned();
            (s("path"), s("rule"), s("severity"))
        })
        .collect();
    let own = |p: &str, r: &str, s: &str| (p.to_owned(), r.to_owned(), s.to_owned());
    assert_eq!(
        got,
        [
            own("archive/2010/a.txt", "known-misspelling", "info"),
            own("news/a.txt", "unknown-acronym", "warning"),
            own("news/a.txt", "known-misspelling", "warning"),
        ]
    );
    // Only info in the archive: it passes.
    let (code, _) = findings_in(ws.path(), &["archive"]);
    assert_eq!(code, 0);
}

#[test]
fn globs_ignore_files_and_explicit_paths() {
    let ws = workspace(&[
        (
            ".lexls.toml",
            b"include = [\"*.txt\", \"*.text\"]\nexclude = [\"drafts/**\"]\n",
        ),
        (".ignore", b"private/\n"),
        ("a.text", ARTICLE),
        ("b.md", ARTICLE),
        ("drafts/c.txt", ARTICLE),
        ("private/d.txt", ARTICLE),
        ("sub/e.txt", ARTICLE),
    ]);
    let paths = |args: &[&str]| -> Vec<String> {
        let (_, f) = findings_in(ws.path(), args);
        let mut p: Vec<String> = f
            .iter()
            .map(|x| x["path"].as_str().unwrap_or_default().to_owned())
            .collect();
        p.dedup();
        p
    };
    assert_eq!(paths(&[]), ["a.text", "sub/e.txt"]);
    // A file named on the command line is always checked.
    assert_eq!(paths(&["drafts/c.txt", "b.md"]), ["b.md", "drafts/c.txt"]);
    // --no-config: the default globs.
    assert_eq!(
        paths(&["--no-config", "."]),
        ["b.md", "drafts/c.txt", "sub/e.txt"]
    );
}

#[test]
fn config_flag_reads_another_file() {
    let ws = workspace(&[
        (".lexls.toml", b"[rules]\nunknown-acronym = \"off\"\n"),
        ("strict.toml", b"[rules]\nunknown-acronym = \"error\"\n"),
        ("a.txt", ARTICLE),
    ]);
    let (_, f) = findings_in(ws.path(), &["--config", "strict.toml", "a.txt"]);
    assert_eq!(rules_of(&f)[0], ("unknown-acronym".into(), "error".into()));
    let (_, f) = findings_in(ws.path(), &["--no-config", "a.txt"]);
    assert_eq!(
        rules_of(&f)[0],
        ("unknown-acronym".into(), "warning".into())
    );
    let run = lexls_in(ws.path(), &["lint", "--config", "missing.toml", "a.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}

#[test]
fn colours_only_when_asked_or_on_a_terminal() {
    let ws = workspace(&[("a.txt", ARTICLE)]);
    let plain = lexls_in(ws.path(), &["lint", "a.txt"]);
    assert!(!plain.stdout.contains('\x1b'));
    let always = lexls_in(ws.path(), &["lint", "--color", "always", "a.txt"]);
    assert!(
        always
            .stdout
            .contains("\x1b[1;33mwarning[unknown-acronym]\x1b[0m"),
        "{}",
        always.stdout
    );
}
