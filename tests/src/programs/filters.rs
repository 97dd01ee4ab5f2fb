//! Output filters that remove what legitimately differs between runs (timings) before an
//! output is compared with its golden file. Each workload documents which it applies.

/// Removes a trailing elapsed-time column — whitespace, then `<digits>.<digits>s` — from
/// every line that has one, and trailing whitespace left before it. speedtest1 ends each
/// test line (and its TOTAL line) with one, e.g.
/// ` 100 - 12500 INSERTs into table with no index......    0.045s`.
pub fn strip_seconds_column(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(without_seconds(line));
        out.push('\n');
    }
    out
}

fn without_seconds(line: &str) -> &str {
    let Some(rest) = line.strip_suffix('s') else {
        return line;
    };
    let digits = |s: &str| s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let frac = digits(rest);
    if frac == 0 {
        return line;
    }
    let Some(rest) = rest[..rest.len() - frac].strip_suffix('.') else {
        return line;
    };
    let int = digits(rest);
    if int == 0 {
        return line;
    }
    let before = &rest[..rest.len() - int];
    if !before.ends_with(char::is_whitespace) {
        return line;
    }
    before.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_a_whitespace_separated_seconds_column() {
        let text = " 100 - 12500 INSERTs......    0.045s\n       TOTAL......   12.500s\n\
                    Verification Hash: 5023208 ed09\nsize 1.5s\nx1.5s\n1.s\n";
        assert_eq!(
            strip_seconds_column(text),
            " 100 - 12500 INSERTs......\n       TOTAL......\n\
             Verification Hash: 5023208 ed09\nsize\nx1.5s\n1.s\n"
        );
    }
}
