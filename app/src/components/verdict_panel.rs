//! The verdict measured now: Go / No-Go / Hold in big words, every criterion with what was seen
//! and what to do, the leadership update with a copy button, and the sign-off.

use domain::golive::{Finding, Verdict};
use domain::time::minute_utc as when;
use leptos::prelude::*;

use crate::api::golive::SignOff;
use crate::components::status_badge::{StatusBadge, Tone};
use crate::model::VerdictView;

fn finding_view(finding: &Finding) -> (Tone, &'static str, String, Option<String>) {
    match finding {
        Finding::Met { evidence } => (Tone::Good, "Met", evidence.clone(), None),
        Finding::Failed { problem, action } => {
            (Tone::Bad, "Failed", problem.clone(), Some(action.clone()))
        }
        Finding::Unmeasured { missing } => (Tone::Warn, "Not measured", missing.clone(), None),
    }
}

#[component]
pub fn VerdictPanel(
    v: VerdictView,
    id: i64,
    sign: ServerAction<SignOff>,
    /// Operators may sign off an unfinished go-live.
    can_sign: bool,
) -> impl IntoView {
    let (class, explain) = match &v.verdict {
        Verdict::Go => (
            "verdict verdict-ready",
            "Every go-live criterion holds now.",
        ),
        Verdict::NoGo { .. } => (
            "verdict verdict-not-ready",
            "Something was measured bad: see what failed below.",
        ),
        Verdict::Hold { .. } => (
            "verdict verdict-unknown",
            "Something could not be measured yet: see below.",
        ),
    };
    let word = v.verdict.word();
    let update = StoredValue::new(v.update.clone());
    // "Copied" only when the browser's clipboard could be used (it needs HTTPS or localhost);
    // otherwise the text is selected for Ctrl+C.
    let copied = RwSignal::new(None::<bool>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let note = RwSignal::new(String::new());
    let decision = RwSignal::new(
        match v.verdict {
            Verdict::Go => "go",
            Verdict::NoGo { .. } => "no_go",
            Verdict::Hold { .. } => "hold",
        }
        .to_string(),
    );
    let criteria = v
        .findings
        .iter()
        .map(|f| {
            let (tone, label, text, action) = finding_view(&f.finding);
            view! {
                <li>
                    <StatusBadge tone label/>" "
                    <strong>{f.criterion.label()}": "</strong>{text}
                    {action.map(|a| view! { <span class="step-action">" What to do: "{a}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class=class role="status">
            <span class="verdict-word">{word}</span>
            <span class="verdict-why">{format!("{explain} Measured {} UTC.", when(v.measured_unix))}</span>
        </p>
        <ul class="criteria" aria-label="Go criteria">{criteria}</ul>
        <h3>"Leadership update"</h3>
        <label class="visually-hidden" for="leadership-update">"Leadership update"</label>
        <textarea id="leadership-update" node_ref=textarea readonly rows="13" class="update">{update.get_value()}</textarea>
        <button type="button" class="button button-secondary" on:click=move |_| {
            #[cfg(feature = "hydrate")]
            {
                let secure = window().is_secure_context();
                if secure {
                    let _ = window().navigator().clipboard().write_text(&update.get_value());
                } else if let Some(area) = textarea.get() {
                    area.select();
                }
                copied.set(Some(secure));
            }
        }>{move || match copied.get() {
            None => "Copy update",
            Some(true) => "Copied",
            Some(false) => "Selected: press Ctrl+C to copy",
        }}</button>
        {can_sign.then(|| view! {
            <h3>"Sign-off"</h3>
            <p class="hint">"Recording the decision ends this go-live and keeps the report of this moment. Go can only be recorded while the verdict is Go."</p>
            <div class="signoff">
                <label for="decision">"Decision"</label>
                <select id="decision" on:change=move |ev| decision.set(event_target_value(&ev)) prop:value=move || decision.get()>
                    {[("go", "Go"), ("no_go", "No-Go"), ("hold", "Hold"), ("abandoned", "Abandon this go-live")]
                        .into_iter()
                        .map(|(value, text)| view! { <option value=value selected=move || decision.get() == value>{text}</option> })
                        .collect_view()}
                </select>
                <label for="signoff-note">"Sign-off note (optional)"</label>
                <input id="signoff-note" bind:value=note maxlength="1000"/>
                <button type="button" class="button" disabled=move || sign.pending().get() on:click=move |_| {
                    sign.dispatch(SignOff { id, decision: decision.get(), note: Some(note.get()) });
                }>"Record decision"</button>
            </div>
        })}
    }
}
