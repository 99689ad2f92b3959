//! What a page shows when its data could not be loaded: the error's sentence and what to do.

use leptos::prelude::*;

use crate::AppError;

/// A failed load, said in one sentence, announced to screen readers.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    view! {
        <p class="load-error" role="alert">{error.to_string()}</p>
    }
}
