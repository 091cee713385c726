//! Golden outputs of every format on the fixture articles (the README in that folder is
//! excluded by `tests/fixtures/lint/lexls.toml`).

use crate::support::{golden, lexls, transcript};

const CONFIG: &str = "tests/fixtures/lint/lexls.toml";
const ARTICLES: &str = "tests/fixtures/articles";

fn check(name: &str, format: &str) {
    let args = ["lint", "--config", CONFIG, "--format", format, ARTICLES];
    let run = lexls(&args);
    // invalid_utf8.txt cannot be checked: exit 2, and every other file still is.
    assert_eq!(run.code, 2, "{}", run.stderr);
    golden(name, &transcript(&args, &run));
}

#[test]
fn human() {
    check("human.txt", "human");
}

#[test]
fn json() {
    check("json.txt", "json");
}

#[test]
fn sarif() {
    check("sarif.txt", "sarif");
}

#[test]
fn github() {
    check("github.txt", "github");
}

#[test]
fn diff() {
    let args = [
        "lint",
        "--no-config",
        "--diff",
        "tests/fixtures/articles/vi_macosa_meeting.txt",
        "tests/fixtures/articles/vi_old_tone_marks.txt",
    ];
    let run = lexls(&args);
    assert_eq!(run.code, 1);
    golden("diff.txt", &transcript(&args, &run));
}

#[test]
fn sarif_is_well_formed() {
    let run = lexls(&["lint", "--config", CONFIG, "--format", "sarif", ARTICLES]);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for r in run0["results"].as_array().expect("results") {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids[index], id);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(
            uri.starts_with("tests/fixtures/articles/") && !uri.contains('\\'),
            "{uri}"
        );
        assert!(r["locations"][0]["physicalLocation"]["region"]["startColumn"].as_u64() >= Some(1));
    }
}

#[test]
fn positions_count_every_line_break_and_skip_the_bom() {
    let text = "\u{FEFF}QZX one\rtwo QZY\r\nthree 🤝 QZW\n";
    let ws = crate::support::workspace(&[("a.txt", text.as_bytes())]);
    let (_, findings) = crate::support::findings_in(ws.path(), &["--no-config", "a.txt"]);
    let at: Vec<(u64, u64, u64, u64)> = findings
        .iter()
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap_or_default();
            (n("line"), n("column"), n("start"), n("end"))
        })
        .collect();
    let byte = |s: &str| text.find(s).unwrap() as u64;
    assert_eq!(
        at,
        [
            (1, 1, 3, 6),
            (2, 5, byte("QZY"), byte("QZY") + 3),
            (3, 9, byte("QZW"), byte("QZW") + 3)
        ]
    );
}
