// The rest of the program `send_sync::compile_count_words_counts_every_word_of_every_text`
// compiles: the exercise file is put in above it as `mod send_sync`, under
// `#![forbid(unsafe_code)]`.

use std::collections::HashMap;

/// What the exercise file reaches as `super::sync`.
use workbook::sync;

fn main() {
    let texts = ["a rose is a rose", "is  a\trose", "", "Rose"];
    let mut want: HashMap<String, u64> = HashMap::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        *want.entry(word.to_owned()).or_insert(0) += 1;
    }
    for round in 0..20 {
        let counts = send_sync::count_words(&texts);
        assert_eq!(counts, want, "count_words({texts:?}), round {round}");
    }
    assert!(send_sync::count_words(&[]).is_empty(), "no texts, no words");
}
