//! The seed articles (`../shared/seeds/`, next to the repository) as a real-world corpus:
//! what a careful editor expects lint to say about each. Skipped when the folder is absent.
//! The assertions name rules, lines and the text of mentions; no seed sentence is copied.

use std::path::Path;

use crate::support::findings_in;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");

/// A finding with the text it covers.
#[derive(Debug)]
struct Seen {
    file: String,
    rule: String,
    severity: String,
    line: u64,
    text: String,
    message: String,
    fix: Option<(String, bool)>,
}

fn lint_seeds() -> Option<(i32, Vec<Seen>)> {
    let dir = Path::new(SEEDS);
    if !dir.is_dir() {
        return None;
    }
    // The articles, not the README that describes them.
    let mut articles: Vec<String> = std::fs::read_dir(dir)
        .expect("seeds folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    articles.sort();
    let mut args = vec!["--no-config"];
    args.extend(articles.iter().map(String::as_str));
    let (code, findings) = findings_in(dir, &args);
    let seen = findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            let n = |k: &str| f[k].as_u64().unwrap_or_default();
            let bytes = std::fs::read(dir.join(s("path"))).expect("seed file");
            let text = String::from_utf8_lossy(&bytes[n("start") as usize..n("end") as usize])
                .into_owned();
            let fix = f["fix"]["edits"][0]["replacement"]
                .as_str()
                .map(|r| (r.to_owned(), f["fix"]["safe"].as_bool().unwrap_or(false)));
            Seen {
                file: s("path")[..3].to_owned(),
                rule: s("rule"),
                severity: s("severity"),
                line: n("line"),
                text,
                message: s("message"),
                fix,
            }
        })
        .collect();
    Some((code, seen))
}

fn of<'a>(seen: &'a [Seen], file: &str, rule: &str) -> Vec<&'a Seen> {
    seen.iter()
        .filter(|s| s.file == file && s.rule == rule)
        .collect()
}

#[test]
fn seed_corpus() {
    let Some((code, seen)) = lint_seeds() else {
        return;
    };
    assert_eq!(code, 1, "findings, and no file that cannot be read");

    // 000 spells out every acronym it uses and states facts that match the lexicon.
    assert!(seen.iter().all(|s| s.file != "000"), "{seen:#?}");

    // 001 uses AMIC in its first sentence and spells it out only in the second paragraph;
    // it spells out AMIM-17 (and AMIC) two different ways.
    let early = of(&seen, "001", "acronym-before-definition");
    assert_eq!(
        early
            .iter()
            .map(|s| (s.line, s.text.as_str()))
            .collect::<Vec<_>>(),
        [(1, "AMIC")]
    );
    let inconsistent = of(&seen, "001", "inconsistent-expansion");
    assert!(
        inconsistent
            .iter()
            .any(|s| s.message.starts_with("`AMIM-17` is spelled out as")),
        "{inconsistent:#?}"
    );
    assert!(
        inconsistent
            .iter()
            .any(|s| s.message.starts_with("`AMIC` is spelled out as")),
        "{inconsistent:#?}"
    );

    // 002 misspells ASEANAPOL twice; the safe fix writes the right acronym. It repeats a
    // paragraph, so MACOSA is spelled out twice in the body.
    let misspelt = of(&seen, "002", "known-misspelling");
    assert_eq!(misspelt.len(), 2, "{misspelt:#?}");
    for s in &misspelt {
        assert_eq!(s.text, "ASEANPOL");
        assert_eq!(s.fix, Some(("ASEANAPOL".to_owned(), true)));
    }
    let doubled = of(&seen, "002", "doubled-definition");
    assert_eq!(doubled.len(), 1, "{doubled:#?}");
    assert!(
        doubled[0].text.ends_with("MACOSA)"),
        "{:?}",
        doubled[0].text
    );
    assert!(of(&seen, "002", "acronym-before-definition").is_empty());

    // 003 spells out ASC as the ASEAN Studies Centre before using it: no ambiguity.
    assert!(
        of(&seen, "003", "ambiguous-mention").is_empty(),
        "{seen:#?}"
    );
    assert!(seen.iter().all(|s| s.file != "003"), "{seen:#?}");

    // 004 has document numbers (24-NQ/TW), Roman numerals (Đại hội XIII), amounts in USD
    // and many UN bodies, all known or spelled out.
    assert!(seen.iter().all(|s| s.file != "004"), "{seen:#?}");

    // Nowhere: an unknown acronym, a wrong fact or a flagged document number.
    for rule in ["unknown-acronym", "edition-mismatch", "expansion-mismatch"] {
        assert!(seen.iter().all(|s| s.rule != rule), "{rule}: {seen:#?}");
    }
    assert!(seen.iter().all(|s| !s.text.contains("/TW")));
    assert!(seen.iter().all(|s| s.severity != "error"));
}
