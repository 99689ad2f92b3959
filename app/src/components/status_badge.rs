//! A coloured badge with a word (Ready, Not ready, Pass, Fail) and its tone.

use leptos::prelude::*;

/// How a status reads at a glance. Every tone is shown with words as well as colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Unknown,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Good => "badge badge-good",
            Tone::Warn => "badge badge-warn",
            Tone::Bad => "badge badge-bad",
            Tone::Unknown => "badge badge-unknown",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Tone::Good => "✓",
            Tone::Warn => "!",
            Tone::Bad => "✕",
            Tone::Unknown => "?",
        }
    }
}

#[component]
pub fn StatusBadge(tone: Tone, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <span class=tone.class()>
            <span aria-hidden="true">{tone.symbol()}" "</span>
            {label}
        </span>
    }
}
