//! Generated articles for the property tests that check the index against a plain reading
//! of the text: an optional date header, then sentences of French words.

use proptest::prelude::*;

/// One article: an optional day or month header, then one to five sentences of `words`.
pub fn article_of(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let date = prop_oneof![
        Just(String::new()),
        (2019i32..2027, 1u32..13).prop_map(|(y, m)| format!("date {y}-{m:02} ")),
        (2019i32..2027, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| format!("date {y}-{m:02}-{d:02} ")),
    ];
    let sentence = prop::collection::vec(prop::sample::select(words.to_vec()), 1..12)
        .prop_map(|words| format!("{}.", words.join(" ")));
    (date, prop::collection::vec(sentence, 1..6))
        .prop_map(|(date, sentences)| format!("{date}{}", sentences.join("\n")))
}
