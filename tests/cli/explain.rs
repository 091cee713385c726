//! `lexls explain RULE` and `lexls explain --list`.

use crate::support::{golden, lexls, transcript};

#[test]
fn list() {
    let args = ["explain", "--list"];
    let run = lexls(&args);
    assert_eq!(run.code, 0);
    golden("explain-list.txt", &transcript(&args, &run));
}

#[test]
fn one_rule() {
    let args = ["explain", "known-misspelling"];
    let run = lexls(&args);
    assert_eq!(run.code, 0);
    golden("explain-known-misspelling.txt", &transcript(&args, &run));
}

#[test]
fn every_rule_is_documented() {
    let list = lexls(&["explain", "--list"]).stdout;
    for line in list.lines() {
        let id = line.split_whitespace().next().expect("an id");
        let run = lexls(&["explain", id]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.starts_with(&format!("# {id}\n")),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.lines().count() > 10,
            "{id} needs a real explanation"
        );
    }
}

#[test]
fn unknown_rule_suggests_close_ids() {
    let run = lexls(&["explain", "known-mispelling"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "lexls: no rule `known-mispelling`; did you mean `known-misspelling`? (`lexls explain --list` lists them)\n"
    );
}
