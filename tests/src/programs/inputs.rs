//! Generated workload inputs: deterministic, so the golden files can record their hashes.

/// `len` bytes of English-like text (words from a fixed vocabulary, picked by a seeded
/// xorshift generator, in lines of 8 to 15 words): compresses like prose, about 3:1.
pub fn prose(len: usize) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "the",
        "of",
        "and",
        "a",
        "to",
        "in",
        "is",
        "module",
        "memory",
        "table",
        "global",
        "function",
        "import",
        "export",
        "compile",
        "artifact",
        "runtime",
        "kiln",
        "trap",
        "instance",
        "stack",
        "value",
        "page",
        "guard",
        "signal",
        "loader",
        "cranelift",
        "interpreter",
        "branch",
        "loop",
        "block",
        "call",
        "return",
        "integer",
        "float",
        "vector",
        "byte",
        "offset",
        "section",
        "custom",
        "name",
        "data",
        "element",
        "start",
        "type",
        "reference",
        "host",
        "guest",
        "file",
        "directory",
        "clock",
        "random",
        "quickly",
        "slowly",
        "brown",
        "fox",
        "jumps",
        "over",
        "lazy",
        "dog",
        "seven",
        "heavy",
        "bright",
        "quiet",
        "river",
        "stone",
        "window",
        "garden",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::with_capacity(len + 32);
    while out.len() < len {
        let words = 8 + (next() % 8) as usize;
        for i in 0..words {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(WORDS[(next() % WORDS.len() as u64) as usize].as_bytes());
        }
        out.extend_from_slice(if next() % 5 == 0 { b".\n\n" } else { b".\n" });
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn prose_is_deterministic_and_sized() {
        let a = super::prose(10_000);
        assert_eq!(a.len(), 10_000);
        assert_eq!(a, super::prose(10_000));
        assert!(a.starts_with(&super::prose(100)));
    }
}
