//! The README's `lexls annotate` example is the jsonl contract shown to users: it must stay
//! exactly what the binary prints.

use super::support::{lexls_in, root, workspace};

/// The shell block that runs the example, and the JSON block after it.
fn example() -> (String, String) {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let printf = readme
        .lines()
        .find(|l| l.starts_with("printf '") && l.ends_with("> article.txt"))
        .expect("the README's printf line");
    let text = printf
        .trim_start_matches("printf '")
        .split("' >")
        .next()
        .expect("quoted text")
        .replace("\\n", "\n");
    let json = readme
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's json block")
        .to_owned();
    (text, json)
}

#[test]
fn readme_annotate_example_is_what_the_binary_prints() {
    let (text, json) = example();
    let dir = workspace(&[("article.txt", text.as_bytes())]);
    let run = lexls_in(dir.path(), &["annotate", "--no-config", "article.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, json);
}
